// What the rctl-level fault scenarios share: a three-node set brought up by the built `rctl up`
// (test/failover/helpers.ts), the two launch kinds as report topologies, a writer that counts
// writes acknowledged together with `WAIT 1`, and the key-by-key comparison of every node.

import Redis from 'ioredis';
import { dumpKeyspace } from '../../helpers/keyspace-dump';
import { eventually } from '../../helpers/wait';
import { isAlive } from '../../cli/helpers';
import { PASSWORD, type LaunchKind, type NodeSet } from '../../failover/helpers';
import { differingKeys, type Dump, type Topology } from './link';

/** The whole set launched by `rctl up`: bundled nodes, or real redis-server. */
export const RCTL_TOPOLOGIES: readonly Topology[] = [
  { master: 'bundled', replica: 'bundled', label: 'bundled x3 (rctl up)' },
  { master: 'redis', replica: 'redis', label: 'redis-server x3 (rctl up)' },
];

export function launchKind(topology: Topology): LaunchKind {
  return topology.master === 'bundled' ? 'embedded' : 'redis-server';
}

/** A client of its own (WAIT blocks its connection), quick to give up on a dead node. */
export function ownClient(set: NodeSet, name: string, commandTimeout: number | undefined = 5_000): Redis {
  const node = set.byName(name);
  const client = new Redis({ host: node.host, port: node.port, password: PASSWORD, maxRetriesPerRequest: 1, retryStrategy: () => 50, enableReadyCheck: false, commandTimeout });
  client.on('error', () => {});
  return client;
}

export function dumpSetNode(set: NodeSet, name: string): Promise<Dump> {
  const node = set.byName(name);
  return dumpKeyspace(node.host, node.port, PASSWORD);
}

/** Every node's dump compared with the first one's: "node db:key" for each difference. */
export async function compareAll(set: NodeSet, names: string[]): Promise<{ dumps: Record<string, Dump>; differing: string[] }> {
  const dumps: Record<string, Dump> = {};
  for (const name of names) dumps[name] = await dumpSetNode(set, name);
  const [reference, ...others] = names;
  const differing = others.flatMap((name) => differingKeys(dumps[reference], dumps[name]).map((key) => `${name} ${key}`));
  return { dumps, differing };
}

export async function killAndWait(pid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  process.kill(pid, signal);
  await eventually(() => !isAlive(pid), { what: `pid ${pid} to die` });
}

/**
 * `SET wait:<n>` then `WAIT <replicas> <ms>` (default 1): a write counts as acknowledged only when
 * WAIT says at least that many replicas have it. Those are the writes a failover must never lose.
 */
export class WaitWriter {
  /** Steps whose WAIT returned >= 1. */
  readonly acked = new Set<number>();
  /** Steps whose SET got OK (whatever WAIT said). */
  readonly setOk = new Set<number>();
  errors = 0;
  private next = 0;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly client: Redis,
    private readonly waitMs = 100,
    /** How many replicas WAIT must report for a write to count (WAIT numreplicas). */
    private readonly replicas = 1,
  ) {}

  start(): this {
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const n = this.next++;
      try {
        if ((await this.client.set(`wait:${n}`, `v${n}`)) !== 'OK') throw new Error('SET not OK');
        this.setOk.add(n);
        const replicas = Number(await this.client.call('WAIT', String(this.replicas), String(this.waitMs)));
        if (replicas >= this.replicas) this.acked.add(n);
      } catch {
        this.errors++;
        // A dead master answers nothing: do not spin on the reconnect.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  missingIn(dump: Dump): number[] {
    const db0 = dump['0'] ?? {};
    return [...this.acked].filter((n) => !(`wait:${n}` in db0)).sort((a, b) => a - b);
  }
}
