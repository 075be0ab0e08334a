// The oclif-free `rctl status` path (src/ui/status-fast.ts): same report as the oclif command,
// and it steps aside (null) for everything it does not handle exactly the same way.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFastArgs, runStatusFast } from '../../src/ui/status-fast';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { requireBuiltCli, sandbox, type Sandbox } from './helpers';

describe('fast status arguments', () => {
  it('takes -t/--topology, --json and --timeout, in both spellings', () => {
    expect(parseFastArgs([])).toEqual({ json: false, timeoutSeconds: 2 });
    expect(parseFastArgs(['-t', 'a.yml', '--json', '--timeout', '0.5'])).toEqual({ topology: 'a.yml', json: true, timeoutSeconds: 0.5 });
    expect(parseFastArgs(['--topology=a.yml', '--timeout=3'])).toEqual({ topology: 'a.yml', json: false, timeoutSeconds: 3 });
  });

  it('takes the topology as its one positional argument, as the oclif command does', () => {
    expect(parseFastArgs(['a.yml', '--json'])).toEqual({ argument: 'a.yml', json: true, timeoutSeconds: 2 });
    expect(parseFastArgs(['--timeout', '1', 'topologies/x'])).toEqual({ argument: 'topologies/x', json: false, timeoutSeconds: 1 });
  });

  it('leaves help, watch, unknown and malformed flags to oclif', () => {
    for (const argv of [['--help'], ['-h'], ['--watch'], ['-w', '2'], ['--bogus'], ['--timeout', 'soon'], ['-t'], ['-t', 'a', '-t', 'b'], ['a.yml', 'b.yml']]) {
      expect(parseFastArgs(argv), argv.join(' ')).toBeNull();
    }
  });
});

describeWithRedis('fast status against real nodes', () => {
  let box: Sandbox;
  let file: string;
  let master: RedisProcess;
  let replica: RedisProcess;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    master = await startRedisServer({ directives: { 'repl-diskless-sync-delay': '0' } });
    replica = await startRedisServer();
    file = box.topology(
      'fast.yml',
      `name: fast\nauth: { password: "123456" }\nnodes:\n  - { name: m, host: 127.0.0.1, port: ${master.port}, role: master }\n  - { name: r, host: 127.0.0.1, port: ${replica.port}, role: replica }\n`,
    );
  });

  afterAll(async () => {
    await master?.stop();
    await replica?.stop();
    box?.cleanup();
  });

  async function fast(argv: string[], locale: NodeJS.ProcessEnv = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runStatusFast(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { RCTL_HOME: box.home, ...locale } });
    return { code, stdout, stderr };
  }

  it('steps aside until a full load has cached the topology', async () => {
    expect((await fast(['-t', file])).code).toBeNull();
    expect((await box.run(['up', file])).code).toBe(0);
    expect((await fast(['-t', file])).code).toBe(0);
  });

  it('prints the same report as the oclif command', async () => {
    const viaOclif = JSON.parse((await box.run(['status', '-t', file, '--json'])).stdout);
    const viaFast = await fast(['-t', file, '--json']);
    expect(viaFast.code).toBe(0);
    const report = JSON.parse(viaFast.stdout);
    const stable = (r: { nodes: Array<Record<string, unknown>> }) => ({ ...r, nodes: r.nodes.map(({ offset: _o, lagBytes: _l, ...rest }) => rest) });
    expect(stable(report)).toEqual(stable(viaOclif));
    const table = await fast(['-t', file]);
    expect(table.stdout).toContain('fast: healthy; master m, 1/1 replica linked');
  });

  it('prints ASCII under a non-UTF-8 locale, on both paths', async () => {
    const posix = { LC_ALL: 'POSIX' };
    const viaFast = await fast(['-t', file], posix);
    const viaOclif = await box.run(['status', '-t', file], { env: posix });
    for (const output of [viaFast.stdout, viaOclif.stdout]) {
      expect(output).toMatch(/^\+-+\+/);
      expect(output).toMatch(/\| ok +\|\n/);
      expect(output).not.toMatch(/[^\x00-\x7f]/);
    }
    const unknownNode = await box.run(['failover', '-t', file, '--promote', 'nobody', '--dry-run'], { env: posix });
    expect(unknownNode.stderr).toMatch(/^rctl: .* - nodes: m \(/);
    expect(unknownNode.stderr).not.toMatch(/[^\x00-\x7f]/);
  });

  it('uses the topology last brought up, and exits 3 with the same error when a node is down', async () => {
    expect((await fast([])).code).toBe(0);
    replica.process.kill('SIGSTOP');
    try {
      const degraded = await fast(['--json', '--timeout', '0.3']);
      expect(degraded.code).toBe(3);
      expect(JSON.parse(degraded.stdout).nodes[1].error).toBe(`r (127.0.0.1:${replica.port}): connected but no reply within 0.3s (frozen node, or not a Redis server)`);
    } finally {
      replica.process.kill('SIGCONT');
    }
  });
});
