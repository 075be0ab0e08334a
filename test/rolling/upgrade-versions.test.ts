// `rctl upgrade` across real Redis versions, through the built binary: a 6.2 set moves to 7.2
// with partial resyncs only, each node's line in the topology file gains its new launch (comments
// and layout kept); the way back (7.2's RDB 11, which 6.2 cannot load) is refused with nothing
// changed; and a 7.0 set goes to the bundled node and back (both write RDB 10).

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { describeWithVersions } from '../helpers/redis-versions';
import { redisCommand, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { errorOf, expectOneErrorLine, parsedJson, rollingJson, runIdOf, versionOf } from './helpers';

const PASSWORD = 'upgrade-pw-8a41';
const NAMES = ['master', 'replica1', 'replica2'] as const;
const KEYS = 2000;

/** A set of three nodes on `launch` (a node line each, with a comment the edits must keep), brought up with data. */
async function upSet(box: Sandbox, name: string, launch: string): Promise<{ file: string; text: string; port: Record<string, number> }> {
  const port: Record<string, number> = {};
  for (const node of NAMES) port[node] = await freePort();
  const text = [
    `# ${name}: the upgrade must keep this comment`,
    `name: ${name}`,
    'auth:',
    `  password: "${PASSWORD}"`,
    '',
    'nodes:',
    ...NAMES.map((node) => `  - { name: ${node}, host: 127.0.0.1, port: ${port[node]}, role: ${node === 'master' ? 'master' : 'replica'}, ${launch} }  # ${node} rack`),
    '',
  ].join('\n');
  const file = box.topology(`${name}.yml`, text);
  const up = await box.run(['up', '-t', file], { timeoutMs: 120_000 });
  expect(up.code, up.stderr).toBe(0);
  for (let i = 0; i < KEYS; i += 500) {
    const args = ['MSET'];
    for (let j = i; j < i + 500; j++) args.push(`k:${j}`, `v${j}`);
    await redisCommand('127.0.0.1', port.master, PASSWORD, args);
  }
  return { file, text, port };
}

async function expectData(port: number): Promise<void> {
  expect(await redisCommand('127.0.0.1', port, PASSWORD, ['DBSIZE'])).toBe(`:${KEYS}\r\n`);
  expect(await redisCommand('127.0.0.1', port, PASSWORD, ['GET', `k:${KEYS - 1}`])).toBe(`$5\r\nv${KEYS - 1}\r\n`);
}

async function masterPort(box: Sandbox, file: string, port: Record<string, number>): Promise<number> {
  const status = parsedJson(await box.run(['status', '-t', file, '--json'])) as { healthy: boolean; master: string };
  expect(status.healthy).toBe(true);
  return port[status.master];
}

describeWithVersions(['6.2.16', '7.2.6'], 'rctl upgrade 6.2 -> 7.2, and the refused way back', (binaries) => {
  const from = binaries.get('6.2.16')!;
  const to = binaries.get('7.2.6')!;
  let box: Sandbox;
  let set: { file: string; text: string; port: Record<string, number> };

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    set = await upSet(box, 'v62', `launch: redis-server, redisServer: ${from.server}`);
  }, 120_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', set.file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('moves every node to 7.2.6 with partial resyncs, and writes each node\'s launch into the file', async () => {
    const run = await box.run(['upgrade', '--all', '--to', to.server, '--yes', '--json', '-t', set.file], { timeoutMs: 240_000 });
    expect(run.code, run.stderr).toBe(0);
    const json = rollingJson(run);
    expect(json.target).toMatchObject({ launch: 'redis-server', redisServer: to.server, version: '7.2.6', bundled: false });
    expect(json.fullResyncs).toBe(0);
    for (const node of json.nodes) expect(node, node.name).toMatchObject({ resync: 'partial', versionBefore: '6.2.16', versionAfter: '7.2.6' });
    for (const node of NAMES) expect(await versionOf(set.port[node], PASSWORD), node).toBe('7.2.6');

    const text = readFileSync(set.file, 'utf8');
    expect(text.startsWith('# v62: the upgrade must keep this comment\n')).toBe(true);
    expect(text).toContain(`  - { name: replica1, host: 127.0.0.1, port: ${set.port.replica1}, role: replica, launch: redis-server, redisServer: ${to.server} }  # replica1 rack\n`);
    for (const node of NAMES) expect(text).toContain(`name: ${node}, host: 127.0.0.1, port: ${set.port[node]}`);
    expect(text).not.toContain(from.server);
    expect(text.split('\n').length).toBe(set.text.split('\n').length);
    await expectData(await masterPort(box, set.file, set.port));
  }, 300_000);

  it('back to 6.2.16 is refused: VERSION_CANNOT_FOLLOW (exit 5), nothing changed', async () => {
    const fileBefore = readFileSync(set.file, 'utf8');
    const ids = await Promise.all(NAMES.map((n) => runIdOf(set.port[n], PASSWORD)));
    const run = await box.run(['upgrade', '--all', '--to', from.server, '--yes', '--json', '-t', set.file], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(5);
    const error = errorOf(run);
    expect(error.code).toBe('VERSION_CANNOT_FOLLOW');
    expect(error.message).toContain('7.2.6');
    expectOneErrorLine(run);
    expect(readFileSync(set.file, 'utf8')).toBe(fileBefore);
    expect(await Promise.all(NAMES.map((n) => runIdOf(set.port[n], PASSWORD)))).toEqual(ids);
    for (const node of NAMES) expect(await versionOf(set.port[node], PASSWORD)).toBe('7.2.6');
  }, 60_000);
});

