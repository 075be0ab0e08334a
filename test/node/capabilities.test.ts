// The capability model (src/node/capabilities.ts) as one matrix: for each release line rctl
// meets, the pause, unpause, fence and config commands it is sent and the RDB versions it writes
// and reads. test/failover/capabilities.test.ts covers single versions and the failover's pause
// sizing; the version suites (test/versions/) play these choices against the real servers.

import { describe, expect, it } from 'vitest';
import { capabilitiesOfVersion, compareVersions, configSetCommands, describeConfigSet, describeVersion, parseVersion, pauseCommand, unpauseCommand } from '../../src/node/capabilities';

const FENCE = [
  ['min-replicas-max-lag', '10'],
  ['min-replicas-to-write', '2147483647'],
] as const;

interface Row {
  version: string;
  pause: Array<string | number>;
  unpause: Array<string | number> | null;
  fence: string;
  keepsAuth: boolean;
  failoverCommand: boolean;
  rdbWrites: number | null;
  rdbReads: number | null;
}

const ONE_BY_ONE = 'MULTI; CONFIG SET min-replicas-max-lag 10; CONFIG SET min-replicas-to-write 2147483647; EXEC';
const ATOMIC = 'CONFIG SET min-replicas-max-lag 10 min-replicas-to-write 2147483647';

const MATRIX: Row[] = [
  { version: '5.0.14', pause: ['CLIENT', 'PAUSE', 500], unpause: null, fence: ONE_BY_ONE, keepsAuth: false, failoverCommand: false, rdbWrites: 9, rdbReads: 9 },
  { version: '6.0.20', pause: ['CLIENT', 'PAUSE', 500], unpause: null, fence: ONE_BY_ONE, keepsAuth: true, failoverCommand: false, rdbWrites: 9, rdbReads: 9 },
  { version: '6.2.16', pause: ['CLIENT', 'PAUSE', 500, 'WRITE'], unpause: ['CLIENT', 'UNPAUSE'], fence: ONE_BY_ONE, keepsAuth: true, failoverCommand: true, rdbWrites: 9, rdbReads: 9 },
  { version: '7.0.15', pause: ['CLIENT', 'PAUSE', 500, 'WRITE'], unpause: ['CLIENT', 'UNPAUSE'], fence: ATOMIC, keepsAuth: true, failoverCommand: true, rdbWrites: 10, rdbReads: 10 },
  { version: '7.2.6', pause: ['CLIENT', 'PAUSE', 500, 'WRITE'], unpause: ['CLIENT', 'UNPAUSE'], fence: ATOMIC, keepsAuth: true, failoverCommand: true, rdbWrites: 11, rdbReads: 11 },
];

describe.each(MATRIX)('Redis $version', (row) => {
  const capabilities = capabilitiesOfVersion(row.version);

  it('is managed and tested', () => {
    expect(capabilities).toMatchObject({ version: row.version, supported: true, untested: false, bundled: false });
  });

  it('gets its pause and unpause', () => {
    expect(pauseCommand(capabilities, 500)).toEqual(row.pause);
    expect(unpauseCommand(capabilities)).toEqual(row.unpause);
  });

  it('gets its fence as one atomic CONFIG SET (7.0+) or a transaction of single ones', () => {
    expect(describeConfigSet(capabilities, FENCE)).toBe(row.fence);
    expect(configSetCommands(capabilities, FENCE).transaction).toBe(row.fence === ONE_BY_ONE);
  });

  it('keeps or loses a pre-password connection, has FAILOVER or not, and writes and reads its RDB version', () => {
    expect(capabilities).toMatchObject({ keepsAuthWhenPasswordSet: row.keepsAuth, failoverCommand: row.failoverCommand, rdbVersion: row.rdbWrites, rdbReadMax: row.rdbReads });
  });
});

describe('release boundaries', () => {
  it('switch at x.y.0, whatever the patch level before it', () => {
    expect(capabilitiesOfVersion('6.0.0').keepsAuthWhenPasswordSet).toBe(true);
    expect(capabilitiesOfVersion('5.0.99').keepsAuthWhenPasswordSet).toBe(false);
    expect(capabilitiesOfVersion('6.2.0').pauseWritesOnly).toBe(true);
    expect(capabilitiesOfVersion('6.1.99').pauseWritesOnly).toBe(false);
    expect(capabilitiesOfVersion('7.0.0')).toMatchObject({ configSetMany: true, rdbVersion: 10 });
    expect(capabilitiesOfVersion('6.2.99')).toMatchObject({ configSetMany: false, rdbVersion: 9 });
    expect(capabilitiesOfVersion('7.2.0').rdbVersion).toBe(11);
    expect(capabilitiesOfVersion('7.3.99')).toMatchObject({ rdbVersion: 11, untested: true });
    expect(capabilitiesOfVersion('4.0.14')).toMatchObject({ supported: false, rdbVersion: null });
  });

  it('the bundled node reads one RDB version beyond the 7.0 it writes', () => {
    const bundled = capabilitiesOfVersion('7.0.15', true);
    expect(bundled).toMatchObject({ rdbVersion: 10, rdbReadMax: 11, configSetMany: true, pauseWritesOnly: true });
    expect(describeVersion(bundled)).toBe('the bundled node (Redis 7.0.15)');
    expect(describeVersion(capabilitiesOfVersion('6.2.16'))).toBe('Redis 6.2.16');
  });

  it('parses versions with or without a patch level, and orders them numerically', () => {
    expect(parseVersion(' 7.2 ')).toEqual([7, 2, 0]);
    expect(parseVersion('7.2.6-rc1')).toEqual([7, 2, 6]);
    expect(parseVersion('unstable')).toBeNull();
    expect(compareVersions('7.0.15', '7.0.9')).toBeGreaterThan(0);
    expect(compareVersions('6.2', '6.2.0')).toBe(0);
    expect(compareVersions('10.0.0', '9.9.9')).toBeGreaterThan(0);
    expect(compareVersions('x', '7.0.0')).toBe(0);
  });
});
