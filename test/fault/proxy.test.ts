// The fault proxy itself: pass-through, cut, blackhole, half-open and delay, against a small
// TCP server that records what it receives. Delays use injected timers, so no assertion depends
// on how fast the machine is.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { FaultProxy, type ProxyTimers } from './proxy';
import { eventually } from '../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A target that keeps every accepted socket and everything each one sent. */
async function recordingTarget(): Promise<{ port: number; sockets: Socket[]; received: string[] }> {
  const sockets: Socket[] = [];
  const received: string[] = [];
  const server: Server = createServer((socket) => {
    const index = sockets.push(socket) - 1;
    received[index] = '';
    socket.on('data', (chunk) => (received[index] += chunk.toString('latin1')));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, sockets, received };
}

interface Peer {
  socket: Socket;
  data(): string;
  closed(): boolean;
  error(): string | null;
}

async function open(port: number): Promise<Peer> {
  const socket = connect({ host: '127.0.0.1', port });
  let data = '';
  let closed = false;
  let error: string | null = null;
  socket.on('data', (chunk) => (data += chunk.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  cleanups.push(() => void socket.destroy());
  // A connection reset on arrival may close before 'connect' is seen.
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return { socket, data: () => data, closed: () => closed, error: () => error };
}

async function proxyTo(port: number, timers?: ProxyTimers, maxFaultMs?: number): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ host: '127.0.0.1', port }, { timers, maxFaultMs });
  cleanups.push(() => proxy.close());
  return proxy;
}

/** Timers that fire only when the test says so. */
function manualTimers(): ProxyTimers & { pending: number[]; runAll(): void } {
  const queue: Array<{ callback: () => void; ms: number }> = [];
  return {
    pending: [],
    setTimeout(callback, ms) {
      queue.push({ callback, ms });
      this.pending.push(ms);
      return queue.length;
    },
    clearTimeout() {},
    runAll() {
      while (queue.length > 0) queue.shift()!.callback();
      this.pending.length = 0;
    },
  };
}

