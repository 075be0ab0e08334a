// The error-code table against the code that throws: every code thrown in src/ and commands/ comes
// with the exit code the table lists for it (the error class decides the exit code), and every
// listed code is still thrown or built somewhere.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, type ExitCodeValue } from '../../src/errors';
import { ERROR_CODES, type ErrorCode } from '../../src/output/error-codes';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'server' && dir.endsWith('src') ? [] : sources(full);
    return entry.endsWith('.ts') ? [full] : [];
  });
}

const files = [...sources(join(root, 'src')), ...sources(join(root, 'commands'))].filter((file) => !file.endsWith(join('output', 'error-codes.ts')));
const texts = new Map(files.map((file) => [relative(root, file), readFileSync(file, 'utf8')]));

/** String constants such as `export const MASTER_RESTARTED_EMPTY = 'MASTER_RESTARTED_EMPTY'`. */
const constants = new Map<string, string>();
for (const text of texts.values()) {
  for (const match of text.matchAll(/const ([A-Z][A-Z_]+) = '([A-Z][A-Z_]+)'/g)) constants.set(match[1], match[2]);
}

/** The argument list of the call whose '(' is at `open`. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced call');
}

/** The first argument: up to the first comma outside brackets and strings. */
function firstArgument(args: string): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      if (c === quote && args[i - 1] !== '\\') quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) return args.slice(0, i);
  }
  return args;
}

const EXIT_OF_CLASS: Record<string, ExitCodeValue | 'explicit'> = {
  BadInputError: ExitCode.BadInput,
  TopologyError: ExitCode.BadInput,
  NodeFailureError: ExitCode.Failed,
  RefusedError: ExitCode.Refused,
  RctlError: 'explicit',
  FailoverError: 'explicit',
};

interface ThrowSite {
  where: string;
  errorClass: string;
  code: string;
  exitCode: ExitCodeValue;
}

function throwSites(): ThrowSite[] {
  const sites: ThrowSite[] = [];
  for (const [file, text] of texts) {
    for (const match of text.matchAll(/new (\w+Error)\(/g)) {
      const errorClass = match[1];
      const rule = EXIT_OF_CLASS[errorClass];
      if (rule === undefined) continue;
      const args = callArguments(text, match.index + match[0].length - 1);
      const first = firstArgument(args);
      const codes = [...first.matchAll(/'([A-Z][A-Z_]+)'/g)].map((m) => m[1]);
      const constant = constants.get(first.trim());
      if (constant) codes.push(constant);
      let exitCode: ExitCodeValue;
      if (rule === 'explicit') {
        const named = /ExitCode\.(\w+)/.exec(args)?.[1] as keyof typeof ExitCode | undefined;
        // FailoverError's exit code defaults to Failed.
        exitCode = named ? ExitCode[named] : ExitCode.Failed;
      } else exitCode = rule;
      const line = text.slice(0, match.index).split('\n').length;
      // A code copied from another error (error.code) has its exit code copied with it.
      for (const code of codes) sites.push({ where: `${file}:${line}`, errorClass, code, exitCode });
    }
  }
  return sites;
}

describe('error codes', () => {
  const sites = throwSites();

  it('finds the throw sites (the scan itself works)', () => {
    expect(sites.length).toBeGreaterThan(60);
    expect(sites.map((s) => s.code)).toEqual(expect.arrayContaining(['FENCE_UNKNOWN', 'MASTER_WOULD_RESTART_EMPTY', 'RESTORE_FAILED', 'CANDIDATE_UNREACHABLE', 'ROLE_DRIFT']));
  });

  it('every thrown code is listed, with the exit code its error class gives it', () => {
    const wrong = sites
      .filter((site) => !(site.code in ERROR_CODES) || ERROR_CODES[site.code as ErrorCode].exitCode !== site.exitCode)
      .map((site) => `${site.where}: ${site.errorClass} ${site.code} exits ${site.exitCode}, listed as ${ERROR_CODES[site.code as ErrorCode]?.exitCode ?? 'nothing'}`);
    expect(wrong).toEqual([]);
  });

  it('every listed code is still used somewhere', () => {
    const all = [...texts.values()].join('\n');
    const unused = Object.keys(ERROR_CODES).filter((code) => !all.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('every meaning is one line', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) expect(entry.meaning, code).toMatch(/^[^\n]{10,160}$/);
  });
});
