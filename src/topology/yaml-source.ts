// YAML parsing that keeps positions, so every topology error can say file:line:col.

import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type { TopologyIssue } from '../errors';
import { shownText } from './shown-text';

export type FieldPath = ReadonlyArray<string | number>;

export interface YamlSource {
  /** The file name as the operator typed it (errors echo it back). */
  file: string;
  data: unknown;
  /** Line and column (1-based) of the value at `path`, or of its key with `at: 'key'`. Falls back to the nearest parent. */
  locate(path: FieldPath, at?: 'key' | 'value'): { line: number; col: number };
  issue(path: FieldPath, message: string, at?: 'key' | 'value'): TopologyIssue;
}

/** `nodes[1].port` from ['nodes', 1, 'port']. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? shownText(segment) : `.${shownText(segment)}`;
  }
  return out;
}

/** Parses YAML text; returns the syntax issues instead of a source when it is malformed. */
export function parseYamlSource(file: string, text: string): YamlSource | TopologyIssue[] {
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml's warnings (a mapping used as a key...) would go to stderr through
  // process.emitWarning, next to rctl's one-line error; the schema reports those keys instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    return doc.errors.map((error) => {
      const start = lineCounter.linePos(error.pos[0]);
      return { file, line: start.line, col: start.col, path: '', message: 'invalid YAML: ' + cleanYamlMessage(error.message) };
    });
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // toJS refuses alias bombs ("Excessive alias count indicates a resource exhaustion attack")
    // with a ReferenceError after the parse itself succeeded.
    return [{ file, line: 1, col: 1, path: '', message: 'invalid YAML: ' + cleanYamlMessage(error instanceof Error ? error.message : String(error)) }];
  }
  const locate = (path: FieldPath, at: 'key' | 'value' = 'value') => {
    const offset = findOffset(doc, path, at);
    return lineCounter.linePos(offset);
  };
  return {
    file,
    data,
    locate,
    issue: (path, message, at = 'value') => ({ file, ...locate(path, at), path: formatPath(path), message }),
  };
}

function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0];
  return shownText(first.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, ''));
}

function startOf(node: YamlNode | null | undefined): number | undefined {
  return node?.range ? node.range[0] : undefined;
}

function findOffset(doc: Document, path: FieldPath, at: 'key' | 'value'): number {
  let current: unknown = doc.contents;
  let lastOffset = startOf(doc.contents as YamlNode) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const isLast = i === path.length - 1;
    if (isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return lastOffset;
      const keyOffset = startOf(pair.key as YamlNode);
      if (isLast && at === 'key' && keyOffset !== undefined) return keyOffset;
      current = pair.value;
      // A key with no value (`port:`) has no value node: point at the key.
      lastOffset = startOf(pair.value as YamlNode) ?? keyOffset ?? lastOffset;
    } else if (isSeq(current) && typeof segment === 'number') {
      const item = current.items[segment];
      if (item === undefined) return lastOffset;
      current = item;
      lastOffset = startOf(item as YamlNode) ?? lastOffset;
    } else {
      return lastOffset;
    }
  }
  return lastOffset;
}