describe('fault proxy', () => {
  it('passes bytes both ways and passes a close on', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const client = await open(proxy.port);
    client.socket.write('hello');
    await eventually(() => target.received[0] === 'hello', { what: 'bytes at the target' });
    target.sockets[0].write('world');
    await eventually(() => client.data() === 'world', { what: 'bytes at the client' });
    target.sockets[0].end();
    await eventually(() => client.closed(), { what: 'close passed on' });
    expect(client.error()).toBeNull();
    expect(proxy.stats.forwarded).toEqual({ toTarget: 5, toClient: 5 });
    await eventually(() => proxy.connectionCount === 0, { what: 'connection forgotten' });
  });

  it('cut() resets live connections and new ones until restore()', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const before = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'first connection' });
    proxy.cut();
    await eventually(() => before.closed(), { what: 'live connection reset' });
    expect(before.error()).toBe('ECONNRESET');
    const during = await open(proxy.port);
    await eventually(() => during.closed(), { what: 'new connection reset' });
    expect(proxy.stats.refused).toBe(1);
    // Only the first connection ever reached the target.
    expect(target.sockets.length).toBe(1);
    proxy.restore();
    const after = await open(proxy.port);
    after.socket.write('back');
    await eventually(() => target.received[1] === 'back', { what: 'traffic after restore' });
  });

  it('blackhole() swallows bytes and closes both ways, then resets the damaged connection at restore()', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const client = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'connection' });
    proxy.blackhole();
    client.socket.write('lost-up');
    target.sockets[0].write('lost-down');
    await eventually(() => proxy.stats.dropped.toTarget === 7 && proxy.stats.dropped.toClient === 9, { what: 'bytes dropped' });
    target.sockets[0].end();
    await eventually(() => proxy.stats.closesDropped === 1, { what: 'close swallowed' });
    // Everything the proxy dropped was counted at the point it would have been forwarded.
    expect(target.received[0]).toBe('');
    expect(client.data()).toBe('');
    expect(client.closed()).toBe(false);
    expect(proxy.describe()).toBe('blackhole');
    proxy.restore();
    await eventually(() => client.closed(), { what: 'reset at restore' });
    expect(client.error()).toBe('ECONNRESET');
  });

  it('halfOpen() holds one direction while the other flows, and releases it in order at restore()', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const client = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'connection' });
    proxy.halfOpen('toClient');
    target.sockets[0].write('first,');
    await eventually(() => proxy.stats.held.toClient === 6, { what: 'bytes held' });
    target.sockets[0].write('second');
    client.socket.write('still flowing');
    await eventually(() => target.received[0] === 'still flowing', { what: 'the other direction' });
    expect(client.data()).toBe('');
    expect(proxy.stats.forwarded.toClient).toBe(0);
    proxy.restore();
    await eventually(() => client.data() === 'first,second', { what: 'held bytes delivered' });
    expect(client.closed()).toBe(false);
  });

  it('halfOpen() stalls connections opened during the fault too', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    proxy.halfOpen('toTarget');
    const client = await open(proxy.port);
    client.socket.write('ping');
    await eventually(() => proxy.stats.held.toTarget === 4, { what: 'bytes held' });
    expect(target.received[0] ?? '').toBe('');
    proxy.restore();
    await eventually(() => target.received[0] === 'ping', { what: 'delivered after restore' });
  });

  it('freeze() holds both directions and the closes, and releases them at restore()', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const client = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'connection' });
    proxy.freeze();
    client.socket.write('up');
    target.sockets[0].write('down');
    await eventually(() => proxy.stats.held.toTarget === 2 && proxy.stats.held.toClient === 4, { what: 'both held' });
    client.socket.end();
    // The client's close waits behind the frozen bytes: the target still sees an open connection.
    await eventually(() => proxy.stats.closesHeld === 1, { what: 'close held' });
    expect(target.sockets[0].readableEnded).toBe(false);
    expect(target.received[0]).toBe('');
    proxy.restore();
    await eventually(() => target.received[0] === 'up' && target.sockets[0].readableEnded, { what: 'bytes then close delivered' });
  });

  it('cutAt() delivers up to the chosen byte, closes, and stays cut until restore()', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const client = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'connection' });
    const cutDone = proxy.cutAt('toClient', (chunk) => chunk.indexOf('|'));
    target.sockets[0].write('before');
    await eventually(() => client.data() === 'before', { what: 'bytes before the marker pass' });
    target.sockets[0].write('kept|dropped');
    await cutDone;
    await eventually(() => client.closed(), { what: 'orderly close after the kept bytes' });
    expect(client.data()).toBe('beforekept');
    expect(client.error()).toBeNull();
    const during = await open(proxy.port);
    await eventually(() => during.closed(), { what: 'still cut' });
    proxy.restore();
    const after = await open(proxy.port);
    after.socket.write('again');
    await eventually(() => target.received.includes('again'), { what: 'link back' });
  });

  it.each([
    ['through', 'first|second', ''],
    ['before', 'first', '|second'],
  ] as const)('blackholeAt(%s) partitions at the chosen chunk: the far side gets %j, the rest is swallowed', async (deliver, delivered, lost) => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port);
    const client = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'connection' });
    const partitioned = proxy.blackholeAt('toTarget', (chunk) => chunk.indexOf('|'), deliver);
    client.socket.write('first');
    await eventually(() => target.received[0] === 'first', { what: 'bytes before the marker pass' });
    client.socket.write('|second');
    await partitioned;
    await eventually(() => target.received[0] === delivered, { what: 'the triggering chunk handled' });
    // The answer to it, and everything after, is lost both ways: a partition, not a cut.
    target.sockets[0].write('answer');
    client.socket.write('later');
    await eventually(() => proxy.stats.dropped.toClient === 6 && proxy.stats.dropped.toTarget === lost.length + 5, { what: 'bytes swallowed' });
    expect(client.data()).toBe('');
    expect(client.closed()).toBe(false);
    expect(proxy.describe()).toBe('blackhole');
    proxy.restore();
    await eventually(() => client.closed(), { what: 'reset at restore' });
  });

  it('delay() holds every chunk for the delay and keeps the order, closes included', async () => {
    const target = await recordingTarget();
    const timers = manualTimers();
    const proxy = await proxyTo(target.port, timers);
    const client = await open(proxy.port);
    await eventually(() => target.sockets.length === 1, { what: 'connection' });
    proxy.delay(50);
    // One chunk at a time: each is written only once the previous one is waiting in the proxy.
    for (const [index, part] of ['a', 'b', 'c'].entries()) {
      client.socket.write(part);
      await eventually(() => timers.pending.length === index + 1, { what: `chunk ${part} scheduled` });
    }
    target.sockets[0].write('down');
    await eventually(() => timers.pending.length === 4, { what: 'the other direction scheduled' });
    expect(timers.pending.every((ms) => ms === 50)).toBe(true);
    expect(target.received[0]).toBe('');
    expect(client.data()).toBe('');
    timers.runAll();
    await eventually(() => target.received[0] === 'abc' && client.data() === 'down', { what: 'delivered in order' });
    client.socket.end();
    await eventually(() => timers.pending.length === 1, { what: 'close scheduled behind the delay' });
    expect(target.sockets[0].readableEnded).toBe(false);
    timers.runAll();
    await eventually(() => target.sockets[0].readableEnded, { what: 'close delivered' });
  });

  it('lifts a fault left on after maxFaultMs', async () => {
    const target = await recordingTarget();
    const proxy = await proxyTo(target.port, undefined, 100);
    proxy.cut();
    expect(proxy.describe()).toBe('cut');
    await eventually(() => proxy.describe() === 'pass-through', { what: 'safety restore' });
  });

  it('refuses anything but loopback', async () => {
    await expect(FaultProxy.start({ host: '10.0.0.1', port: 6379 })).rejects.toThrow('only works on loopback');
  });
});
