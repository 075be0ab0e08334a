// The version matrix: the seeds' scenario played end to end by the built `rctl` on one Redis
// version (or a mixed set), each node on its own loopback address (the seeds' 10.0.0.58 / .17 /
// .27 as 127.0.0.58 / .17 / .27) and one port:
//   up and status; graceful failovers under a write load round the nodes and back; a forced
//   failover after the master is stopped; the old master restarted and rejoined by `up`.
// On each: no acknowledged write lost, no full resync after the first sync, the new master takes
// writes, every node's switch settings as they were before rctl touched them, each config file
// holding the replicaof line of its node's role, and `rctl status` healthy at the end.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuiltCli, sandbox, type RunResult, type Sandbox } from '../cli/helpers';
import { masterClient } from '../failover/follow-master-client';
import { info } from '../failover/helpers';
import { eventually } from '../helpers/wait';
import { describeWithVersion, type MatrixVersion, type RedisBinaries } from '../helpers/redis-versions';

export const PASSWORD = '123456';
const HOSTS = ['127.0.0.58', '127.0.0.17', '127.0.0.27'] as const;
const NAMES = ['master', 'slave1', 'slave2'] as const;
type NodeName = (typeof NAMES)[number];

/** One node of the set: the bundled node, or redis-server of some version. */
export type MatrixNode = { kind: 'bundled' } | { kind: 'redis'; binaries: RedisBinaries };

export interface MatrixSpec {
  /** Topology name: letters, digits, dashes. */
  name: string;
  /** master, slave1, slave2. */
  nodes: [MatrixNode, MatrixNode, MatrixNode];
  /** The redis_version each node reports. */
  versions: [string, string, string];
  /** The graceful switches under load, in order (each names the node to promote). */
  round: NodeName[];
  /** Every node runs Lua: the load then writes through EVAL too (the bundled node has no scripting). */
  scripts: boolean;
}

/**
 * How a write is sent. A fence that stops SET may not stop the others (min-replicas-to-write does
 * not apply to scripts or to the EXEC of a transaction before Redis 6.2); keys with a TTL make the
 * master expire keys, and propagate DELs, around the switch.
 */
type WriteKind = 'set' | 'eval' | 'multi' | 'ttl';
const EVAL_SET = "redis.call('set', KEYS[1], ARGV[1]) return 1";

/** Settings a switch changes, set to values that are not Redis's defaults: each must come back. */
const SETTINGS: Record<string, string> = { 'min-replicas-to-write': '0', 'min-replicas-max-lag': '7', 'repl-ping-replica-period': '5' };

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** A port free on every one of the three addresses, as the seeds' hosts all use 6379. */
async function sharedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const free = await Promise.all(HOSTS.map((host) => canListen(host, port)));
    if (free.every(Boolean)) return port;
  }
  throw new Error('no port free on all three addresses');
}

const infoOf = (client: Redis, section: string) => info(client, section);

