// Turns zod's issues into operator-facing messages located in the YAML source.

import type * as z from 'zod/mini';
import type { TopologyIssue } from '../errors';
import { didYouMean } from './did-you-mean';
import { knownKeysAt, ROLES } from './schema';
import { shownText } from './shown-text';
import { formatPath, type YamlSource } from './yaml-source';

type ZodIssue = z.core.$ZodIssue;

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${shownText(JSON.stringify(value))}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

/** The kind of a value without the value: for the auth section, where a mistyped value may be the password. */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  return `a ${typeof value}`;
}

function isUnderAuth(path: ReadonlyArray<string | number>): boolean {
  return path[0] === 'auth' || (path[0] === 'sentinel' && path[1] === 'auth');
}

/** describeValue, except under auth: a password written with the wrong type or shape is still the password. */
function describeAt(path: ReadonlyArray<string | number>, value: unknown): string {
  return isUnderAuth(path) ? describeKind(value) : describeValue(value);
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  object: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
};

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function plainPath(path: ReadonlyArray<PropertyKey>): Array<string | number> {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

export function translateIssues(source: YamlSource, issues: readonly ZodIssue[]): TopologyIssue[] {
  const out: TopologyIssue[] = [];
  for (const issue of issues) {
    const path = plainPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(path);
        for (const key of issue.keys) {
          out.push(source.issue([...path, key], `unknown key "${shownText(key)}"${didYouMean(key, known)}; allowed keys: ${known.join(', ')}`, 'key'));
        }
        break;
      }
      case 'invalid_type': {
        const received = valueAt(source.data, path);
        if (received === undefined) {
          // Point at the mapping that lacks the key, but name the missing field's path.
          const where = source.locate(path.slice(0, -1));
          out.push({ file: source.file, ...where, path: formatPath(path), message: `missing required key "${String(path[path.length - 1])}"` });
        } else {
          const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
          const custom = issue.message.startsWith('expected') ? issue.message : `expected ${expected}`;
          let hint = '';
          if (path[path.length - 1] === 'password' && typeof received === 'number') hint = '; quote it, e.g. password: "123456"';
          out.push(source.issue(path, `${custom}, got ${describeAt(path, received)}${hint}`));
        }
        break;
      }
      case 'invalid_value': {
        const received = valueAt(source.data, path);
        const allowed = issue.values.map((v) => String(v));
        let hint = typeof received === 'string' ? didYouMean(received, allowed) : '';
        if (received === 'slave' && allowed.join() === ROLES.join()) hint = ' ("slave" is called "replica" here)';
        out.push(source.issue(path, `expected one of ${allowed.join(', ')}, got ${describeAt(path, received)}${hint}`));
        break;
      }
      case 'too_small': {
        // "expected at least one node" needs no echo of the empty list; a number does.
        const received = valueAt(source.data, path);
        out.push(source.issue(path, typeof received === 'number' && !isUnderAuth(path) ? `${issue.message}, got the number ${received}` : issue.message));
        break;
      }
      default:
        out.push(source.issue(path, issue.message.startsWith('expected') ? `${issue.message}, got ${describeAt(path, valueAt(source.data, path))}` : issue.message));
    }
  }
  return out;
}
