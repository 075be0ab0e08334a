// A cache of validated topology files under RCTL_HOME, so `rctl status` skips YAML parsing and
// schema validation (a third of its start-up) while the file is unchanged. The key is the file's
// identity and timestamps; passwords from passwordEnv/passwordFile are resolved afresh on each
// use, and any doubt falls back to the full parse (which also produces the located errors).

import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writePrivateFileAtomically } from './private-file';
import type { Topology } from '../topology/model';
import { readPasswordFile } from '../topology/password';
import { Secret } from '../topology/secret';

// Bump when the Topology shape or the validation rules change (2: tls paths on the topology and its
// nodes; 3: redisServer; 4: the sentinel section and its own password).
const CACHE_VERSION = 4;

type CachedAuth = { kind: 'none' } | { kind: 'inline'; password: string; source: string } | { kind: 'env'; name: string } | { kind: 'file'; path: string; shown: string };

interface CacheEntry {
  version: number;
  file: string;
  stamp: string;
  topology: Omit<Topology, 'password' | 'passwordSource' | 'displayFile'>;
  auth: CachedAuth;
  /** The sentinels' password, resolved afresh like the nodes' (entry.topology.sentinel has none). */
  sentinelAuth?: CachedAuth;
}

function stampOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** Two FNV-1a hashes: a cache file name per topology path (entries also store the path, so a collision is a miss). */
function pathKey(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x0100019d) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function cachePath(home: string, absolute: string): string {
  return join(home, 'cache', 'topologies', pathKey(absolute) + '.json');
}

/** What the auth section said, recovered from the resolved topology without re-reading YAML. */
function authOf(password: Secret | null, source: string | null, topologyFile: string): CachedAuth | null {
  if (source === null || password === null) return { kind: 'none' };
  if (source.endsWith('auth.password')) return { kind: 'inline', password: password.reveal(), source };
  if (source.startsWith('$')) return { kind: 'env', name: source.slice(1) };
  if (source.startsWith('file ')) {
    const shown = source.slice(5);
    return { kind: 'file', path: resolve(dirname(topologyFile), shown), shown };
  }
  return null;
}

function resolveCachedAuth(auth: CachedAuth, env: NodeJS.ProcessEnv): { password: Secret | null; source: string | null } | null {
  switch (auth.kind) {
    case 'none':
      return { password: null, source: null };
    case 'inline':
      return { password: new Secret(auth.password), source: auth.source };
    case 'env': {
      const value = env[auth.name];
      return value ? { password: new Secret(value), source: `$${auth.name}` } : null;
    }
    case 'file': {
      // The same guarded read as a fresh load: the file may have become a FIFO since.
      const read = readPasswordFile(auth.path);
      if ('problem' in read) return null;
      const value = read.text.replace(/\r?\n$/, '');
      return value !== '' && !/[\r\n\0]/.test(value) ? { password: new Secret(value), source: `file ${auth.shown}` } : null;
    }
  }
}

/** The cached topology for this file, when the file is unchanged and its password resolves; else null. */
export function readCachedTopology(absolute: string, displayFile: string, home: string, env: NodeJS.ProcessEnv): Topology | null {
  let stats: Stats;
  try {
    stats = statSync(absolute);
    const entry = JSON.parse(readFileSync(cachePath(home, absolute), 'utf8')) as CacheEntry;
    if (entry.version !== CACHE_VERSION || entry.file !== absolute || entry.stamp !== stampOf(stats)) return null;
    const auth = resolveCachedAuth(entry.auth, env);
    if (!auth) return null;
    const topology: Topology = { ...entry.topology, displayFile, password: auth.password, passwordSource: auth.source };
    if (!entry.topology.sentinel) return topology;
    const sentinelAuth = entry.sentinelAuth ? resolveCachedAuth(entry.sentinelAuth, env) : null;
    if (!sentinelAuth) return null;
    return { ...topology, sentinel: { ...entry.topology.sentinel, password: sentinelAuth.password, passwordSource: sentinelAuth.source } };
  } catch {
    return null;
  }
}

/** Records a freshly validated topology. `stats` must be taken before the file was read. */
export function writeTopologyCache(topology: Topology, stats: Stats, home: string): void {
  const auth = authOf(topology.password, topology.passwordSource, topology.file);
  if (!auth) return;
  const sentinelAuth = topology.sentinel ? authOf(topology.sentinel.password, topology.sentinel.passwordSource, topology.file) : undefined;
  if (sentinelAuth === null) return;
  try {
    const { password: _password, passwordSource: _source, displayFile: _display, ...rest } = topology;
    const entry: CacheEntry = { version: CACHE_VERSION, file: topology.file, stamp: stampOf(stats), topology: rest, auth, ...(sentinelAuth ? { sentinelAuth } : {}) };
    const path = cachePath(home, topology.file);
    // An inline password is as private here as in the topology file.
    writePrivateFileAtomically(path, JSON.stringify(entry));
  } catch {
    // a read-only RCTL_HOME only costs speed
  }
}
