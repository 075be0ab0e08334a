// `rctl check` at its edges: unreachable nodes (one: a finding; all: exit 4), bad input (exit 2),
// and the protected-mode rule on values captured from live nodes, since tests may never bind
// beyond loopback to provoke it for real.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNodes } from '../../src/cluster/check/read';
import { evaluate } from '../../src/cluster/check/index';
import type { ConfigParameter } from '../../src/cluster/check/model';
import { parseTopology } from '../../src/topology/load';
import { startNode } from '../helpers/bundled-node';
import { freePort } from '../helpers/ports';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { errorLines, redisCommand, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import type { RunningServer } from '../../src/server/index';

describe('rctl check: unreachable nodes and bad input', () => {
  let box: Sandbox;
  let node: RunningServer;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    node = await startNode({ config: { save: '3600 1', dir: box.dir } });
  });

  afterAll(async () => {
    await node?.close();
    box?.cleanup();
  });

  it('reports an unreachable node as a finding and still checks the others', async () => {
    const ghost = await freePort();
    const file = box.topology(
      'ghost.yml',
      `name: ghost\nnodes:\n  - { name: master, host: 127.0.0.1, port: ${node.port}, role: master }\n  - { name: ghost, host: 127.0.0.1, port: ${ghost}, role: replica }\n`,
    );
    const result = await box.run(['check', '-t', file, '--json', '--sample', '0']);
    expect(result.code, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([
      {
        severity: 'error',
        node: 'ghost',
        code: 'NODE_UNREACHABLE',
        reason: `cannot be checked: ghost (127.0.0.1:${ghost}): connection refused`,
        fix: 'is the node running? `rctl up` starts embedded and redis-server nodes',
      },
    ]);
    expect(report.writeRate).toBeNull();
  });

  it('fails with exit 4 and one line when no node can be read', async () => {
    const port = await freePort();
    const file = box.topology('dead.yml', `name: dead\nnodes:\n  - { name: master, host: 127.0.0.1, port: ${port}, role: master }\n`);
    const result = await box.run(['check', '-t', file]);
    expect(result.code).toBe(4);
    expect(errorLines(result.stderr)).toEqual([`rctl: master (127.0.0.1:${port}): connection refused — is the node running? \`rctl up\` starts embedded and redis-server nodes`]);
    const json = await box.run(['check', '-t', file, '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'NODE_REFUSED', exitCode: 4 });
  });

  it('bad input exits 2 with one line', async () => {
    const file = box.topology('ok.yml', `name: ok\nnodes:\n  - { name: master, host: 127.0.0.1, port: ${node.port}, role: master }\n`);
    const sample = await box.run(['check', '-t', file, '--sample', 'soon']);
    expect(sample.code).toBe(2);
    expect(errorLines(sample.stderr)).toHaveLength(1);
    expect(sample.stderr).toMatch(/expected a number of seconds, got "soon"/);
    const invalid = box.topology('bad.yml', 'name: bad\nnodes: []\n');
    const bad = await box.run(['check', '-t', invalid]);
    expect(bad.code).toBe(2);
    expect(errorLines(bad.stderr)).toEqual([`rctl: ${invalid}:2:8 nodes: expected at least one node`]);
  });
});

describeWithRedis('rctl check: protected-mode no without a password', () => {
  let box: Sandbox;
  let redis: RedisProcess;
  let bundled: RunningServer;
  let file: string;
  let text: string;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    // Both nodes: protected-mode no, no password, bound to 127.0.0.1 only, with save points.
    redis = await startRedisServer({ directives: { save: '3600 1', 'protected-mode': 'no' } });
    bundled = await startNode({ config: { save: '3600 1', dir: box.dir, 'protected-mode': 'no', replicaof: `127.0.0.1 ${redis.port}` } });
    await eventually(async () => (await redisCommand('127.0.0.1', bundled.port, null, ['INFO', 'replication'])).includes('master_link_status:up'), { what: 'the bundled replica linked' });
    text = `name: open\nnodes:\n  - { name: master, host: 127.0.0.1, port: ${redis.port}, role: master }\n  - { name: replica, host: 127.0.0.1, port: ${bundled.port}, role: replica }\n`;
    file = box.topology('open.yml', text);
  });

  afterAll(async () => {
    await bundled?.close();
    await redis?.stop();
    box?.cleanup();
  });

  it('is clean while the nodes listen on loopback only (and the bundled 7.0.15 next to redis-server 7.0.15 is not "mixed")', async () => {
    const result = await box.run(['check', '-t', file, '--json', '--sample', '0.2']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ clean: true, findings: [] });
  });

  it('flags the same nodes once their bind reaches beyond loopback (captured CONFIG GET values, bind substituted)', async () => {
    const topology = parseTopology(file, file, text, {});
    const opened = await readNodes(topology, 2000);
    for (const o of opened) o.session?.close();
    const readings = opened.map((o) => o.reading);
    // What the live nodes reported: the rule's three inputs.
    for (const reading of readings) {
      expect(reading.config?.values.get('protected-mode')).toBe('no');
      expect(reading.config?.values.get('bind')).toBe('127.0.0.1');
      expect(reading.config?.secrets.get('requirepass')?.reveal()).toBe('');
    }
    const context = (bind: string) => ({
      topology,
      writeRates: new Map(),
      readings: readings.map((r) => (r.node.name === 'replica' ? { ...r, config: { ...r.config!, values: new Map([...r.config!.values, ['bind' as ConfigParameter, bind]]) } } : r)),
    });
    // Notices (a version past its security support) are not findings.
    const findingsOf = (bind: string) => evaluate(context(bind)).filter((f) => f.severity !== 'info');
    expect(findingsOf('127.0.0.1')).toEqual([]);
    // Redis 7's default bind when none is configured, and an explicit wildcard.
    for (const bind of ['* -::*', '127.0.0.1 0.0.0.0']) {
      expect(findingsOf(bind)).toEqual([
        {
          severity: 'error',
          node: 'replica',
          code: 'UNPROTECTED_NODE',
          reason: `protected-mode is no, there is no password, and it listens on ${bind === '* -::*' ? '* ::*' : '0.0.0.0'}: anyone who reaches the port can read, write and reconfigure it`,
          fix: `redis-cli -h 127.0.0.1 -p ${bundled.port} CONFIG SET protected-mode yes`,
        },
      ]);
    }
  });
});
