// A node older than Redis 5.0 (served by an impostor speaking 4.0.14's INFO: no real 4.0 can be
// started here) next to a real redis-server master: every command that changes nodes refuses with
// one line naming the node and its version (exit 4) and sends it nothing; status and check flag it.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { errorLines, requireBuiltCli, sandbox, startVersionImpostor, type Sandbox } from './helpers';

describeWithRedis('a node older than Redis 5.0', () => {
  let box: Sandbox;
  let file: string;
  let master: RedisProcess;
  let old: Awaited<ReturnType<typeof startVersionImpostor>>;
  const rctl = (args: string[]) => box.run([...args, '-t', file]);
  const refusal = () => `rctl: old (127.0.0.1:${old.port}) runs Redis 4.0.14: rctl manages Redis 5.0 and newer — upgrade old to Redis 5.0 or newer (replicas before their master)`;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    master = await startRedisServer();
    old = await startVersionImpostor('4.0.14');
    file = box.topology(
      'old.yml',
      `name: old-lab
nodes:
  - { name: master, host: 127.0.0.1, port: ${master.port}, role: master }
  - { name: old, host: 127.0.0.1, port: ${old.port}, role: replica }
`,
    );
  });

  afterAll(async () => {
    await old?.close();
    await master?.stop();
    box?.cleanup();
  });

  it('status shows its version and flags it (exit 3)', async () => {
    const status = await rctl(['status', '--json']);
    expect(status.code).toBe(3);
    const node = (JSON.parse(status.stdout) as { nodes: Array<{ name: string; version: string; error: string }> }).nodes[1];
    expect(node.version).toBe('4.0.14');
    expect(node.error).toContain('runs Redis 4.0.14: rctl manages Redis 5.0 and newer');
  });

  it('up, failover and replicaof refuse (exit 4) and send it nothing', async () => {
    for (const args of [['up'], ['failover', '--promote', 'old', '--yes'], ['failover', '--yes', '--force'], ['replicaof', 'old', 'master']]) {
      const result = await rctl(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(4);
      expect(errorLines(result.stderr), args.join(' ')).toEqual([refusal()]);
    }
    expect(old.received).toEqual([]);
  });

  it('check names it as an error', async () => {
    const result = await rctl(['check', '--json', '--sample', '0']);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as { findings: Array<{ severity: string; code: string; node: string }> };
    expect(report.findings.map((f) => `${f.severity} ${f.code}@${f.node}`)).toContain('error VERSION_UNSUPPORTED@old');
  });
});
