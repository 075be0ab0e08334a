// Differential checks of what a write propagates to replicas. The real redis-server's stream is
// read as a replica would (SYNC, skip the RDB payload, then parse the commands); the bundled
// node's is captured from its propagation sink. Both are compared as lists of commands,
// ignoring SELECT and PING, which only depend on timing and connection history.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import type { RunningServer } from '../../src/server/index';

/** A replica's view of a master: the command stream after the initial RDB transfer. */
export class ReplicationStream {
  private buffer = Buffer.alloc(0);
  private payloadSkipped = false;
  private readonly commands: string[][] = [];
  private waiter: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
      this.waiter?.();
    });
    socket.on('error', () => {});
  }

  static async open(host: string, port: number): Promise<ReplicationStream> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(s));
      s.once('error', reject);
    });
    const stream = new ReplicationStream(socket);
    socket.write('SYNC\r\n');
    return stream;
  }

  private parse(): void {
    if (!this.payloadSkipped) {
      // The master may send newlines as keepalives while it prepares the RDB: "$<len>\r\n<bytes>".
      let start = 0;
      while (start < this.buffer.length && this.buffer[start] === 0x0a) start++;
      const lineEnd = this.buffer.indexOf('\r\n', start);
      if (lineEnd === -1) return;
      const length = Number(this.buffer.toString('latin1', start + 1, lineEnd));
      if (this.buffer.length < lineEnd + 2 + length) return;
      this.buffer = this.buffer.subarray(lineEnd + 2 + length);
      this.payloadSkipped = true;
    }
    for (;;) {
      const parsed = parseCommand(this.buffer);
      if (!parsed) return;
      this.commands.push(parsed.args);
      this.buffer = this.buffer.subarray(parsed.length);
    }
  }

  /** Commands received until (not including) one whose arguments equal `marker`. */
  async takeUntil(marker: string[], timeoutMs = 5000): Promise<string[][]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.commands.findIndex((args) => JSON.stringify(args) === JSON.stringify(marker));
      if (index !== -1) return this.commands.splice(0, index + 1).slice(0, index);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`marker not received; have ${JSON.stringify(this.commands)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One "*<n>\r\n$<len>\r\n<arg>\r\n..." command at the start of buf, or null when incomplete. */
function parseCommand(buf: Buffer): { args: string[]; length: number } | null {
  if (buf.length === 0) return null;
  let lineEnd = buf.indexOf('\r\n');
  if (lineEnd === -1) return null;
  const count = Number(buf.toString('latin1', 1, lineEnd));
  let pos = lineEnd + 2;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    lineEnd = buf.indexOf('\r\n', pos);
    if (lineEnd === -1) return null;
    const length = Number(buf.toString('latin1', pos + 1, lineEnd));
    if (buf.length < lineEnd + 2 + length + 2) return null;
    args.push(buf.toString('latin1', lineEnd + 2, lineEnd + 2 + length));
    pos = lineEnd + 2 + length + 2;
  }
  return { args, length: pos };
}

const IGNORED = new Set(['select', 'ping']);
const relevant = (commands: string[][]) => commands.filter((args) => !IGNORED.has(args[0].toLowerCase()));

export interface PropagationCase {
  name: string;
  /** Commands run on both servers; only what they propagate is compared (replies must match too). */
  steps: string[][];
  /**
   * The steps pick random members (SPOP): replies are not compared, and propagated commands
   * only by name and key, which still shows the shape (SREM per member, MULTI/EXEC, DEL).
   */
  random?: boolean;
}

/**
 * Runs each case's steps on a real redis-server and on the bundled node and compares the
 * commands each propagated. Cases should use their own keys: nothing is flushed in between.
 */
export function describePropagation(group: string, cases: PropagationCase[]): void {
  describeWithRedis(`propagation: ${group}`, () => {
    let redis: RedisProcess;
    let node: RunningServer;
    let stream: ReplicationStream;
    const captured: string[][] = [];

    beforeAll(async () => {
      [redis, node] = await Promise.all([startRedisServer({ directives: { 'repl-diskless-sync': 'no' } }), startNode()]);
      node.server.propagation.addSink((commands) => {
        for (const command of commands) captured.push([...command.args]);
      });
      stream = await ReplicationStream.open(redis.host, redis.port);
    });
    afterAll(async () => {
      stream?.close();
      await Promise.all([redis?.stop(), node?.close()]);
    });

    cases.forEach((testCase, index) => {
      it(testCase.name, async () => {
        const [real, ours] = await Promise.all([RawConnection.open(redis.host, redis.port), RawConnection.open(node.host, node.port)]);
        try {
          // Start from a clean point even if an earlier case failed half-way.
          const start = ['SET', 'rctl:propagation-marker', `start-${index}`];
          await Promise.all([real.command(start), ours.command(start)]);
          await stream.takeUntil(start);
          captured.length = 0;
          const marker = ['SET', 'rctl:propagation-marker', `end-${index}`];
          for (const step of [...testCase.steps, marker]) {
            const [expected, actual] = await Promise.all([real.command(step), ours.command(step)]);
            if (step !== marker && !testCase.random) expect(actual, `reply to ${JSON.stringify(step)}`).toBe(expected);
          }
          const fromRedis = relevant(await stream.takeUntil(marker));
          const markerAt = captured.findIndex((args) => JSON.stringify(args) === JSON.stringify(marker));
          const fromNode = relevant(captured.slice(0, markerAt));
          const shape = (commands: string[][]) => (testCase.random ? commands.map((args) => args.slice(0, 2)) : commands);
          expect(shape(fromNode)).toEqual(shape(fromRedis));
        } finally {
          real.close();
          ours.close();
        }
      });
    });
  });
}
