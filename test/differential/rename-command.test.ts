// rename-command in the config file: renamed and disabled commands against a real redis-server
// started with the same lines, and the load errors Redis reports for bad lines.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { freePort } from '../helpers/ports';
import { RawConnection } from '../helpers/raw-connection';
import { applyConfigText } from '../../src/server/config-loader';
import { ConfigFileError } from '../../src/server/config';
import type { RunningServer } from '../../src/server/index';

const RENAMES: Array<[string, string]> = [
  ['flushall', ''],
  ['config', 'myconfig'],
  ['get', 'GET2'],
];

describeWithRedis('differential: rename-command', () => {
  let redis: RedisProcess;
  let node: RunningServer;
  beforeAll(async () => {
    // One directive per key in the helper: the later lines ride in the value's newlines.
    const lines = RENAMES.map(([from, to]) => `${from} ${to === '' ? '""' : to}`).join('\nrename-command ');
    const dir = mkdtempSync(join(tmpdir(), 'rctl-rename-'));
    const argv = ['--port', String(await freePort()), '--save', '', '--dir', dir];
    for (const [from, to] of RENAMES) argv.push('--rename-command', from, to);
    [redis, node] = await Promise.all([startRedisServer({ directives: { 'rename-command': lines } }), startNode({ argv })]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), node?.close()]);
  });

  it('renamed commands answer under the new name only; disabled ones are unknown', async () => {
    const real = await RawConnection.open(redis.host, redis.port);
    const ours = await RawConnection.open(node.host, node.port);
    const steps = [
      ['FLUSHALL'],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['get2', 'k'],
      ['GET2', 'k'],
      ['CONFIG', 'GET', 'maxclients'],
      ['myconfig', 'GET', 'maxclients'],
      ['MYCONFIG', 'SET', 'rename-command', 'x'],
      ['COMMAND', 'INFO', 'get'],
      ['COMMAND', 'INFO', 'flushall'],
      ['DEL', 'k'],
    ];
    try {
      for (const cmd of steps) {
        const [expected, actual] = await Promise.all([real.command(cmd), ours.command(cmd)]);
        expect(actual, `reply to ${JSON.stringify(cmd)}`).toBe(expected);
      }
      // The node implements fewer commands than Redis: its count drops by the one disabled command.
      const plain = await startNode();
      try {
        const plainCount = plain.server.commands.size;
        expect(await ours.command(['COMMAND', 'COUNT'])).toBe(`:${plainCount - 1}\r\n`);
      } finally {
        await plain.close();
      }
      // The command keeps its own name in COMMAND INFO, as in Redis.
      expect(await ours.command(['COMMAND', 'INFO', 'get2'])).toBe(await real.command(['COMMAND', 'INFO', 'get2']));
    } finally {
      real.close();
      ours.close();
    }
  });
});

it('bad rename-command lines stop the load with Redis reasons', () => {
  const reasonOf = (text: string) => {
    try {
      applyConfigText(text);
      return null;
    } catch (error) {
      return error instanceof ConfigFileError ? error.reason : String(error);
    }
  };
  expect(reasonOf('rename-command nosuch x')).toBe('No such command in rename-command');
  expect(reasonOf('rename-command get set')).toBe('Target command name already exists');
  expect(reasonOf('rename-command get')).toBe('Bad directive or wrong number of arguments');
  expect(reasonOf('rename-command get x\nrename-command get y')).toBe('No such command in rename-command');
  expect(reasonOf('rename-command get x\nrename-command x y')).toBe(null);
});
