// One TCP connection to a node, with a connect timeout and a per-command reply timeout, so a
// dead, frozen or foreign peer can never stall a command beyond the limit.

import { connect, type Socket } from 'node:net';
import { encodeCommand, parseReply, ProtocolError, type RespValue } from './resp';

export type TransportFailure =
  | 'refused' // nothing listens on the port
  | 'connect-timeout' // no TCP handshake within the limit: host down or blackholed
  | 'reply-timeout' // connected, but no reply within the limit: frozen node or not Redis
  | 'closed' // the peer closed the connection
  | 'unreachable' // no route, unknown host
  | 'protocol'; // the peer does not speak RESP

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    /** For 'protocol': what the peer sent instead. */
    readonly preview?: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
}

export class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private failure: TransportError | null = null;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(new TransportError('closed', `connection error: ${error.code ?? error.message}`)));
    socket.on('close', () => this.fail(new TransportError('closed', 'connection closed by the node')));
  }

  static open(host: string, port: number, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError('connect-timeout', `no answer to connect within ${formatSeconds(timeoutMs)}`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new Connection(socket, timeoutMs));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(connectError(error));
      });
    });
  }

  /** Sends one command; resolves with its reply (error replies are ReplyError values). */
  call(args: ReadonlyArray<string | number>): Promise<RespValue> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
      this.armTimer();
    });
  }

  close(): void {
    this.fail(new TransportError('closed', 'connection closed'));
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending.length > 0) this.fail(new TransportError('reply-timeout', `no reply within ${formatSeconds(this.timeoutMs)}`));
    }, this.timeoutMs);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    try {
      while (this.pending.length > 0) {
        const parsed = parseReply(this.buffer, offset);
        if (parsed === null) break;
        offset = parsed.next;
        this.pending.shift()?.resolve(parsed.value);
      }
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.fail(new TransportError('protocol', 'the peer does not speak the Redis protocol', error.preview()));
        return;
      }
      throw error;
    }
    this.buffer = offset >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
    // Each reply restarts the clock: the limit is per reply, not per batch.
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length > 0) this.armTimer();
  }

  private fail(error: TransportError): void {
    if (this.failure) return;
    this.failure = error;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket.destroy();
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}

function connectError(error: NodeJS.ErrnoException): TransportError {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new TransportError('refused', 'connection refused (nothing listens on that port)');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportError('unreachable', 'unknown host');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new TransportError('unreachable', `host unreachable (${error.code})`);
    case 'ETIMEDOUT':
      return new TransportError('connect-timeout', 'connect timed out');
    default:
      return new TransportError('closed', `cannot connect: ${error.code ?? error.message}`);
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}
