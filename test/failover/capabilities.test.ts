// The capability model (src/cluster/capabilities.ts) and the pause it picks (failover/pause.ts):
// what each version can do and the commands chosen from it. The version suites (test/versions/)
// play the same choices against the real servers.

import { describe, expect, it } from 'vitest';
import { capabilitiesOf, capabilitiesOfVersion, configSetCommands, describeConfigSet, pauseCommand, propagatedBytes, unpauseCommand } from '../../src/node/capabilities';
import { parseInfo } from '../../src/node/info';
import { offsetAfterPauseTransaction, planHold, sizedPauseMs } from '../../src/cluster/failover/pause';
import { encodeCommand } from '../../src/node/resp';

const FENCE = [
  ['min-replicas-max-lag', '10'],
  ['min-replicas-to-write', '2147483647'],
] as const;

describe('capabilities by version', () => {
  it('5.0: one parameter per CONFIG SET, a pause that holds reads and cannot be ended, RDB 9, no re-use of a pre-password connection', () => {
    const c = capabilitiesOfVersion('5.0.14');
    expect(c).toMatchObject({ supported: true, untested: false, configSetMany: false, pauseWritesOnly: false, keepsAuthWhenPasswordSet: false, failoverCommand: false, rdbVersion: 9, rdbReadMax: 9 });
    expect(configSetCommands(c, FENCE)).toEqual({
      commands: [
        ['CONFIG', 'SET', 'min-replicas-max-lag', '10'],
        ['CONFIG', 'SET', 'min-replicas-to-write', '2147483647'],
      ],
      transaction: true,
    });
    expect(describeConfigSet(c, FENCE)).toBe('MULTI; CONFIG SET min-replicas-max-lag 10; CONFIG SET min-replicas-to-write 2147483647; EXEC');
    expect(pauseCommand(c, 20)).toEqual(['CLIENT', 'PAUSE', 20]);
    expect(unpauseCommand(c)).toBeNull();
  });

  it('6.2: CLIENT PAUSE WRITE and UNPAUSE, FAILOVER, still one parameter per CONFIG SET', () => {
    const c = capabilitiesOfVersion('6.2.16');
    expect(c).toMatchObject({ configSetMany: false, pauseWritesOnly: true, keepsAuthWhenPasswordSet: true, failoverCommand: true, rdbVersion: 9 });
    expect(configSetCommands(c, FENCE).transaction).toBe(true);
    expect(pauseCommand(c, 10000)).toEqual(['CLIENT', 'PAUSE', 10000, 'WRITE']);
    expect(unpauseCommand(c)).toEqual(['CLIENT', 'UNPAUSE']);
  });

  it('7.0 and 7.2: one atomic CONFIG SET; RDB 10 and 11', () => {
    expect(configSetCommands(capabilitiesOfVersion('7.0.15'), FENCE)).toEqual({ commands: [['CONFIG', 'SET', 'min-replicas-max-lag', '10', 'min-replicas-to-write', '2147483647']], transaction: false });
    expect(capabilitiesOfVersion('7.0.15').rdbVersion).toBe(10);
    expect(capabilitiesOfVersion('7.2.6')).toMatchObject({ rdbVersion: 11, rdbReadMax: 11, untested: false });
    // A single setting is a single CONFIG SET on every version.
    expect(configSetCommands(capabilitiesOfVersion('5.0.14'), [['masterauth', 'x']])).toEqual({ commands: [['CONFIG', 'SET', 'masterauth', 'x']], transaction: false });
  });

  it('the bundled node: 7.0 commands, writes RDB 10 and reads up to 11', () => {
    const c = capabilitiesOf(parseInfo('# Server\r\nredis_version:7.0.15\r\nrctl_node_version:0.1.0\r\n'));
    expect(c).toMatchObject({ bundled: true, configSetMany: true, rdbVersion: 10, rdbReadMax: 11 });
  });

  it('before 5.0 unsupported, after 7.2 untested, unparsable unsupported; no redis_version, no capabilities', () => {
    expect(capabilitiesOfVersion('4.0.14').supported).toBe(false);
    expect(capabilitiesOfVersion('7.4.1')).toMatchObject({ supported: true, untested: true, rdbVersion: 12 });
    expect(capabilitiesOfVersion('8.0.2')).toMatchObject({ untested: true, rdbVersion: null, configSetMany: true });
    expect(capabilitiesOfVersion('garbage').supported).toBe(false);
    expect(capabilitiesOf(parseInfo('# Replication\r\nrole:master\r\n'))).toBeNull();
  });

  it('counts a propagated command as its RESP array: EXEC is 14 bytes', () => {
    expect(propagatedBytes(['EXEC'])).toBe(14);
    expect(propagatedBytes(['SET', 'k', 'héllo'])).toBe(encodeCommand(['SET', 'k', 'héllo']).length);
  });
});

describe('the pause of a graceful switch', () => {
  it('from 6.2: writes only, with the catch-up limit plus slack as its deadline', () => {
    expect(planHold(capabilitiesOfVersion('6.2.16'), 0.3, 0.3, 5000)).toEqual({ kind: 'pause-writes', ms: 10000, command: ['CLIENT', 'PAUSE', 10000, 'WRITE'] });
  });

  it('before 6.2: every command, sized to 8 round trips, between 10 ms and 1 s, then the old master is demoted', () => {
    expect(sizedPauseMs(0.2, 0.3)).toBe(10);
    expect(sizedPauseMs(2, 3)).toBe(40);
    expect(sizedPauseMs(100, 100)).toBe(1000);
    const hold = planHold(capabilitiesOfVersion('5.0.14'), 2, 3, 5000);
    expect(hold).toMatchObject({ kind: 'pause-and-demote', ms: 40, command: ['CLIENT', 'PAUSE', 40] });
    expect(hold.kind === 'pause-and-demote' && hold.note).toMatch(/^Redis 5\.0\.14 has no CLIENT PAUSE WRITE: its reads pause too, for 40 ms and until Redis lifts the pause/);
    // The EXEC that 5.0 propagates after a transaction holding INFO (measured on a real 5.0: 65 in, 79 after).
    expect(offsetAfterPauseTransaction(65)).toBe(79);
  });
});
