// Helpers for the failover end-to-end suites: a three-node set brought up by the built `rctl`
// (bundled nodes or real redis-server) on the seeds' hosts emulated as loopback addresses, and
// direct INFO/command access to the nodes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { expect } from 'vitest';
import { freePort } from '../helpers/ports';
import { eventually } from '../helpers/wait';
import { requireBuiltCli, sandbox, type RunResult, type Sandbox } from '../cli/helpers';

export const PASSWORD = '123456';
export const SEED_HOSTS = ['127.0.0.58', '127.0.0.17', '127.0.0.27'] as const;
export type LaunchKind = 'embedded' | 'redis-server';

export interface SetNode {
  name: string;
  host: string;
  port: number;
}

export interface NodeSet {
  box: Sandbox;
  name: string;
  file: string;
  nodes: SetNode[];
  byName(name: string): SetNode;
  /** ioredis client per node (authenticated), created lazily and closed by close(). */
  client(name: string): Redis;
  /** rctl with -t FILE appended. */
  rctl(args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  pid(name: string): number;
  close(): Promise<void>;
}

export async function startSet(kind: LaunchKind, name: string, nodeNames: [string, string, string]): Promise<NodeSet> {
  requireBuiltCli();
  const box = sandbox();
  const nodes: SetNode[] = [];
  for (let i = 0; i < 3; i++) nodes.push({ name: nodeNames[i], host: SEED_HOSTS[i], port: await freePort(SEED_HOSTS[i]) });
  const file = box.topology(
    `${name}.yml`,
    `name: ${name}
auth:
  password: "${PASSWORD}"
launch: ${kind}
nodes:
${nodes.map((n, i) => `  - { name: ${n.name}, host: ${n.host}, port: ${n.port}, role: ${i === 0 ? 'master' : 'replica'} }`).join('\n')}
`,
  );
  const clients = new Map<string, Redis>();
  const set: NodeSet = {
    box,
    name,
    file,
    nodes,
    byName(nodeName) {
      const node = nodes.find((n) => n.name === nodeName);
      if (!node) throw new Error(`no node ${nodeName}`);
      return node;
    },
    client(nodeName) {
      let client = clients.get(nodeName);
      if (!client) {
        const node = set.byName(nodeName);
        client = new Redis({ host: node.host, port: node.port, password: PASSWORD, maxRetriesPerRequest: 1, enableOfflineQueue: true });
        client.on('error', () => {});
        clients.set(nodeName, client);
      }
      return client;
    },
    rctl: (args, options) => box.run([...args, '-t', file], options),
    pid: (nodeName) => Number(readFileSync(join(box.home, name, nodeName, 'node.pid'), 'utf8').trim()),
    async close() {
      for (const client of clients.values()) client.disconnect();
      clients.clear();
      // SIGCONT first: a stopped node cannot answer SHUTDOWN (cleanup SIGKILLs it anyway).
      for (const node of nodes) {
        try {
          process.kill(set.pid(node.name), 'SIGCONT');
        } catch {
          // not running
        }
      }
      box.cleanup();
    },
  };
  const up = await set.rctl(['up']);
  expect(up.code, up.stdout + up.stderr).toBe(0);
  return set;
}

export async function info(client: Redis, section = 'replication'): Promise<Record<string, string>> {
  const text = await client.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

/** sync_full summed over the nodes that answer: a full resync anywhere in the set shows here. */
export async function totalFullSyncs(set: NodeSet): Promise<number> {
  let total = 0;
  for (const node of set.nodes) total += Number((await info(set.client(node.name), 'stats')).sync_full);
  return total;
}

/** The node that reports role:master now. */
export async function currentMaster(set: NodeSet, among = set.nodes.map((n) => n.name)): Promise<string> {
  for (const name of among) if ((await info(set.client(name))).role === 'master') return name;
  throw new Error('no master');
}

/** Waits until every other node follows `master` with its link up and offsets equal. */
export async function settled(set: NodeSet, master: string, among = set.nodes.map((n) => n.name)): Promise<void> {
  const m = set.byName(master);
  await eventually(
    async () => {
      const masterInfo = await info(set.client(master));
      if (masterInfo.role !== 'master') return false;
      for (const name of among) {
        if (name === master) continue;
        const r = await info(set.client(name));
        if (r.role !== 'slave' || r.master_host !== m.host || Number(r.master_port) !== m.port || r.master_link_status !== 'up') return false;
        if (r.slave_repl_offset !== masterInfo.master_repl_offset) return false;
      }
      return true;
    },
    { what: `replicas settled on ${master}`, timeout: 15_000 },
  );
}

/** Points a node at an address where nothing listens: it keeps its data and history, and receives nothing more. */
export async function detach(set: NodeSet, name: string): Promise<void> {
  const deadPort = await freePort();
  expect(await set.client(name).call('REPLICAOF', '127.0.0.1', String(deadPort))).toBe('OK');
}

export function parseJson<T = Record<string, unknown>>(result: RunResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
