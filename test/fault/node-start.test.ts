// A fault-suite node must be the process that answers on its port. freePort() releases the port it
// found, so until the node binds it any other listen(0) on the machine may take it; a concurrent
// scenario's fault proxy once did, and the harness then read another scenario's master as its own
// (no log lines, a second writer, data that differed). These tests hand a node a port that is
// already taken, which is that race with its unlucky outcome made certain.

import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultNode, type NodeKind } from './harness/nodes';
import { describeWithRedis } from '../helpers/redis-server';

const ports = vi.hoisted(() => ({ handOut: [] as number[] }));

vi.mock('../helpers/ports', async (importOriginal) => {
  const real = await importOriginal<typeof import('../helpers/ports')>();
  return {
    /** Hands out the queued ports first (taken ones), then real free ports. */
    freePort: async (host?: string) => ports.handOut.shift() ?? real.freePort(host),
  };
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  ports.handOut = [];
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function startNode(kind: NodeKind, name: string): Promise<FaultNode> {
  const node = await FaultNode.start(kind, name);
  cleanups.push(() => node.close());
  return node;
}

async function processIdOn(node: FaultNode): Promise<number> {
  return Number((await node.info('server')).process_id);
}

/** A listener that accepts connections and never answers, like a port held by anything else. */
async function silentListener(port: number): Promise<Server> {
  const accepted = new Set<Socket>();
  const server = createServer((socket) => {
    accepted.add(socket);
    socket.on('error', () => {});
    // Reads (and drops) what arrives, so a client's close is seen and the socket goes away.
    socket.resume();
    socket.on('close', () => accepted.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return server;
}

function startsElsewhere(kind: NodeKind): void {
  it(`a ${kind} node whose port another node took first starts on another port, and is itself`, async () => {
    const occupant = await startNode('bundled', 'occupant');
    ports.handOut = [occupant.port];
    const node = await startNode(kind, 'node');
    expect(node.port).not.toBe(occupant.port);
    expect(node.running).toBe(true);
    expect(await processIdOn(node)).toBe(node.pid);
    expect(await processIdOn(occupant)).toBe(occupant.pid);
  });
}

describe('fault harness: a node owns its port', () => {
  startsElsewhere('bundled');

  it('a restart on a port taken meanwhile fails instead of adopting the other listener', async () => {
    const node = await startNode('bundled', 'node');
    await node.kill('SIGKILL');
    await silentListener(node.port);
    await expect(node.restart()).rejects.toThrow(/exited while starting[\s\S]*Address already in use/);
    expect(node.running).toBe(false);
  });
});

describeWithRedis('fault harness: a redis-server node owns its port', () => {
  startsElsewhere('redis');
});
