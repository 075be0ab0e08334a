// A raw TCP connection for byte-for-byte reply comparison: sends requests, returns each reply's exact bytes.

import { connect, type Socket } from 'node:net';
import { encodeCommand as encodeWith, ReplyReader } from '../../src/node/resp';

export { replyLength } from '../../src/node/resp';

/** A request with each argument's characters as bytes (latin1), as the byte-exact tests send them. */
export function encodeCommand(args: readonly string[]): Buffer {
  return encodeWith(args, 'latin1');
}

export class RawConnection {
  private readonly replies = new ReplyReader();
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.replies.write(chunk);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Resolves when data arrives, the connection closes, or `timeoutMs` passes. */
  private nextEvent(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** A connection over a Unix socket (the node's unixsocket). */
  static openPath(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ path }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  sendRaw(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  send(args: readonly string[]): void {
    this.sendRaw(encodeCommand(args));
  }

  /** The next complete reply's bytes; rejects on timeout or when the connection closes first. */
  async readReply(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.replies.nextBytes();
      if (reply !== null) return reply;
      if (this.closed) throw new Error(`connection closed; pending bytes: ${JSON.stringify(this.replies.pending.toString('latin1'))}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no complete reply within ${timeoutMs} ms; have ${JSON.stringify(this.replies.pending.toString('latin1'))}`);
      await this.nextEvent(remaining);
    }
  }

  /** Waits for the server to close the connection; returns whatever it sent before. */
  /** Every reply that arrives until the connection has been quiet for `quietMs` (pushes, muted replies). */
  async drain(quietMs = 150): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      try {
        out.push((await this.readReply(quietMs)).toString('latin1'));
      } catch {
        return out;
      }
    }
  }

  async readUntilClose(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('connection still open');
      await this.nextEvent(remaining);
    }
    return this.replies.takeRest();
  }

  async command(args: readonly string[]): Promise<string> {
    this.send(args);
    return (await this.readReply()).toString('latin1');
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Whether the server behind `conn` is a replica whose link to its master is up (INFO replication). */
export async function replicationLinkUp(conn: RawConnection): Promise<boolean> {
  return (await conn.command(['INFO', 'replication'])).includes('master_link_status:up');
}
