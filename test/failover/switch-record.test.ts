// switch-<node>.json: what a graceful switch changed on the old master, readable after rctl died,
// one file per node (a later switch never overwrites another node's), and only treated as
// abandoned once its rctl is gone. The settings module builds the exact CONFIG SET
// commands the fence and the restore send.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { abandonedSwitches, clearSwitchRecord, leftoverProblem, readSwitchRecord, readSwitchRecords, switchRecordPath, writeSwitchRecord, type SwitchRecord } from '../../src/state/switch-record';
import { fenceSettings, readOnlySettings, restoreSettings, switchedSettings, withDefaults } from '../../src/cluster/failover/switch-settings';
import { requireBuiltCli, sandbox } from '../cli/helpers';
import { freePort } from '../helpers/ports';
import { TopologyState } from '../../src/state/topology-state';

const home = mkdtempSync(join(tmpdir(), 'rctl-switch-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const record = (pid: number, node = 'm1'): SwitchRecord => ({
  pid,
  startedAt: '2026-11-21T10:00:00.000Z',
  node: { name: node, host: '127.0.0.58', port: 6379 },
  candidate: 'r1',
  stage: 'fencing',
  restore: { 'repl-ping-replica-period': '10', 'min-replicas-to-write': '0', 'min-replicas-max-lag': '10' },
});

async function deadPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => gone.once('exit', resolve));
  return gone.pid as number;
}

describe('switch-<node>.json', () => {
  it('round-trips per node, owner-only, and is gone once cleared', () => {
    writeSwitchRecord(new TopologyState(home, 'lab'), record(process.pid, 'm1'));
    writeSwitchRecord(new TopologyState(home, 'lab'), record(process.pid, 'r1'));
    expect(readSwitchRecord(new TopologyState(home, 'lab'), 'm1')).toEqual(record(process.pid, 'm1'));
    expect(readSwitchRecords(new TopologyState(home, 'lab')).map((r) => r.node.name)).toEqual(['m1', 'r1']);
    expect(statSync(switchRecordPath(new TopologyState(home, 'lab'), 'm1')).mode & 0o777).toBe(0o600);
    clearSwitchRecord(new TopologyState(home, 'lab'), 'm1');
    expect(readSwitchRecord(new TopologyState(home, 'lab'), 'm1')).toBeNull();
    expect(readSwitchRecords(new TopologyState(home, 'lab')).map((r) => r.node.name)).toEqual(['r1']);
    clearSwitchRecord(new TopologyState(home, 'lab'), 'm1');
  });

  it.each([
    ['not JSON', '{"pid": 12'],
    ['no node', JSON.stringify({ ...record(1), node: undefined })],
    ['an unknown stage', JSON.stringify({ ...record(1), stage: 'promoted' })],
    ['a port that is not a number', JSON.stringify({ ...record(1), node: { name: 'm1', host: 'h', port: '6379' } })],
  ])('reads as no record when it holds %s', (_what, text) => {
    mkdirSync(join(home, 'bad'), { recursive: true });
    writeFileSync(switchRecordPath(new TopologyState(home, 'bad'), 'm1'), text);
    expect(readSwitchRecord(new TopologyState(home, 'bad'), 'm1')).toBeNull();
    expect(readSwitchRecords(new TopologyState(home, 'bad'))).toEqual([]);
  });

  it('is abandoned only once its rctl is gone', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      writeSwitchRecord(new TopologyState(home, 'busy'), record(holder.pid as number));
      expect(abandonedSwitches(new TopologyState(home, 'busy'))).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
    const pid = await deadPid();
    writeSwitchRecord(new TopologyState(home, 'dead'), record(pid));
    expect(abandonedSwitches(new TopologyState(home, 'dead'))).toMatchObject([{ pid, stage: 'fencing' }]);
    expect(leftoverProblem(record(pid))).toBe(
      `an interrupted failover (pid ${pid}, started 2026-11-21T10:00:00.000Z) left it write-paused until its CLIENT PAUSE deadline and possibly fenced (min-replicas-to-write: it refuses writes); \`rctl up\` repairs it`,
    );
  });
});

