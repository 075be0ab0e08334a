// The redis-sentinel processes of `launch: redis-sentinel`: their config files, starting them and
// stopping them. Sentinel keeps its own state (known replicas and sentinels, the epoch, and the
// master after a failover) in its config file, so rctl writes the `sentinel ...` lines only when
// it creates the file; on later launches it rewrites its own directives (port, bind, files,
// requirepass) and leaves the sentinel's state alone. Passwords live only in that 0600 file.

import { chmodSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Reporter } from '../node/reporter';
import { normalizeHost, type SentinelNode, type SentinelSet } from '../topology/model';
import type { Secret } from '../topology/secret';
import { clearRolesOverlay, readRolesOverlay } from '../state/roles';
import type { NodePaths, TopologyState } from '../state/topology-state';
import { awaitListening, portAnswers } from './launch';
import { directiveOf, quoteConfigValue } from '../formats/redis-conf';
import { upsertDirectives } from './node-config';
import { runningPid, startNodeProcess } from './process';
import { afterStop, terminate, type StopResult } from './stop';

export interface SentinelLaunch {
  sentinel: SentinelNode;
  launched: boolean;
  pid: number | null;
  paths: NodePaths;
}

export interface MonitoredMaster {
  host: string;
  port: number;
}

function bindAddress(host: string): string {
  return normalizeHost(host);
}

/** The `sentinel ...` lines of a new sentinel: what to monitor and how. */
export function monitorDirectives(set: SentinelSet, master: MonitoredMaster, nodePassword: Secret | null): string[] {
  const name = set.masterName;
  const host = normalizeHost(master.host);
  const lines: string[] = [];
  // A host name (not an IP) in `sentinel monitor` needs resolve-hostnames (Redis 6.2 and later).
  if (isIP(host) === 0) lines.push('sentinel resolve-hostnames yes');
  lines.push(`sentinel monitor ${name} ${host} ${master.port} ${set.quorum}`);
  if (nodePassword) lines.push(`sentinel auth-pass ${name} ${quoteConfigValue(nodePassword.reveal())}`);
  if (set.downAfterMs !== undefined) lines.push(`sentinel down-after-milliseconds ${name} ${set.downAfterMs}`);
  if (set.failoverTimeoutMs !== undefined) lines.push(`sentinel failover-timeout ${name} ${set.failoverTimeoutMs}`);
  if (set.parallelSyncs !== undefined) lines.push(`sentinel parallel-syncs ${name} ${set.parallelSyncs}`);
  return lines;
}

function managedSentinelDirectives(set: SentinelSet, sentinel: SentinelNode, paths: NodePaths): Array<[string, string]> {
  const directives: Array<[string, string]> = [
    ['port', String(sentinel.port)],
    ['bind', bindAddress(sentinel.host)],
    ['daemonize', 'no'],
    ['dir', quoteConfigValue(paths.dataDir)],
    ['logfile', quoteConfigValue(paths.log)],
    ['pidfile', quoteConfigValue(paths.pid)],
  ];
  if (set.password) directives.push(['requirepass', quoteConfigValue(set.password.reveal())]);
  return directives;
}

/** Creates the sentinel's directory (0700) and config (0600); true when the config is new. */
export function writeSentinelConfig(set: SentinelSet, sentinel: SentinelNode, paths: NodePaths, master: MonitoredMaster, nodePassword: Secret | null): boolean {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const fresh = !existsSync(paths.config);
  const base = fresh ? `# Written by rctl up. Sentinel rewrites this file with what it learns; rctl rewrites only\n# port, bind, dir, logfile, pidfile and requirepass on each launch.\n${monitorDirectives(set, master, nodePassword).join('\n')}\n` : readFileSync(paths.config, 'utf8');
  // Without a password in the file, an earlier requirepass must not linger.
  const kept = set.password ? base : base.split('\n').filter((line) => directiveOf(line) !== 'requirepass').join('\n');
  writeFileSync(paths.config, upsertDirectives(kept, managedSentinelDirectives(set, sentinel, paths)), { mode: 0o600 });
  chmodSync(paths.config, 0o600);
  return fresh;
}

/**
 * Sentinel rewrites its config (CONFIG REWRITE after every change it learns) as a new file whose
 * mode follows its umask: started under umask 077, the rewritten file stays 0600.
 */
function withPrivateUmask<T>(start: () => T): T {
  const previous = process.umask(0o077);
  try {
    return start();
  } finally {
    process.umask(previous);
  }
}

export async function launchSentinels(
  set: SentinelSet,
  master: MonitoredMaster,
  nodePassword: Secret | null,
  options: { state: TopologyState; startTimeoutMs: number; reporter: Reporter },
): Promise<SentinelLaunch[]> {
  if (set.launch !== 'redis-sentinel') return [];
  const answering = await Promise.all(set.nodes.map((sentinel) => portAnswers(sentinel.host, sentinel.port, 500)));
  const toStart = set.nodes.filter((_, i) => !answering[i]);
  if (toStart.length > 0) options.reporter.step(`starting ${toStart.map((s) => `${s.name} (${s.address})`).join(', ')}`);
  return Promise.all(
    set.nodes.map((sentinel, i) =>
      answering[i] ? { sentinel, launched: false, pid: null, paths: options.state.sentinelPaths(sentinel.name) } : launchSentinel(set, sentinel, master, nodePassword, options),
    ),
  );
}

async function launchSentinel(set: SentinelSet, sentinel: SentinelNode, master: MonitoredMaster, nodePassword: Secret | null, options: { state: TopologyState; startTimeoutMs: number }): Promise<SentinelLaunch> {
  const paths = options.state.sentinelPaths(sentinel.name);
  writeSentinelConfig(set, sentinel, paths, master, nodePassword);
  // The redis-server launcher runs `<executable> <config>`, which is how redis-sentinel starts too.
  const child = withPrivateUmask(() => startNodeProcess('redis-server', paths, set.redisSentinel ?? 'redis-sentinel'));
  await awaitListening(sentinel, paths, child, options.startTimeoutMs, { failed: 'SENTINEL_LAUNCH_FAILED', timedOut: 'SENTINEL_LAUNCH_TIMEOUT' });
  return { sentinel, launched: true, pid: child.pid, paths };
}

/** Stops the sentinels rctl launched: SIGTERM (Sentinel saves its config and exits), then SIGKILL. */
export async function stopSentinels(set: SentinelSet, options: { state: TopologyState; graceMs: number; purge: boolean }): Promise<StopResult[]> {
  return Promise.all(
    set.nodes.map(async (sentinel): Promise<StopResult> => {
      const base = { name: sentinel.name, address: sentinel.address, note: null as string | null, purged: false };
      if (set.launch !== 'redis-sentinel') return { ...base, outcome: 'external', pid: null };
      const paths = options.state.sentinelPaths(sentinel.name);
      const pid = runningPid(paths);
      if (pid === null) return afterStop(paths, { ...base, outcome: 'not running', pid: null }, options.purge);
      const outcome = await terminate(pid, options.graceMs);
      return afterStop(paths, { ...base, outcome, pid, note: outcome === 'killed' ? 'ignored SIGTERM' : null }, options.purge);
    }),
  ).finally(() => {
    if (!options.purge || set.launch !== 'redis-sentinel') return;
    // The master rctl followed lived in the purged sentinels' state: a fresh set starts from the file.
    if (readRolesOverlay(options.state)?.by === 'sentinel') clearRolesOverlay(options.state);
    try {
      rmdirSync(options.state.sentinelsDir());
    } catch {
      // not empty, or already gone
    }
  });
}
