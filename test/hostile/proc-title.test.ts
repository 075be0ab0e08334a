// A password given on the command line (`rctl server --requirepass X`) must not stay visible in
// `ps`: like redis-server (set-proc-title yes, the default), the node rewrites its process title.

import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../helpers/bundled-node';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const PASSWORD = 'visible-in-ps-7f3a9c';
const stops: Array<() => unknown> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.();
});

function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
}

async function authed(host: string, port: number): Promise<RawConnection> {
  const connection = await RawConnection.open(host, port);
  stops.push(() => connection.close());
  expect(await connection.command(['AUTH', PASSWORD])).toBe('+OK\r\n');
  return connection;
}

describeWithRedis('process title', () => {
  it('hides a --requirepass argument as redis-server does, and follows proc-title-template', async () => {
    const node: NodeProcess = await startNodeProcess(['--requirepass', PASSWORD, '--save', '']);
    stops.push(() => node.stop());
    const real: RedisProcess = await startRedisServer({ directives: { requirepass: PASSWORD } });
    stops.push(() => real.stop());
    const nodePid = node.process.pid as number;
    const nodeConnection = await authed(node.host, node.port);
    expect(commandLine(nodePid)).toBe(`rctl-server ${node.host}:${node.port}`);
    expect(commandLine(nodePid)).not.toContain(PASSWORD);

    const realConnection = await authed(real.host, real.port);
    const realPid = Number((await realConnection.command(['INFO', 'server'])).match(/process_id:(\d+)/)?.[1]);
    expect(commandLine(realPid)).not.toContain(PASSWORD);

    expect(await nodeConnection.command(['CONFIG', 'SET', 'proc-title-template', '{title} port {port}'])).toBe('+OK\r\n');
    expect(commandLine(nodePid)).toBe(`rctl-server port ${node.port}`);
    for (const bad of ['{nope}', '{title']) {
      const expected = await realConnection.command(['CONFIG', 'SET', 'proc-title-template', bad]);
      expect(await nodeConnection.command(['CONFIG', 'SET', 'proc-title-template', bad])).toBe(expected);
    }
  });
});
