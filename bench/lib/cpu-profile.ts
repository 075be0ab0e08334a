// Summarizes a V8 .cpuprofile (from node --cpu-prof): self time per function and per area of
// the node (parser, dispatch, commands, reply, socket I/O, GC...), to see where a benchmark's time goes.

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of all samples, idle excluded from the denominator. */
  busyMs: number;
  areas: Array<{ area: string; ms: number; share: number }>;
  functions: Array<{ name: string; location: string; ms: number; share: number }>;
}

/** Which part of the node a frame belongs to, from its source file (bundles keep source maps, not paths). */
function areaOf(frame: ProfileNode['callFrame']): string {
  const { functionName, url } = frame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8/native (program)';
  if (url.startsWith('node:net') || url.startsWith('node:internal/stream_base') || url.includes('internal/net')) return 'socket I/O (node:net)';
  if (url.startsWith('node:internal/streams') || url.startsWith('node:stream')) return 'streams';
  if (url.startsWith('node:')) return 'other node internals';
  if (url === '') return 'native';
  return 'bundle';
}

/** Self time of each node in ms, from the sample stream (hitCount alone ignores uneven intervals). */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // Each delta is the time before sample i; attribute it to that sample's node.
    const delta = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    times.set(samples[i], (times.get(samples[i]) ?? 0) + delta);
  }
  return times;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** generated line -> sorted [generatedColumn, sourceIndex] segments, from a source map's VLQ mappings. */
function decodeSourceMap(mapPath: string): { sources: string[]; lines: Array<Array<[number, number]>> } {
  const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[]; mappings: string };
  const lines: Array<Array<[number, number]>> = [];
  let source = 0;
  for (const lineText of map.mappings.split(';')) {
    const segments: Array<[number, number]> = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (segment === '') continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) source += values[1];
      segments.push([column, source]);
    }
    lines.push(segments);
  }
  return { sources: map.sources, lines };
}

/** Returns a function giving the original source file of a bundle position, or null. */
export function sourceLocator(mapPath: string): (line: number, column: number) => string | null {
  const { sources, lines } = decodeSourceMap(mapPath);
  return (line, column) => {
    const segments = lines[line];
    if (!segments || segments.length === 0) return null;
    let found = segments[0];
    for (const segment of segments) {
      if (segment[0] > column) break;
      found = segment;
    }
    return sources[found[1]] ?? null;
  };
}

/**
 * Summarizes a profile. `classify` maps an original source file (from the bundle's source map)
 * to an area of the node, e.g. "parser" for resp/request-parser.ts.
 */
export function summarizeProfile(path: string, locate: (line: number, column: number) => string | null, classify: (source: string) => string, top = 30): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const times = selfTimes(profile);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, { name: string; location: string; ms: number }>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const ms = times.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    let area = areaOf(node.callFrame);
    if (area === 'idle') idle += ms;
    let location = `${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
    if (area === 'bundle') {
      const source = locate(node.callFrame.lineNumber, node.callFrame.columnNumber);
      area = source === null ? 'other bundled code' : classify(source);
      if (source !== null) location = source.replace(/^(\.\.\/)+/, '');
    }
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { name, location, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const busy = total - idle;
  const share = (ms: number) => (busy > 0 ? ms / busy : 0);
  return {
    totalMs: total,
    busyMs: busy,
    areas: [...byArea.entries()]
      .filter(([area]) => area !== 'idle')
      .map(([area, ms]) => ({ area, ms, share: share(ms) }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...byFunction.values()]
      .filter((entry) => entry.name !== '(idle)')
      .map((entry) => ({ ...entry, share: share(entry.ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}
