// `rctl server --version` / `-v` answer like redis-server's, which `rctl upgrade --to embedded`
// reads before it stops anything: the same line shape, the version the node emulates, and a build
// field that marks the bundled node.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseVersionLine } from '../../src/launch/binary-version';
import { REDIS_COMPAT_VERSION } from '../../src/server/version';
import { rctlBin } from '../helpers/bundled-node';
import { describeWithRedis, redisServerPath } from '../helpers/redis-server';

const versionOf = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });

describe('rctl server --version', () => {
  it.each(['--version', '-v'])('%s prints one redis-server-style line and exits 0', (flag) => {
    const result = versionOf(process.execPath, [rctlBin, 'server', flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Redis server v=${REDIS_COMPAT_VERSION.replace(/\./g, '\\.')} sha=00000000:0 malloc=libc bits=64 build=rctl-node-\\S+\\n$`));
    expect(parseVersionLine(result.stdout)).toEqual({ version: REDIS_COMPAT_VERSION, bundled: true });
  });
});

describeWithRedis('redis-server --version, read the same way', () => {
  it('parses as a redis-server that is not the bundled node', () => {
    const result = versionOf(redisServerPath as string, ['--version']);
    expect(parseVersionLine(result.stdout)).toMatchObject({ bundled: false, version: expect.stringMatching(/^7\.0\./) });
  });
});
