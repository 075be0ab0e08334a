// `rctl upgrade` records what each node runs now in the topology file itself, node by node as each
// one is moved, so a later `rctl up` relaunches it on the version its data needs. The YAML
// document is edited in place (comments, order and flow style stay); the result is checked by the
// loader before it replaces the file.

import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { parseTopology } from './load';

export interface NodeLaunch {
  launch: 'embedded' | 'redis-server';
  /** launch: redis-server: the executable as it should be written (absolute, or a command on PATH). */
  redisServer?: string;
}

interface Edit {
  at: number;
  /** Characters removed from `at`. */
  remove: number;
  insert: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, edit.at) + edit.insert + out.slice(edit.at + edit.remove);
  return out;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

/** The edits that give `map` key = value: the value replaced in place, or a new pair after the last one. */
function setPair(text: string, map: YAMLMap, key: string, value: string): Edit {
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
  if (pair && isScalar(pair.value) && pair.value.range) {
    return { at: pair.value.range[0], remove: pair.value.range[1] - pair.value.range[0], insert: value };
  }
  const last = map.items.at(-1);
  const lastValue = last && (last.value as { range?: [number, number, number] } | null)?.range;
  if (!last || !lastValue || !isScalar(last.key) || !last.key.range) throw new Error('cannot edit an empty node mapping');
  if (map.flow) return { at: lastValue[1], remove: 0, insert: `, ${key}: ${value}` };
  const indent = last.key.range[0] - lineStart(text, last.key.range[0]);
  return { at: lineEnd(text, lastValue[1]), remove: 0, insert: `${' '.repeat(indent)}${key}: ${value}\n` };
}

/** The edit that removes `key` from `map` (its whole line in a block mapping), or null when absent. */
function deletePair(text: string, map: YAMLMap, key: string): Edit | null {
  const index = map.items.findIndex((item) => isScalar(item.key) && item.key.value === key);
  if (index === -1) return null;
  const pair = map.items[index];
  const keyStart = (pair.key as Scalar).range?.[0];
  const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[1];
  if (keyStart === undefined || valueEnd === undefined) throw new Error(`cannot remove ${key}`);
  if (!map.flow) {
    const from = lineStart(text, keyStart);
    return { at: from, remove: lineEnd(text, valueEnd) - from, insert: '' };
  }
  // In a flow mapping the separator goes with it: the comma before it, or after it when first.
  const previous = index > 0 ? (map.items[index - 1].value as { range?: [number, number, number] } | null)?.range?.[1] : undefined;
  if (previous !== undefined) return { at: previous, remove: valueEnd - previous, insert: '' };
  const next = map.items[index + 1] ? (map.items[index + 1].key as Scalar).range?.[0] : undefined;
  return { at: keyStart, remove: (next ?? valueEnd) - keyStart, insert: '' };
}

/**
 * The file's text with node `name`'s launch (and redisServer) set. Only those pairs change:
 * every other byte (comments, spacing, flow or block style) is kept, so the file stays the
 * operator's.
 */
export function withNodeLaunch(text: string, name: string, launch: NodeLaunch): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const nodes = doc.get('nodes');
  if (!isSeq(nodes)) throw new Error('the topology has no nodes list');
  const map = nodes.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
  if (!map) throw new Error(`no node ${name} in the topology`);
  // Edits are computed against the original text, then applied from the end backwards.
  const edits: Edit[] = [setPair(text, map, 'launch', launch.launch)];
  if (launch.launch === 'redis-server' && launch.redisServer) edits.push(setPair(text, map, 'redisServer', quoteIfNeeded(launch.redisServer)));
  else {
    const removal = deletePair(text, map, 'redisServer');
    if (removal) edits.push(removal);
  }
  // Two insertions at one place (both keys new) go in key order.
  const merged = edits.reduce<Edit[]>((all, edit) => {
    const same = all.find((e) => e.at === edit.at && e.remove === 0 && edit.remove === 0);
    if (same) same.insert += edit.insert;
    else all.push(edit);
    return all;
  }, []);
  return applyEdits(text, merged);
}

/** A plain scalar when YAML reads it back unchanged, else double-quoted. */
function quoteIfNeeded(value: string): string {
  return /^[A-Za-z0-9_./-][A-Za-z0-9_./+ -]*$/.test(value) && !value.endsWith(' ') && !/: |\s#/.test(value) ? value : JSON.stringify(value);
}

/** Rewrites `file` atomically with the node's launch, keeping its mode; the new text must load. */
export function recordNodeLaunch(file: string, name: string, launch: NodeLaunch): void {
  const text = readFileSync(file, 'utf8');
  const updated = withNodeLaunch(text, name, launch);
  if (updated === text) return;
  // The environment is irrelevant here: only the structure is checked, passwords are not read.
  parseTopology(file, file, updated, { ...process.env });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, updated, { mode: statSync(file).mode & 0o777 });
  renameSync(temporary, file);
}
