// The config file of a launched node (redis.conf syntax, read by redis-server and the bundled
// node alike). rctl owns a few directives and rewrites them on every launch; everything else,
// including what CONFIG REWRITE persisted (replicaof...), is kept.

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Secret } from '../topology/secret';
import type { TopologyNode } from '../topology/model';
import type { NodePaths } from '../state/topology-state';
import { directiveOf, quoteConfigValue } from '../formats/redis-conf';

export function managedDirectives(node: TopologyNode, paths: NodePaths, password: Secret | null): Array<[string, string]> {
  const directives: Array<[string, string]> = [
    // With tls the declared port is the TLS port (tlsDirectives).
    ['port', node.tls ? '0' : String(node.port)],
    ['bind', node.host === 'localhost' ? '127.0.0.1' : node.host.replace(/^\[(.*)\]$/, '$1')],
    ['daemonize', 'no'],
    ['dir', quoteConfigValue(paths.dataDir)],
    ['logfile', quoteConfigValue(paths.log)],
    ['pidfile', quoteConfigValue(paths.pid)],
  ];
  if (password) {
    directives.push(['requirepass', quoteConfigValue(password.reveal())]);
    // Every node gets masterauth: any replica may be promoted and any master demoted (the seeds' advice).
    directives.push(['masterauth', quoteConfigValue(password.reveal())]);
  }
  if (node.priority !== undefined) directives.push(['replica-priority', String(node.priority)]);
  if (node.tls) directives.push(...tlsDirectives(node));
  return directives;
}

/** Directives rctl writes only for a topology with tls, and removes when the tls section goes away. */
export const TLS_DIRECTIVE_NAMES = ['tls-port', 'tls-cert-file', 'tls-key-file', 'tls-ca-cert-file', 'tls-auth-clients', 'tls-replication', 'replica-announce-port'] as const;

/**
 * The node's declared port becomes its TLS port, so the topology's address stays the one to reach
 * it. Plain TCP: redis-server reads `port 0` as "no plain listener"; the bundled node reads it as
 * "any free port" on its (loopback) bind, which nothing in rctl uses. The bundled node would then
 * announce that plain port to its master, hence replica-announce-port (Redis announces its
 * tls-port under tls-replication by itself; the directive is the same there).
 */
function tlsDirectives(node: TopologyNode): Array<[string, string]> {
  const tls = node.tls;
  if (!tls) return [];
  return [
    ['tls-port', String(node.port)],
    ['tls-cert-file', quoteConfigValue(tls.cert)],
    ['tls-key-file', quoteConfigValue(tls.key)],
    ['tls-ca-cert-file', quoteConfigValue(tls.ca)],
    ['tls-auth-clients', 'yes'],
    ['tls-replication', 'yes'],
    ['replica-announce-port', String(node.port)],
  ];
}

/** Drops every line setting one of `names` (case-insensitive directive names). */
export function removeDirectives(text: string, names: readonly string[]): string {
  const drop = new Set(names.map((name) => name.toLowerCase()));
  const lines = (text === '' ? [] : text.replace(/\n$/, '').split('\n')).filter((l) => !drop.has(directiveOf(l)));
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Replaces each managed directive's line (dropping duplicates) or appends it; other lines stay. */
export function upsertDirectives(text: string, directives: Array<[string, string]>): string {
  // CONFIG REWRITE persists the default user as `user default on #<sha256> ...`; rctl sets that
  // password through requirepass, so a stale line would keep accepting an old password.
  const lines = (text === '' ? [] : text.replace(/\n$/, '').split('\n')).filter((l) => !/^\s*user\s+default\s/i.test(l));
  for (const [name, value] of directives) {
    const line = `${name} ${value}`;
    const matches = lines.map((l, i) => ({ l, i })).filter(({ l }) => directiveOf(l) === name);
    if (matches.length === 0) {
      lines.push(line);
      continue;
    }
    lines[matches[0].i] = line;
    for (const extra of matches.slice(1).reverse()) lines.splice(extra.i, 1);
  }
  return lines.join('\n') + '\n';
}

// Written once, when the file is created; the operator may change these afterwards.
const INITIAL_CONFIG = `# Written by rctl up. rctl rewrites the directives it manages (port, bind, dir, logfile, pidfile,
# requirepass, masterauth, replica-priority, and with a tls section tls-* and replica-announce-port)
# on each launch; CONFIG REWRITE persists the rest.
# up starts every replica at once: no need to wait for more replicas before a diskless transfer.
repl-diskless-sync-delay 0
# Redis 7.0's snapshot defaults, spelled out: Redis 5.0 started with a config file that has no save
# line takes no snapshots at all (6.2 and later keep the defaults). One pair a line: 5.0 reads no more.
save 3600 1
save 300 100
save 60 10000
`;

/**
 * Creates the node's directories (0700) and writes its config (0600). `replicaOf`: the node starts
 * as a replica of that address (its own replicaof/slaveof lines replaced), so that a snapshot of
 * the master's history lets it continue with a partial resync (Redis restores the replication id
 * from its RDB only when it starts as a replica).
 */
export function writeNodeConfig(node: TopologyNode, paths: NodePaths, password: Secret | null, replicaOf?: { host: string; port: number }): void {
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const existing = existsSync(paths.config) ? readFileSync(paths.config, 'utf8') : INITIAL_CONFIG;
  // Without tls, earlier TLS lines would keep a TLS listener on the node's plain port.
  let base = node.tls ? existing : removeDirectives(existing, TLS_DIRECTIVE_NAMES);
  const directives = managedDirectives(node, paths, password);
  if (replicaOf) {
    base = removeDirectives(base, ['slaveof']);
    directives.push(['replicaof', `${replicaOf.host.replace(/^\[(.*)\]$/, '$1')} ${replicaOf.port}`]);
  }
  writeFileSync(paths.config, upsertDirectives(base, directives), { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file, and CONFIG REWRITE recreates it 0644.
  chmodSync(paths.config, 0o600);
}