describe('the switch settings', () => {
  it('fence with min-replicas-to-write, adding a lag only where 0 would switch the check off', () => {
    expect(fenceSettings(withDefaults({}))).toEqual([['min-replicas-to-write', '2147483647']]);
    // The lag first: on a version that sets one parameter per call, the two never apply apart.
    expect(fenceSettings(withDefaults({ 'min-replicas-max-lag': '0' }))).toEqual([
      ['min-replicas-max-lag', '10'],
      ['min-replicas-to-write', '2147483647'],
    ]);
  });

  it('restore what the switch changed, the fence first, from what the node said (defaults where it did not)', () => {
    const settings = withDefaults({ 'repl-ping-replica-period': '7', 'min-replicas-to-write': '1', 'min-replicas-max-lag': null });
    expect(restoreSettings(switchedSettings(settings, 'pause-writes'))).toEqual([
      ['min-replicas-to-write', '1'],
      ['min-replicas-max-lag', '10'],
      ['repl-ping-replica-period', '7'],
    ]);
    // Before 6.2 the switch also raises hz and makes a writable replica read-only: those come back too.
    const old = withDefaults({ 'replica-read-only': 'no', hz: '10' });
    expect(restoreSettings(switchedSettings(old, 'pause-and-demote'))).toEqual([
      ['min-replicas-to-write', '0'],
      ['min-replicas-max-lag', '10'],
      ['repl-ping-replica-period', '10'],
      ['hz', '10'],
    ]);
    // A writable replica-to-be turns read-only with the switch and stays so: it is not restored.
    expect(readOnlySettings(old)).toEqual([['replica-read-only', 'yes']]);
    expect(Object.keys(switchedSettings(old, 'pause-writes'))).not.toContain('replica-read-only');
    expect(readOnlySettings(withDefaults({}))).toEqual([]);
    expect(restoreSettings(switchedSettings(withDefaults({ hz: '100' }), 'pause-and-demote')).map(([name]) => name)).toEqual(['min-replicas-to-write', 'min-replicas-max-lag', 'repl-ping-replica-period']);
  });

  it('never take the switch values an unrepaired node still has for its originals', () => {
    expect(withDefaults({ 'repl-ping-replica-period': '2147483647', 'min-replicas-to-write': '2147483647', 'min-replicas-max-lag': '3' })).toEqual({
      'repl-ping-replica-period': '10',
      'min-replicas-to-write': '0',
      'min-replicas-max-lag': '3',
      'replica-read-only': 'yes',
      hz: '10',
    });
  });
});

describe('a failover from a master an earlier switch left unrepaired', () => {
  it('is refused (exit 5) naming the record, and --force goes past the refusal', async () => {
    requireBuiltCli();
    const box = sandbox();
    try {
      const ports = [await freePort(), await freePort(), await freePort()];
      const file = box.topology(
        'pending.yml',
        `name: pending\nlaunch: external\nnodes:\n  - { name: m1, host: 127.0.0.1, port: ${ports[0]}, role: master }\n  - { name: r1, host: 127.0.0.1, port: ${ports[1]}, role: replica }\n  - { name: r2, host: 127.0.0.1, port: ${ports[2]}, role: replica }\n`,
      );
      const left = { ...record(await deadPid(), 'm1'), node: { name: 'm1', host: '127.0.0.1', port: ports[0] }, stage: 'promoting' as const };
      writeSwitchRecord(new TopologyState(box.home, 'pending'), left);
      const refused = await box.run(['failover', '--yes', '--json', '-t', file]);
      expect(refused.code, refused.stdout + refused.stderr).toBe(5);
      expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'REPAIR_PENDING' });
      expect(refused.stderr).toContain('could not be reached to repair it');
      // Nothing answers, so --force gets as far as looking for a candidate, and keeps the record.
      const forced = await box.run(['failover', '--yes', '--force', '--json', '-t', file]);
      expect(JSON.parse(forced.stdout).error.code).not.toBe('REPAIR_PENDING');
      expect(readSwitchRecord(new TopologyState(box.home, 'pending'), 'm1')).toEqual(left);
    } finally {
      box.cleanup();
    }
  });
});