function parseJson<T>(result: RunResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

interface FailoverJson {
  from: string;
  to: string;
  mode: string;
  steps: Array<{ step: string; node: string; ok: boolean }>;
  fullResyncs: number;
  partialResyncs: number;
  writesPausedMs: number;
  readsPausedMs: number;
  durationMs: number;
}

/** Writes through a client that follows the master, recording every acknowledged key. */
class Writer {
  readonly acked: string[] = [];
  failed = 0;
  private stop = false;
  private loop: Promise<void> | null = null;
  private client: Redis;

  constructor(
    private readonly nodes: Array<{ host: string; port: number }>,
    private readonly prefix: string,
    /** With WAIT: acknowledged only once at least one replica has the write (a master may die). */
    private readonly waitForReplica: boolean,
    private readonly kinds: readonly WriteKind[] = ['set'],
  ) {
    this.client = this.connect();
  }

  private connect(): Redis {
    const client = masterClient(this.nodes, PASSWORD);
    client.on('error', () => {});
    return client;
  }

  start(): void {
    let n = 0;
    this.loop = (async () => {
      while (!this.stop) {
        const kind = this.kinds[n % this.kinds.length];
        const key = `${this.prefix}:${kind}:${n++}`;
        try {
          if (!(await this.write(kind, key))) {
            this.failed++;
            continue;
          }
          // A key with a TTL is gone soon: it is there to make the master expire keys, not to be found.
          if (kind === 'ttl') continue;
          if (this.waitForReplica && Number(await this.client.call('WAIT', '1', '1000')) < 1) {
            this.failed++;
            continue;
          }
          this.acked.push(key);
        } catch {
          this.failed++;
          // A client that found no master (the old one stopped, the new one not promoted yet) gives up for good.
          if (this.client.status === 'end') {
            this.client.disconnect();
            this.client = this.connect();
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    })();
  }

  /** True when the master acknowledged the write. */
  private async write(kind: WriteKind, key: string): Promise<boolean> {
    switch (kind) {
      case 'set':
        return (await this.client.set(key, key)) === 'OK';
      case 'ttl':
        return (await this.client.set(key, key, 'PX', 150)) === 'OK';
      case 'eval':
        return Number(await this.client.eval(EVAL_SET, 1, key, key)) === 1;
      case 'multi': {
        const replies = await this.client.multi().set(key, key).exec();
        return replies !== null && replies.every(([error, reply]) => error === null && reply === 'OK');
      }
    }
  }

  async waitFor(count: number, what: string): Promise<void> {
    const target = this.acked.length + count;
    await eventually(() => this.acked.length >= target, { what, timeout: 20_000 });
  }

  async finish(): Promise<void> {
    this.stop = true;
    await this.loop;
    this.client.disconnect();
  }
}

export function matrixSuite(spec: MatrixSpec): void {
  let box: Sandbox;
  let file: string;
  let port: number;
  const clients = new Map<NodeName, Redis>();
  const acknowledged: string[] = [];
  const addresses = () => HOSTS.map((host) => ({ host, port }));
  const rctl = (args: string[]) => box.run([...args, '-t', file], { timeoutMs: 60_000 });
  const client = (name: NodeName): Redis => {
    let c = clients.get(name);
    if (!c) {
      c = new Redis({ host: HOSTS[NAMES.indexOf(name)], port, password: PASSWORD, maxRetriesPerRequest: 1, lazyConnect: false });
      c.on('error', () => {});
      clients.set(name, c);
    }
    return c;
  };
  const dropClient = (name: NodeName) => {
    clients.get(name)?.disconnect();
    clients.delete(name);
  };
  const nodeDir = (name: NodeName) => join(box.home, spec.name, name);

  /** sync_full and sync_partial_ok summed over the nodes that answer. */
  async function syncCounters(among: readonly NodeName[] = NAMES): Promise<{ full: number; partial: number }> {
    let full = 0;
    let partial = 0;
    for (const name of among) {
      const stats = await infoOf(client(name), 'stats');
      full += Number(stats.sync_full);
      partial += Number(stats.sync_partial_ok);
    }
    return { full, partial };
  }

  async function roleOf(name: NodeName): Promise<string> {
    return (await infoOf(client(name), 'replication')).role;
  }

  /** Every node but `master` follows it with its link up and its offset equal. */
  async function settled(master: NodeName): Promise<void> {
    await eventually(
      async () => {
        const m = await infoOf(client(master), 'replication');
        if (m.role !== 'master') return false;
        for (const name of NAMES) {
          if (name === master) continue;
          const r = await infoOf(client(name), 'replication');
          if (r.role !== 'slave' || r.master_host !== HOSTS[NAMES.indexOf(master)] || r.master_link_status !== 'up' || r.slave_repl_offset !== m.master_repl_offset) return false;
        }
        return true;
      },
      { what: `every node settled on ${master}`, timeout: 20_000 },
    );
  }

  /** The node's config file says what its role is: replicaof the master, or no replicaof line. */
  function expectConfigRole(name: NodeName, master: NodeName): void {
    const lines = readFileSync(join(nodeDir(name), 'node.conf'), 'utf8')
      .split('\n')
      .filter((line) => /^(replicaof|slaveof)\s/i.test(line));
    if (name === master) expect(lines, `${name}'s config`).toEqual([]);
    else expect(lines, `${name}'s config`).toEqual([`replicaof ${HOSTS[NAMES.indexOf(master)]} ${port}`]);
  }

  async function expectSettingsIntact(among: readonly NodeName[] = NAMES): Promise<void> {
    for (const name of among) {
      for (const [setting, value] of Object.entries(SETTINGS)) {
        expect(await client(name).config('GET', setting), `${name} ${setting}`).toEqual([setting, value]);
      }
    }
  }

  async function expectAcknowledgedEverywhere(): Promise<void> {
    for (const name of NAMES) {
      const missing: string[] = [];
      for (let i = 0; i < acknowledged.length; i += 1000) {
        const slice = acknowledged.slice(i, i + 1000);
        const values = await client(name).mget(...slice);
        slice.forEach((key, j) => {
          if (values[j] !== key) missing.push(key);
        });
      }
      expect(missing, `acknowledged writes missing on ${name}`).toEqual([]);
    }
    const sizes = await Promise.all(NAMES.map((name) => client(name).dbsize()));
    expect(new Set(sizes).size, `DBSIZE of ${NAMES.join(', ')}: ${sizes.join(', ')}`).toBe(1);
  }

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    port = await sharedPort();
    const nodeLines = NAMES.map((name, i) => {
      const node = spec.nodes[i];
      const launch = node.kind === 'bundled' ? 'launch: embedded' : `launch: redis-server, redisServer: ${node.binaries.server}`;
      return `  - { name: ${name}, host: ${HOSTS[i]}, port: ${port}, role: ${i === 0 ? 'master' : 'replica'}, ${launch} }`;
    });
    file = box.topology(`${spec.name}.yml`, `name: ${spec.name}\nauth:\n  password: "${PASSWORD}"\nnodes:\n${nodeLines.join('\n')}\n`);
  });

  afterAll(async () => {
    for (const c of clients.values()) c.disconnect();
    if (box) {
      await box.run(['down', '-t', file]).catch(() => undefined);
      box.cleanup();
    }
  });

  it('up: three nodes on their own addresses, linked, each config file holding its role', async () => {
    const up = await rctl(['up']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const status = await rctl(['status', '--json']);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const report = parseJson<{ healthy: boolean; nodes: Array<{ name: string; version: string; role: string }> }>(status);
    expect(report.healthy).toBe(true);
    expect(report.nodes.map((n) => [n.name, n.version, n.role])).toEqual([
      ['master', spec.versions[0], 'master'],
      ['slave1', spec.versions[1], 'replica'],
      ['slave2', spec.versions[2], 'replica'],
    ]);
    for (const name of NAMES) expectConfigRole(name, 'master');
    // Non-default values of what a switch changes, so that a reset to defaults would show.
    for (const name of NAMES) for (const [setting, value] of Object.entries(SETTINGS)) expect(await client(name).config('SET', setting, value)).toBe('OK');
    // Writable replicas: each old master must still refuse the writes of the clients left on it
    // (it turns read-only with the switch, and stays so).
    for (const name of NAMES) expect(await client(name).config('SET', 'replica-read-only', 'no')).toBe('OK');
    // The load writes megabytes a second, and a 5.0 replica links to a new master only at its
    // next once-a-second cron: the backlog must hold that (rctl check's BACKLOG_TOO_SMALL rule).
    for (const name of NAMES) expect(await client(name).config('SET', 'repl-backlog-size', String(64 * 1024 * 1024))).toBe('OK');
    await settled('master');
  });

  it('--dry-run names the pause this master\'s version allows, and changes nothing', async () => {
    const result = await rctl(['failover', '--promote', 'slave1', '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const plan = parseJson<{ warnings: string[]; plan: Array<{ step: string; node: string; command: string }> }>(result);
    const steps = plan.plan.map((s) => s.step);
    if (spec.versions[0].startsWith('5.')) {
      expect(steps).toContain('pause and fence');
      expect(steps).not.toContain('pause writes');
      expect(plan.plan.find((s) => s.step === 'pause and fence')?.command).toMatch(/^MULTI; CONFIG SET min-replicas-to-write 2147483647; DEBUG SET-ACTIVE-EXPIRE 0 \(where DEBUG is available\); CLIENT PAUSE \d+; CLIENT KILL TYPE normal SKIPME yes; CLIENT KILL TYPE pubsub; INFO replication; EXEC/);
      // replica-read-only is no on these nodes: the demoted master turns read-only until the writes it held were refused.
      expect(plan.plan.find((s) => s.step === 'demote')?.command).toMatch(/^MULTI; CONFIG SET replica-read-only yes; REPLICAOF 127\.0\.0\.17 \d+; DEBUG SET-ACTIVE-EXPIRE 1; EXEC; INFO replication/);
      expect(plan.warnings.join('\n')).toContain(`master runs Redis ${spec.versions[0]}, which has no CLIENT PAUSE WRITE: the switch pauses its reads as well as its writes`);
    } else {
      expect(plan.plan.find((s) => s.step === 'pause writes')?.command).toBe('CLIENT PAUSE 10000 WRITE');
      expect(plan.warnings.join('\n')).not.toContain('CLIENT PAUSE WRITE');
    }
    // The restore in this version's syntax: one CONFIG SET from 7.0, a transaction before.
    const restore = plan.plan.find((s) => s.step === 'resume writes')?.command ?? '';
    if (spec.versions[0].startsWith('5.')) expect(restore).toMatch(/^MULTI; CONFIG SET min-replicas-to-write 0; CONFIG SET min-replicas-max-lag 7; CONFIG SET repl-ping-replica-period 5; CONFIG SET hz 10; EXEC/);
    else if (spec.versions[0].startsWith('6.')) expect(restore).toMatch(/^MULTI; CONFIG SET min-replicas-to-write 0; CONFIG SET min-replicas-max-lag 7; CONFIG SET repl-ping-replica-period 5; EXEC; CLIENT UNPAUSE/);
    else expect(restore).toMatch(/^CONFIG SET min-replicas-to-write 0 min-replicas-max-lag 7 repl-ping-replica-period 5; CLIENT UNPAUSE/);
    expect(restore).not.toContain('replica-read-only');
    // The fence turns the master-to-be-replica read-only at once from 6.2 (before, the demotion does).
    if (!spec.versions[0].startsWith('5.')) expect(plan.plan.find((s) => s.step === 'fence')?.command).toMatch(/replica-read-only yes/);
    await expectSettingsIntact();
    expect(await roleOf('master')).toBe('master');
  });

  it('a detached candidate: refused before 6.2 (it must be linked straight to the master), rolled back from 6.2 after --timeout; up re-links it', async () => {
    // slave1 follows an address where nothing listens: it keeps its history and receives nothing more.
    const deadPort = await sharedPort();
    expect(await client('slave1').call('REPLICAOF', '127.0.0.1', String(deadPort))).toBe('OK');
    for (let i = 0; i < 20; i++) expect(await client('master').set(`behind:${i}`, `behind:${i}`)).toBe('OK');
    acknowledged.push(...Array.from({ length: 20 }, (_, i) => `behind:${i}`));
    const before = await syncCounters();
    const result = await rctl(['failover', '--promote', 'slave1', '--yes', '--timeout', '0.5', '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(4);
    const error = parseJson<{ error: { code: string; message: string } }>(result).error;
    if (spec.versions[0].startsWith('5.')) {
      expect(error.code).toBe('NOT_A_CANDIDATE');
      expect(error.message).toContain('before Redis 6.2 only a replica linked straight to master can take over gracefully');
    } else {
      expect(error.code).toBe('CATCH_UP_TIMEOUT');
      expect(error.message).toContain('rolled back: writes resumed on master, nothing changed');
    }
    expect(await roleOf('master')).toBe('master');
    await expectSettingsIntact();
    expect(await client('master').set('after-rollback', 'after-rollback')).toBe('OK');
    acknowledged.push('after-rollback');
    expect(existsSync(join(box.home, spec.name, 'switch-master.json'))).toBe(false);
    const up = await rctl(['up']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    await settled('master');
    expect((await syncCounters()).full).toBe(before.full);
    expectConfigRole('slave1', 'master');
  });

  it('graceful failovers under a write load, round the nodes and back: no acknowledged write lost, no full resync', async () => {
    let current: NodeName = 'master';
    for (const next of spec.round) {
      // Two clients: plain SETs, and the writes a fence may not stop (scripts, transactions, TTLs).
      const writer = new Writer(addresses(), `load-${current}-${next}`, false);
      const other = new Writer(addresses(), `other-${current}-${next}`, false, spec.scripts ? ['eval', 'multi', 'ttl'] : ['multi', 'ttl']);
      writer.start();
      other.start();
      await writer.waitFor(100, `writes flowing on ${current}`);
      await other.waitFor(30, `scripts, transactions and TTL keys on ${current}`);
      const before = await syncCounters();
      let result = await rctl(['failover', '--promote', next, '--yes', '--json']);
      // Before 6.2 a script or transaction may write as the pause lifts, ahead of the demotion: the
      // switch then rolls back (exit 4) and loses nothing. It is tried again, at most twice.
      for (let retry = 0; retry < 2 && result.code === 4 && spec.versions[0].startsWith('5.'); retry++) {
        const error = parseJson<{ error: { code: string; message: string } }>(result).error;
        expect(error.code, error.message).toBe('CATCH_UP_TIMEOUT');
        expect(error.message).toMatch(/as its pause lifted .*rolled back: writes resumed on /);
        expect(await roleOf(current)).toBe('master');
        await expectSettingsIntact();
        console.log(`[${spec.name}] ${current} → ${next} rolled back (${error.message.slice(0, 80)}…), tried again`);
        result = await rctl(['failover', '--promote', next, '--yes', '--json']);
      }
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const json = parseJson<FailoverJson>(result);
      await writer.waitFor(100, `writes flowing on ${next}`);
      await other.waitFor(30, `scripts, transactions and TTL keys on ${next}`);
      await Promise.all([writer.finish(), other.finish()]);
      acknowledged.push(...writer.acked, ...other.acked);

      expect(json).toMatchObject({ from: current, to: next, mode: 'graceful', fullResyncs: 0, partialResyncs: 2 });
      expect(json.steps.filter((s) => !s.ok)).toEqual([]);
      expect(await client(current).config('GET', 'replica-read-only')).toEqual(['replica-read-only', 'yes']);
      await settled(next);
      expect((await syncCounters()).full).toBe(before.full);
      await expectSettingsIntact();
      for (const name of NAMES) expectConfigRole(name, next);
      expect(await client(next).set(`written-on-${next}`, `written-on-${next}`)).toBe('OK');
      acknowledged.push(`written-on-${next}`);
      console.log(
        `[${spec.name}] ${current} → ${next}: linked in ${json.durationMs} ms, writes paused ${json.writesPausedMs} ms${json.readsPausedMs > 0 ? ` (reads too: ${json.readsPausedMs} ms)` : ''}; ${writer.acked.length + other.acked.length} writes acknowledged (${other.acked.length} by ${spec.scripts ? 'EVAL or ' : ''}MULTI/EXEC), ${writer.failed + other.failed} refused`,
      );
      current = next;
    }
    expect(current).toBe('master');
    await settled('master');
    await expectAcknowledgedEverywhere();
  });

  it('a forced failover after the master is stopped: the most advanced replica takes over, the other continues partially', async () => {
    const writer = new Writer(addresses(), 'forced', true);
    writer.start();
    await writer.waitFor(50, 'replicated writes flowing');
    const pid = Number(readFileSync(join(nodeDir('master'), 'node.pid'), 'utf8').trim());
    // Stopped as `systemctl stop` does: SIGTERM, the node saves its snapshot and exits.
    process.kill(pid, 'SIGTERM');
    await eventually(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { what: 'the master to exit', timeout: 20_000 },
    );
    dropClient('master');
    const before = await syncCounters(['slave1', 'slave2']);
    const result = await rctl(['failover', '--yes', '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const json = parseJson<FailoverJson>(result);
    expect(json).toMatchObject({ from: 'master', mode: 'forced', fullResyncs: 0, partialResyncs: 1 });
    const promoted = json.to as NodeName;
    await writer.waitFor(50, `replicated writes on ${promoted}`);
    await writer.finish();
    acknowledged.push(...writer.acked);
    expect((await syncCounters(['slave1', 'slave2'])).full).toBe(before.full);
    expect(await roleOf(promoted)).toBe('master');
    const status = await rctl(['status']);
    expect(status.code).toBe(3);
    console.log(`[${spec.name}] master stopped, forced failover to ${promoted} in ${json.durationMs} ms; ${writer.acked.length} writes acknowledged by a replica`);
  });

  it('the old master restarted and rejoined by up with a partial resync; every acknowledged write on every node; status healthy', async () => {
    const promoted = ((await roleOf('slave1')) === 'master' ? 'slave1' : 'slave2') as NodeName;
    const before = await syncCounters(['slave1', 'slave2']);
    const up = await rctl(['up', '--yes']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    await settled(promoted);
    const after = await syncCounters(['slave1', 'slave2']);
    expect(after.full, 'full resyncs while rejoining').toBe(before.full);
    expect(after.partial).toBeGreaterThan(before.partial);
    for (const name of NAMES) expectConfigRole(name, promoted);
    await expectSettingsIntact();
    expect(await client(promoted).set('after-rejoin', 'after-rejoin')).toBe('OK');
    acknowledged.push('after-rejoin');
    await settled(promoted);
    await expectAcknowledgedEverywhere();
    const status = await rctl(['status']);
    expect(status.code, status.stdout).toBe(0);
    expect(existsSync(join(box.home, spec.name, 'switch-master.json'))).toBe(false);
    console.log(`[${spec.name}] ${acknowledged.length} acknowledged writes on all three nodes`);
  });
}

/** The matrix on three redis-server nodes of one version, switched master → slave1 → master. */
export function sameVersionMatrix(version: MatrixVersion, name: string): void {
  describeWithVersion(version, `version matrix: the seeds scenario on Redis ${version}`, (redis) => {
    const node = { kind: 'redis' as const, binaries: redis };
    matrixSuite({ name, nodes: [node, node, node], versions: [redis.fullVersion, redis.fullVersion, redis.fullVersion], round: ['slave1', 'master'], scripts: true });
  });
}
