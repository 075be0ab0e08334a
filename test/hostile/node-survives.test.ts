// Hostile and careless clients against the bundled node, redis-server beside it where the behaviour
// is Redis's: no input ends the process, memory stays under a written bound per case, and a client
// over a limit is closed with Redis's log line.

import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../helpers/bundled-node';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { eventually } from '../helpers/wait';

const MB = 1024 * 1024;

const stops: Array<() => unknown> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.();
});

interface Target {
  kind: 'node' | 'redis';
  host: string;
  port: number;
  pid: number;
  log(): string;
  alive(): boolean;
}

async function nodeTarget(args: string[] = []): Promise<Target> {
  const node: NodeProcess = await startNodeProcess(['--save', '', ...args]);
  stops.push(() => node.stop());
  const pid = node.process.pid as number;
  return { kind: 'node', host: node.host, port: node.port, pid, log: node.output, alive: () => node.process.exitCode === null && node.process.signalCode === null };
}

async function redisTarget(directives: Record<string, string> = {}): Promise<Target> {
  const real = await startRedisServer({ directives });
  stops.push(() => real.stop());
  const info = await (await open(real.host, real.port, directives.requirepass)).command(['INFO', 'server']);
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  return { kind: 'redis', host: real.host, port: real.port, pid, log: real.log, alive: () => real.process.exitCode === null };
}

async function open(host: string, port: number, password?: string): Promise<RawConnection> {
  const connection = await RawConnection.open(host, port);
  stops.push(() => connection.close());
  if (password) expect(await connection.command(['AUTH', password])).toBe('+OK\r\n');
  return connection;
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Samples the process's RSS while `work` runs; returns the peak. */
async function peakRss<T>(pid: number, work: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // exited: the test says so
    }
  }, 20);
  try {
    const result = await work;
    peak = Math.max(peak, rssBytes(pid));
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

function rawSocket(target: Target): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port }, () => resolve(socket));
    socket.once('error', reject);
    stops.push(() => socket.destroy());
  });
}

/** Sends `chunk` `times` times without reading anything, until the peer closes; true when it did. */
async function floodUntilClosed(socket: Socket, chunk: Buffer, times: number): Promise<boolean> {
  socket.pause();
  let closed = false;
  socket.on('error', () => {});
  socket.once('close', () => (closed = true));
  for (let i = 0; i < times && !closed; i++) {
    if (!socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        socket.once('drain', done);
        socket.once('close', done);
        setTimeout(done, 200);
      });
    }
  }
  // A server that closed after reading everything sent sends FIN, not RST: a paused socket only
  // sees it once it reads what is left, so read now (the server decided already).
  socket.on('data', () => {});
  socket.resume();
  await eventually(() => closed, { timeout: 10_000, what: 'the server to close the connection' }).catch(() => undefined);
  return closed;
}

