// A raw TCP connection for byte-for-byte reply comparison: sends requests, returns each reply's exact bytes.

import { connect, type Socket } from 'node:net';

/** Length of the first complete RESP2/RESP3 reply in buf starting at pos, or -1 if incomplete. */
export function replyLength(buf: Buffer, pos = 0): number {
  if (pos >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', pos);
  if (lineEnd === -1) return -1;
  const type = String.fromCharCode(buf[pos]);
  const header = buf.toString('latin1', pos + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
      return afterLine - pos;
    case '$': case '=': case '!': {
      const n = Number(header);
      if (n < 0) return afterLine - pos;
      if (buf.length < afterLine + n + 2) return -1;
      return afterLine + n + 2 - pos;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(header);
      if (n < 0) return afterLine - pos;
      if (type === '%' || type === '|') n *= 2;
      let cursor = afterLine;
      for (let i = 0; i < n; i++) {
        const len = replyLength(buf, cursor);
        if (len === -1) return -1;
        cursor += len;
      }
      return cursor - pos;
    }
    default:
      throw new Error(`not a RESP reply: ${JSON.stringify(buf.toString('latin1', pos, Math.min(buf.length, pos + 40)))}`);
  }
}

export function encodeCommand(args: readonly string[]): Buffer {
  let out = '*' + args.length + '\r\n';
  for (const arg of args) out += '$' + Buffer.byteLength(arg, 'latin1') + '\r\n' + arg + '\r\n';
  return Buffer.from(out, 'latin1');
}

export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
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
      const len = replyLength(this.buffer);
      if (len !== -1) {
        const reply = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        return Buffer.from(reply);
      }
      if (this.closed) throw new Error(`connection closed; pending bytes: ${JSON.stringify(this.buffer.toString('latin1'))}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no complete reply within ${timeoutMs} ms; have ${JSON.stringify(this.buffer.toString('latin1'))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the server to close the connection; returns whatever it sent before. */
  async readUntilClose(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('connection still open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  async command(args: readonly string[]): Promise<string> {
    this.send(args);
    return (await this.readReply()).toString('latin1');
  }

  close(): void {
    this.socket.destroy();
  }
}
