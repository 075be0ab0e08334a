// `rctl up` on a Sentinel-managed set changes nothing while the sentinels are failing over: they
// are reconfiguring the nodes themselves, and a REPLICAOF of up's would race them. A stand-in
// sentinel (no real one can be held in that state on demand) reports failover_in_progress.

import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upWithSentinels } from '../../src/cluster/sentinel/up';
import { NodeFailureError } from '../../src/errors';
import { silentReporter } from '../../src/node/reporter';
import { parseReply } from '../../src/node/resp';
import { TopologyState } from '../../src/state/topology-state';
import { parseTopology } from '../../src/topology/load';

const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
const array = (items: string[]) => `*${items.length}\r\n${items.map(bulk).join('')}`;

/** Answers like a sentinel in the middle of failing `mymaster` over from 127.0.0.1:7001; records every command. */
function failingOverSentinel(received: string[][]): Server {
  return createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const parsed = parseReply(pending);
        if (!parsed) break;
        pending = pending.subarray(parsed.next);
        const args = (parsed.value as string[]).map(String);
        received.push(args);
        const command = args.slice(0, 2).join(' ').toUpperCase();
        if (args[0].toUpperCase() === 'PING') socket.write('+PONG\r\n');
        else if (command === 'SENTINEL GET-MASTER-ADDR-BY-NAME') socket.write(array(['127.0.0.1', '7001']));
        else if (command === 'SENTINEL MASTER') socket.write(array(['name', 'mymaster', 'ip', '127.0.0.1', 'port', '7001', 'flags', 's_down,o_down,master,failover_in_progress', 'config-epoch', '0', 'num-other-sentinels', '0', 'num-slaves', '1']));
        else if (command === 'SENTINEL CKQUORUM') socket.write('+OK 1 usable Sentinels. Quorum and failover authorization can be reached\r\n');
        else socket.write(`-ERR stand-in: ${args[0]} not expected\r\n`);
      }
    });
    socket.on('error', () => {});
  });
}

describe('rctl up while the sentinels fail over', () => {
  const received: string[][] = [];
  const server = failingOverSentinel(received);
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses with SENTINEL_FAILOVER_IN_PROGRESS (exit 4) before touching a node', async () => {
    const topology = parseTopology(
      't.yml',
      join(tmpdir(), 't.yml'),
      [
        'name: guarded',
        'sentinel:',
        '  masterName: mymaster',
        '  quorum: 1',
        `  nodes: [{ host: 127.0.0.1, port: ${port} }]`,
        'nodes:',
        // Nothing listens on these: up would fail on them, not on the guard, if it got that far.
        '  - { name: a, host: 127.0.0.1, port: 7001, role: master }',
        '  - { name: b, host: 127.0.0.1, port: 7002, role: replica }',
        '',
      ].join('\n'),
    );
    const attempt = upWithSentinels(topology, {
      state: new TopologyState(join(tmpdir(), `rctl-guard-${process.pid}`), 'guarded'),
      timeoutMs: 2000,
      waitMs: 2000,
      reporter: silentReporter,
      confirmDataLoss: async () => false,
    });
    await expect(attempt).rejects.toBeInstanceOf(NodeFailureError);
    await expect(attempt).rejects.toMatchObject({ code: 'SENTINEL_FAILOVER_IN_PROGRESS', exitCode: 4 });
    expect(received.map((args) => args[0].toUpperCase()).filter((name) => name !== 'PING' && name !== 'SENTINEL')).toEqual([]);
  });
});
