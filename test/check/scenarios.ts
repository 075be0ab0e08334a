// `rctl check` end to end: the built binary against three nodes that `rctl up` launched (real
// redis-server, or the bundled node), each finding provoked with CONFIG SET / REPLICAOF on the
// live nodes and then undone, so every scenario starts from the same clean set.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { freePort } from '../helpers/ports';
import { eventually } from '../helpers/wait';
import { redisCommand, requireBuiltCli, sandbox, type RunResult, type Sandbox } from '../cli/helpers';

export type Flavor = 'redis-server' | 'embedded';

// Distinctive, so a leak into any output is unmistakable.
const PASSWORD = 'Check-Pass-7f3k';
const NODES = ['master', 'replica1', 'replica2'] as const;
type NodeName = (typeof NODES)[number];

interface Finding {
  severity: string;
  node: string;
  code: string;
  reason: string;
  fix: string;
}

interface Report {
  topology: string;
  clean: boolean;
  findings: Finding[];
  writeRate: { node: string; bytesPerSecond: number; sampleMs: number } | null;
}

export function checkScenarios(flavor: Flavor): void {
  let box: Sandbox;
  let file: string;
  const ports = {} as Record<NodeName, number>;

  const on = (node: NodeName, args: string[]) => redisCommand('127.0.0.1', ports[node], PASSWORD, args);
  const configSet = async (node: NodeName, name: string, value: string) => expect(await on(node, ['CONFIG', 'SET', name, value])).toBe('+OK\r\n');

  async function check(extra: string[] = []): Promise<{ result: RunResult; report: Report }> {
    const result = await box.run(['check', '-t', file, '--json', '--sample', '0.2', ...extra]);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    return { result, report: JSON.parse(result.stdout) as Report };
  }

  const codes = (report: Report) => report.findings.map((f) => `${f.severity} ${f.code}@${f.node}`);

  async function expectFindings(expected: string[]): Promise<Report> {
    const { result, report } = await check();
    expect(codes(report), result.stderr).toEqual(expected);
    expect(result.code).toBe(3);
    expect(report.clean).toBe(false);
    return report;
  }

  async function linkedTo(replica: NodeName, master: NodeName): Promise<void> {
    await eventually(async () => {
      const info = await on(replica, ['INFO', 'replication']);
      return info.includes(`master_port:${ports[master]}\r\n`) && info.includes('master_link_status:up');
    }, { what: `${replica} linked to ${master}`, timeout: 20_000 });
  }

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const node of NODES) ports[node] = await freePort();
    file = box.topology(
      'check-lab.yml',
      `name: check-lab
auth:
  password: "${PASSWORD}"
launch: ${flavor}
nodes:
  - { name: master, host: 127.0.0.1, port: ${ports.master}, role: master }
  - { name: replica1, host: 127.0.0.1, port: ${ports.replica1}, role: replica }
  - { name: replica2, host: 127.0.0.1, port: ${ports.replica2}, role: replica }
`,
    );
    const up = await box.run(['up', file]);
    if (up.code !== 0) throw new Error(`rctl up failed (${up.code}): ${up.stderr}`);
  });

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('a set fresh from rctl up is clean (exit 0), with the write rate measured on the master', async () => {
    const { result, report } = await check();
    expect(result.code, result.stderr).toBe(0);
    expect(report).toMatchObject({ topology: 'check-lab', clean: true, findings: [] });
    expect(Object.keys(report)).toEqual(['topology', 'clean', 'findings', 'notices', 'writeRate']);
    expect(report.writeRate).toMatchObject({ node: 'master' });
    expect(report.writeRate?.sampleMs).toBeGreaterThan(0);

    const human = await box.run(['check', '-t', file, '--sample', '0.2']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^write rate: \d+ B\/s on master \(replication offset over 0\.2 s\)$/m);
    expect(human.stdout).toContain('check-lab: clean; 3 nodes checked, nothing found');
  });

  it('no persistence: an error on the master with replicas, a warning on a replica', async () => {
    const saved = { master: await on('master', ['CONFIG', 'GET', 'save']), replica1: await on('replica1', ['CONFIG', 'GET', 'save']) };
    const savePoints = (reply: string) => reply.split('\r\n')[4];
    await configSet('master', 'save', '');
    await configSet('replica1', 'save', '');
    try {
      const report = await expectFindings(['error MASTER_NO_PERSISTENCE@master', 'warn REPLICA_NO_PERSISTENCE@replica1']);
      expect(report.findings[0].fix).toBe(
        `redis-cli -h 127.0.0.1 -p ${ports.master} -a <password> CONFIG SET save "3600 1 300 100 60 10000" && redis-cli -h 127.0.0.1 -p ${ports.master} -a <password> CONFIG REWRITE`,
      );
      const human = await box.run(['check', '-t', file, '--sample', '0']);
      expect(human.code).toBe(3);
      expect(human.stdout).toContain('MASTER_NO_PERSISTENCE: this master has replicas but no persistence');
      expect(human.stdout).toContain('check-lab: 1 error, 1 warning (see FIX)');
    } finally {
      await configSet('master', 'save', savePoints(saved.master));
      await configSet('replica1', 'save', savePoints(saved.replica1));
    }
  });

  it("masterauth that does not match the master's requirepass, compared without printing either", async () => {
    await configSet('replica1', 'masterauth', 'Wrong-Auth-q8z');
    try {
      const { result, report } = await check();
      expect(codes(report)).toEqual(['error MASTERAUTH_MISMATCH@replica1']);
      expect(report.findings[0].fix).toContain(`-p ${ports.replica1} -a <password> CONFIG SET masterauth <password>`);
      expect(result.stdout + result.stderr).not.toContain('Wrong-Auth-q8z');
    } finally {
      await configSet('replica1', 'masterauth', PASSWORD);
    }
  });

  it('replica-read-only no', async () => {
    await configSet('replica2', 'replica-read-only', 'no');
    try {
      await expectFindings(['warn REPLICA_WRITABLE@replica2']);
    } finally {
      await configSet('replica2', 'replica-read-only', 'yes');
    }
  });

  it('a backlog smaller than 60 s of the measured write rate', async () => {
    // Redis's smallest backlog; the load below writes far more than 16 KB a minute.
    await configSet('master', 'repl-backlog-size', '16384');
    const load = await writeLoad(ports.master);
    try {
      const report = await expectFindings(['warn BACKLOG_TOO_SMALL@master']);
      expect(report.writeRate?.node).toBe('master');
      expect(report.writeRate?.bytesPerSecond).toBeGreaterThan(16384 / 60);
      expect(report.findings[0].reason).toMatch(/^repl-backlog-size 16kb holds [\d.]+ s of writes at the measured [\d.]+ [KM]?B\/s/);
      expect(report.findings[0].fix).toMatch(new RegExp(`-p ${ports.master} -a <password> CONFIG SET repl-backlog-size \\d+mb`));
    } finally {
      await load.stop();
      await configSet('master', 'repl-backlog-size', '1mb');
    }
  });

  it('min-replicas-to-write above the replicas the master has', async () => {
    await configSet('master', 'min-replicas-to-write', '3');
    try {
      const report = await expectFindings(['error MIN_REPLICAS_BLOCKS_WRITES@master']);
      expect(report.findings[0].fix).toContain('CONFIG SET min-replicas-to-write 2');
    } finally {
      await configSet('master', 'min-replicas-to-write', '0');
    }
  });

  it('no replica with priority > 0', async () => {
    await configSet('replica1', 'replica-priority', '0');
    await configSet('replica2', 'replica-priority', '0');
    try {
      await expectFindings(['warn NO_FAILOVER_CANDIDATE@master']);
    } finally {
      await configSet('replica1', 'replica-priority', '100');
      await configSet('replica2', 'replica-priority', '100');
    }
  });

  it('a chained replica, a misdirected one, and two masters', async () => {
    try {
      expect(await on('replica2', ['REPLICAOF', '127.0.0.1', String(ports.replica1)])).toBe('+OK\r\n');
      const chained = await expectFindings(['warn CHAINED_REPLICA@replica2']);
      expect(chained.findings[0].fix).toBe(`rctl replicaof replica2 master -t ${file}`);

      // A loopback port nothing listens on: the replica keeps trying, and follows no node of the file.
      const nowhere = await freePort();
      expect(await on('replica2', ['REPLICAOF', '127.0.0.1', String(nowhere)])).toBe('+OK\r\n');
      await expectFindings(['error MISDIRECTED_REPLICA@replica2']);

      expect(await on('replica2', ['REPLICAOF', 'NO', 'ONE'])).toBe('+OK\r\n');
      await expectFindings(['error TWO_MASTERS@replica2']);
    } finally {
      await on('replica2', ['REPLICAOF', '127.0.0.1', String(ports.master)]);
      await linkedTo('replica2', 'master');
    }
    const { result } = await check();
    expect(result.code).toBe(0);
  });

  it('protected-mode no is not a finding on a node with a password bound to loopback', async () => {
    await configSet('master', 'protected-mode', 'no');
    try {
      const { result, report } = await check();
      expect(report.findings).toEqual([]);
      expect(result.code).toBe(0);
    } finally {
      await configSet('master', 'protected-mode', 'yes');
    }
  });
}

/** SETs of 2 KB values, back to back on one connection, until stopped; resolves once writes flow. */
async function writeLoad(port: number): Promise<{ stop(): Promise<void> }> {
  const connection = await RawConnection.open('127.0.0.1', port);
  expect(await connection.command(['AUTH', PASSWORD])).toBe('+OK\r\n');
  const value = 'v'.repeat(2048);
  let running = true;
  let written = 0;
  const loop = (async () => {
    while (running) {
      await connection.command(['SET', `load:${written % 100}`, value]);
      written++;
    }
  })();
  await eventually(() => written >= 20, { what: 'the write load to start' });
  return {
    async stop() {
      running = false;
      await loop;
      connection.close();
    },
  };
}