describeWithVersions(['7.0'], 'rctl upgrade 7.0 -> the bundled node -> 7.0', (binaries) => {
  const v70 = binaries.get('7.0')!;
  let box: Sandbox;
  let set: { file: string; text: string; port: Record<string, number> };

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    set = await upSet(box, 'v70', `launch: redis-server, redisServer: ${v70.server}`);
  }, 120_000);

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', set.file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('to embedded and back, with partial resyncs only and the data intact', async () => {
    const there = await box.run(['upgrade', '--all', '--to', 'embedded', '--yes', '--json', '-t', set.file], { timeoutMs: 240_000 });
    expect(there.code, there.stderr).toBe(0);
    const json = rollingJson(there);
    expect(json.target).toMatchObject({ launch: 'embedded', bundled: true });
    expect(json.fullResyncs).toBe(0);
    for (const node of json.nodes) expect(node.resync, node.name).toBe('partial');
    let text = readFileSync(set.file, 'utf8');
    expect(text).toContain(`  - { name: replica1, host: 127.0.0.1, port: ${set.port.replica1}, role: replica, launch: embedded }  # replica1 rack\n`);
    // The bundled node answers as 7.0.15 too; its INFO server adds rctl_node_version.
    for (const node of NAMES) expect(await redisCommand('127.0.0.1', set.port[node], PASSWORD, ['INFO', 'server'])).toContain('rctl_node_version:');
    await expectData(await masterPort(box, set.file, set.port));

    const back = await box.run(['upgrade', '--all', '--to', v70.server, '--yes', '--json', '-t', set.file], { timeoutMs: 240_000 });
    expect(back.code, back.stderr).toBe(0);
    const again = rollingJson(back);
    expect(again.fullResyncs).toBe(0);
    for (const node of again.nodes) expect(node.resync, node.name).toBe('partial');
    for (const node of NAMES) expect(await versionOf(set.port[node], PASSWORD)).toBe(v70.fullVersion);
    for (const node of NAMES) expect(await redisCommand('127.0.0.1', set.port[node], PASSWORD, ['INFO', 'server'])).not.toContain('rctl_node_version:');
    text = readFileSync(set.file, 'utf8');
    expect(text).toContain(`  - { name: replica1, host: 127.0.0.1, port: ${set.port.replica1}, role: replica, launch: redis-server, redisServer: ${v70.server} }  # replica1 rack\n`);
    expect(text.startsWith('# v70: the upgrade must keep this comment\n')).toBe(true);
    await expectData(await masterPort(box, set.file, set.port));
  }, 400_000);
});
