// Edits of the operator's topology file that keep it theirs: comments, blank lines, quoting and
// layout stay byte for byte outside the entry added or removed. The `yaml` Document gives each
// node's position; the edit is a splice of the text at those positions, not a re-dump of the
// document (which would normalise indentation, spacing and quotes everywhere). Only a layout the
// splice cannot follow (a flow sequence `nodes: [...]`, an entry not starting on its `-` line)
// falls back to the Document API, which keeps comments but may re-format. The result is validated
// by the topology loader before anything is written, and written atomically.

import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { BadInputError } from '../errors';
import { parseTopology } from './load';
import type { Topology } from './model';
import type { LaunchMode } from './schema';

/** What `rctl upgrade` records for a node it moved. */
export interface NodeLaunch {
  launch: 'embedded' | 'redis-server';
  /** launch: redis-server: the executable as it should be written (absolute, or a command on PATH). */
  redisServer?: string;
}

export interface NewNodeEntry {
  name: string;
  host: string;
  port: number;
  /** Written only when it differs from the file's own launch. */
  launch?: LaunchMode;
  priority?: number;
}

interface Located {
  doc: Document;
  seq: YAMLSeq;
  eol: string;
}

function locateNodes(text: string): Located {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: true, logLevel: 'error' });
  const seq = doc.get('nodes', true);
  // The loader validated this text already; a file without a nodes list never gets here.
  if (!isSeq(seq)) throw new Error('the topology has no nodes list');
  return { doc, seq, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Index just past the newline ending the line that holds `at` (the text's end on its last line). */
function lineEnd(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline === -1 ? text.length : newline + 1;
}

/** Where an entry's text starts and ends: from its `-` line through its last line. Null when the layout is not `- value` on one line. */
function entrySpan(text: string, item: { range?: [number, number, number] | null }): { start: number; end: number; prefix: string } | null {
  if (!item.range) return null;
  const start = lineStart(text, item.range[0]);
  const prefix = text.slice(start, item.range[0]);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return null;
  // range[1] is the end of the value (a block map's includes its last line's comment and newline).
  const last = Math.max(item.range[0], item.range[1] - 1);
  return { start, end: lineEnd(text, last), prefix };
}

/** A scalar as YAML reads it back as the same string: plain when safe, else double-quoted. */
function scalarText(value: string): string {
  if (/^[A-Za-z0-9._/-]+$/.test(value)) {
    const back = parseDocument(`v: ${value}`).get('v');
    if (back === value) return value;
  }
  return JSON.stringify(value);
}

function entryFields(entry: NewNodeEntry): Array<[string, string]> {
  return [
    ['name', scalarText(entry.name)],
    ['host', scalarText(entry.host)],
    ['port', String(entry.port)],
    ['role', 'replica'],
    ...(entry.launch !== undefined ? [['launch', entry.launch] as [string, string]] : []),
    ...(entry.priority !== undefined ? [['priority', String(entry.priority)] as [string, string]] : []),
  ];
}

/** The text with `entry` appended to the nodes list, in the style of the list's last entry. */
export function addNodeToText(text: string, entry: NewNodeEntry): string {
  const { doc, seq, eol } = locateNodes(text);
  const last = seq.items.at(-1) as (YAMLMap & { range?: [number, number, number] }) | undefined;
  const span = !seq.flow && last ? entrySpan(text, last) : null;
  if (!last || !span) return viaDocument(doc, (d) => d.addIn(['nodes'], d.createNode(Object.fromEntries(entryFields(entry).map(([k, v]) => [k, parseDocument(`v: ${v}`).get('v')])))));
  const fields = entryFields(entry);
  let lines: string;
  if (isMap(last) && !last.flow) {
    // A block mapping: the first key on the `-` line, the others under it.
    const indent = ' '.repeat(span.prefix.length);
    lines = fields.map(([key, value], i) => `${i === 0 ? span.prefix : indent}${key}: ${value}${eol}`).join('');
  } else {
    lines = `${span.prefix}{ ${fields.map(([key, value]) => `${key}: ${value}`).join(', ')} }${eol}`;
  }
  const at = span.end;
  const before = text.slice(0, at);
  // A file whose last entry ends without a newline gets one before the new entry.
  return before.endsWith('\n') || before === '' ? before + lines + text.slice(at) : before + eol + lines.slice(0, -eol.length) + text.slice(at);
}

function nameOf(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const value = item.get('name');
  return typeof value === 'string' ? value : undefined;
}

/**
 * The text without the node named `name`; when `newMaster` is given, that node's role becomes
 * master (removing the file's master after a failover moved the role elsewhere).
 */
export function removeNodeFromText(text: string, name: string, newMaster?: string): string {
  const { doc, seq } = locateNodes(text);
  const index = seq.items.findIndex((item) => nameOf(item) === name);
  if (index === -1) throw new Error(`no node named ${name} in the text`);
  const splices: Array<{ start: number; end: number; insert: string }> = [];
  const span = seq.flow ? null : entrySpan(text, seq.items[index] as { range?: [number, number, number] });
  if (newMaster !== undefined) {
    const master = seq.items.find((item) => nameOf(item) === newMaster);
    const role = isMap(master) ? master.get('role', true) : undefined;
    if (!isScalar(role) || !role.range) return viaDocument(doc, (d) => reassignAndDelete(d, seq, index, newMaster));
    splices.push({ start: role.range[0], end: role.range[1], insert: 'master' });
  }
  if (!span) return viaDocument(doc, (d) => reassignAndDelete(d, seq, index, newMaster));
  splices.push({ start: span.start, end: span.end, insert: '' });
  // From the end backwards, so earlier positions stay valid.
  let out = text;
  for (const splice of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, splice.start) + splice.insert + out.slice(splice.end);
  return out;
}

function reassignAndDelete(doc: Document, seq: YAMLSeq, index: number, newMaster: string | undefined): void {
  if (newMaster !== undefined) {
    const at = seq.items.findIndex((item) => nameOf(item) === newMaster);
    doc.setIn(['nodes', at, 'role'], 'master');
  }
  doc.deleteIn(['nodes', index]);
}

function viaDocument(doc: Document, edit: (doc: Document) => void): string {
  edit(doc);
  return doc.toString();
}

/**
 * Replaces the file's text with `text`, atomically: a temporary file beside it with the same
 * mode, synced, then renamed over it (through a symlink, the file it points to). Refuses when the
 * file changed since `expected` was read, so a concurrent edit is never overwritten.
 */
export function writeTopologyText(file: string, expected: string, text: string): void {
  const target = realpathSync(file);
  const mode = statSync(target).mode & 0o7777;
  const temporary = join(dirname(target), `.${basename(target)}.rctl-${process.pid}.tmp`);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    // Explicitly: the umask applies to open's mode, and the file must keep the operator's.
    fchmodSync(fd, mode);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (readFileSync(target, 'utf8') !== expected) {
      throw new BadInputError('TOPOLOGY_CHANGED', `${file} changed while rctl was editing it; nothing was written`, 'run the command again');
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  // The directory entry itself: the rename survives a crash only once the directory is synced.
  try {
    const dirFd = openSync(dirname(target), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // not every file system lets a directory be opened for sync
  }
}

/**
 * Reads the topology file, applies `edit` to its text, validates the result as the loader would
 * (a TopologyError names the problem; nothing is written then) and writes it atomically.
 * Returns the new topology as the file now declares it (no roles overlay applied).
 */
export function editTopologyFile(topology: Topology, edit: (text: string) => string, env: NodeJS.ProcessEnv = process.env): Topology {
  const text = readFileSync(topology.file, 'utf8');
  const next = edit(text);
  const validated = parseTopology(topology.displayFile, topology.file, next, env);
  writeTopologyText(topology.file, text, next);
  return validated;
}

/** The file's own `launch` (what a node without one gets): 'external' when it sets none. */
export function fileLaunchOf(text: string): LaunchMode {
  const value = parseDocument(text, { logLevel: 'error' }).get('launch');
  return value === 'embedded' || value === 'redis-server' ? value : 'external';
}

// `rctl upgrade` sets a node's launch (and redisServer) as soon as it runs the new version, so a
// later `rctl up` relaunches it on the version its data needs: pair-level splices, like the above.

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
  if (launch.launch === 'redis-server' && launch.redisServer) edits.push(setPair(text, map, 'redisServer', scalarText(launch.redisServer)));
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