/** Reads `expectedBytes` from a connection that pipelined big replies, counting without keeping them (but the first 64). */
function drain(socket: Socket, expectedBytes: number, timeoutMs = 60_000, head: { text: string } = { text: '' }): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const timer = setTimeout(() => reject(new Error(`received ${received} of ${expectedBytes} bytes`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (head.text.length < 64) head.text += chunk.toString('latin1', 0, 64 - head.text.length);
      received += chunk.length;
      if (received >= expectedBytes) {
        clearTimeout(timer);
        resolve(received);
      }
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

/** The log line, once the server has written it (it closes the socket first). */
async function expectLogLine(target: Target, line: RegExp): Promise<void> {
  await eventually(() => line.test(target.log()), { timeout: 5000, what: `${target.kind} logs ${line}` }).catch(() => undefined);
  expect(target.log()).toMatch(line);
}

function report(name: string, target: Target, peak: number, extra = ''): void {
  process.stdout.write(`[hostile] ${name}: ${target.kind} peak RSS ${(peak / MB).toFixed(0)} MB${extra}\n`);
}

describeWithRedis('hostile clients: the node survives and stays bounded', () => {
  for (const kind of ['node', 'redis'] as const) {
    it(`${kind}: 8,000 pipelined GETs of a 100 KB value in one write are all served`, { timeout: 120_000 }, async () => {
      const target = kind === 'node' ? await nodeTarget() : await redisTarget();
      const setter = await open(target.host, target.port);
      const value = 'v'.repeat(100 * 1024);
      expect(await setter.command(['SET', 'big', value])).toBe('+OK\r\n');
      const socket = await rawSocket(target);
      const replyBytes = `$${value.length}\r\n`.length + value.length + 2;
      const reading = drain(socket, 8000 * replyBytes);
      socket.write(Buffer.from('GET big\r\n'.repeat(8000)));
      const { result, peak } = await peakRss(target.pid, reading);
      expect(result).toBe(8000 * replyBytes);
      expect(target.alive()).toBe(true);
      report('8000 x GET 100KB', target, peak);
      // Bound: the 800 MB of replies are held once, plus the runtime.
      if (kind === 'node') expect(peak).toBeLessThan(2500 * MB);
    });
  }

  it('node: 600 pipelined GETs of a 1 MB value come back as data, not errors', { timeout: 120_000 }, async () => {
    const target = await nodeTarget();
    const setter = await open(target.host, target.port);
    const value = 'w'.repeat(MB);
    expect(await setter.command(['SET', 'mb', value])).toBe('+OK\r\n');
    const socket = await rawSocket(target);
    const replyBytes = `$${MB}\r\n`.length + MB + 2;
    const head = { text: '' };
    const reading = drain(socket, 600 * replyBytes, 60_000, head);
    socket.write(Buffer.from('GET mb\r\n'.repeat(600)));
    const { result, peak } = await peakRss(target.pid, reading);
    expect(head.text.slice(0, 13)).toBe(`$${MB}\r\nwww`);
    expect(result).toBe(600 * replyBytes);
    expect(target.alive()).toBe(true);
    report('600 x GET 1MB', target, peak);
    expect(peak).toBeLessThan(2500 * MB);
  });

  it('node: *200000001 followed by empty bulks is cut at client-query-buffer-limit, with Redis\'s log line', { timeout: 120_000 }, async () => {
    const target = await nodeTarget();
    const socket = await rawSocket(target);
    socket.write('*200000001\r\n');
    const { result: closed, peak } = await peakRss(target.pid, floodUntilClosed(socket, Buffer.from('$0\r\n\r\n'.repeat(100_000)), 2000));
    expect(closed).toBe(true);
    expect(target.alive()).toBe(true);
    await expectLogLine(target, /Closing client that reached max query buffer length: id=\d+ addr=.* \(qbuf initial bytes: ".*"\)/);
    report('*200000001 of empty bulks', target, peak);
    expect(peak).toBeLessThan(2000 * MB);
    // It still serves everyone else.
    expect(await (await open(target.host, target.port)).command(['PING'])).toBe('+PONG\r\n');
  });

  for (const kind of ['node', 'redis'] as const) {
    it(`${kind}: an unauthenticated client sending PINGs without reading is closed at once (CVE-2025-21605)`, { timeout: 60_000 }, async () => {
      const target = kind === 'node' ? await nodeTarget(['--requirepass', 'pw']) : await redisTarget({ requirepass: 'pw' });
      const socket = await rawSocket(target);
      const { result: closed, peak } = await peakRss(target.pid, floodUntilClosed(socket, Buffer.from('PING\r\n'.repeat(100_000)), 500));
      expect(closed).toBe(true);
      expect(target.alive()).toBe(true);
      await expectLogLine(target, /Client id=\d+ addr=.* scheduled to be closed ASAP for overcoming of output buffer limits\./);
      report('unauthenticated PING flood', target, peak);
      expect(peak).toBeLessThan(400 * MB);
    });

    it(`${kind}: a subscriber that never reads is closed at the pubsub hard limit`, { timeout: 120_000 }, async () => {
      const target = kind === 'node' ? await nodeTarget() : await redisTarget();
      const subscriber = await rawSocket(target);
      subscriber.write(encodeCommand(['SUBSCRIBE', 'news']));
      await new Promise((resolve) => setTimeout(resolve, 100));
      subscriber.pause();
      let closed = false;
      subscriber.once('close', () => (closed = true));
      const publisher = await open(target.host, target.port);
      const message = 'm'.repeat(64 * 1024);
      const closeLine = /Client id=\d+ addr=.*sub=1.* scheduled to be closed ASAP for overcoming of output buffer limits\./;
      const publishing = (async () => {
        // Up to 300 MB published: ten times the default 32 MB hard limit.
        for (let i = 0; i < 4800 && !closeLine.test(target.log()); i += 100) {
          publisher.sendRaw(Buffer.concat(Array.from({ length: 100 }, () => encodeCommand(['PUBLISH', 'news', message]))));
          for (let j = 0; j < 100; j++) await publisher.readReply(30_000);
        }
      })();
      const { peak } = await peakRss(target.pid, publishing);
      await expectLogLine(target, closeLine);
      // It closed after reading all the subscriber sent: FIN, seen once the socket reads again.
      subscriber.on('data', () => {});
      subscriber.resume();
      await eventually(() => closed, { timeout: 10_000, what: 'the subscriber closed' });
      expect(target.alive()).toBe(true);
      report('subscriber that never reads', target, peak);
      expect(peak).toBeLessThan(400 * MB);
      const stats = await publisher.command(['INFO', 'stats']);
      if (kind === 'node') expect(stats).toMatch(/client_output_buffer_limit_disconnections:1\r\n/);
    });

    it(`${kind}: client-query-buffer-limit closes a client whose request outgrows it`, { timeout: 60_000 }, async () => {
      const target = kind === 'node' ? await nodeTarget() : await redisTarget();
      const admin = await open(target.host, target.port);
      expect(await admin.command(['CONFIG', 'SET', 'client-query-buffer-limit', '1mb'])).toBe('+OK\r\n');
      const socket = await rawSocket(target);
      // A 3 MB argument announced, then sent: the query buffer passes 1 MB on the way.
      socket.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n');
      const closed = await floodUntilClosed(socket, Buffer.from('x'.repeat(64 * 1024)), 46);
      expect(closed).toBe(true);
      await expectLogLine(target, /Closing client that reached max query buffer length: id=\d+ addr=.* \(qbuf initial bytes: "/);
      expect(target.alive()).toBe(true);
    });

    it(`${kind}: client-output-buffer-limit normal applies to ordinary clients`, { timeout: 60_000 }, async () => {
      const target = kind === 'node' ? await nodeTarget() : await redisTarget();
      const admin = await open(target.host, target.port);
      expect(await admin.command(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 4mb 0 0'])).toBe('+OK\r\n');
      expect(await admin.command(['SET', 'big', 'v'.repeat(100 * 1024)])).toBe('+OK\r\n');
      const socket = await rawSocket(target);
      const closed = await floodUntilClosed(socket, Buffer.from('GET big\r\n'.repeat(1000)), 20);
      expect(closed).toBe(true);
      await expectLogLine(target, /scheduled to be closed ASAP for overcoming of output buffer limits\./);
      expect(target.alive()).toBe(true);
    });
  }

  it('node: no reply size and no pipeline depth ends the process', { timeout: 240_000 }, async () => {
    const target = await nodeTarget();
    const setter = await open(target.host, target.port);
    await setter.command(['RPUSH', 'list', ...Array.from({ length: 1000 }, (_, i) => `element-${i}`)]);
    for (const size of [0, 1, 1024, 100 * 1024, MB, 8 * MB]) {
      expect(await setter.command(['SET', `v${size}`, 'z'.repeat(size)])).toBe('+OK\r\n');
      for (const depth of [1, 100, 5000]) {
        const count = Math.max(1, Math.min(depth, Math.floor((400 * MB) / Math.max(size, 1))));
        const socket = await rawSocket(target);
        const replyBytes = `$${size}\r\n`.length + size + 2;
        const reading = drain(socket, count * replyBytes);
        socket.write(Buffer.from(`GET v${size}\r\n`.repeat(count)));
        expect(await reading, `${count} x GET of ${size} bytes`).toBe(count * replyBytes);
        socket.destroy();
        expect(target.alive()).toBe(true);
      }
    }
    // Many small array replies in one write.
    const socket = await rawSocket(target);
    const listReply = (await setter.command(['LRANGE', 'list', '0', '-1'])).length;
    const reading = drain(socket, 20_000 * listReply);
    socket.write(Buffer.from('LRANGE list 0 -1\r\n'.repeat(20_000)));
    expect(await reading).toBe(20_000 * listReply);
    expect(target.alive()).toBe(true);
  });
});
