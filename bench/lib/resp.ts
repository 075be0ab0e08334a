// A minimal RESP client for benchmark set-up: a few commands with replies parsed by rctl's own
// parser (strings as latin1, one char per byte), and a pipelined bulk loader that keeps a bounded
// number of requests in flight.

import { connect, type Socket } from 'node:net';
import { encodeCommand, ReplyReader, type RespValue } from '../../src/node/resp';

export type Reply = RespValue;

export class RespClient {
  private readonly replies = new ReplyReader();
  private pending: Array<(reply: Reply) => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.replies.write(chunk);
      while (this.pending.length > 0) {
        const parsed = this.replies.nextValue('latin1');
        if (parsed === null) break;
        this.pending.shift()?.(parsed.value);
      }
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RespClient(socket)));
      socket.once('error', reject);
    });
  }

  command(...args: string[]): Promise<Reply> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.socket.write(encodeCommand(args, 'latin1'));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export async function commandOnce(port: number, ...args: string[]): Promise<Reply> {
  const client = await RespClient.open(port);
  try {
    return await client.command(...args);
  } finally {
    client.close();
  }
}

/** INFO <section> as a map of field -> value. */
export async function info(port: number, section: string): Promise<Record<string, string>> {
  const text = await commandOnce(port, 'INFO', section);
  if (typeof text !== 'string') return {};
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/**
 * Sends SET <key(i)> <value(i)> for i in [0, count) over one connection, at most `window`
 * requests unanswered at a time, and checks every reply is +OK.
 */
export function loadKeys(port: number, count: number, key: (i: number) => string, value: (i: number) => string, window = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const OK_LENGTH = 5; // "+OK\r\n"
    let sent = 0;
    let answeredBytes = 0;
    const batch = 2_000;
    let waitingForDrain = false;
    const pump = () => {
      if (waitingForDrain) return;
      while (sent < count && sent - answeredBytes / OK_LENGTH < window) {
        let chunk = '';
        const end = Math.min(count, sent + batch);
        for (let i = sent; i < end; i++) {
          const k = key(i);
          const v = value(i);
          chunk += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
        }
        sent = end;
        if (!socket.write(chunk, 'latin1')) {
          waitingForDrain = true;
          socket.once('drain', () => {
            waitingForDrain = false;
            pump();
          });
          return;
        }
      }
    };
    socket.on('connect', pump);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      // A +OK reply never contains '-': any '-' means an error reply.
      if (chunk.includes(0x2d)) {
        socket.destroy();
        reject(new Error(`error while loading: ${chunk.toString('latin1', chunk.indexOf(0x2d), chunk.indexOf(0x2d) + 200)}`));
        return;
      }
      answeredBytes += chunk.length;
      if (answeredBytes === count * OK_LENGTH) {
        socket.destroy();
        resolve();
      } else {
        pump();
      }
    });
  });
}
