// One TCP (or TLS) connection to a node, with a connect timeout and a per-command reply deadline,
// so a dead, frozen, trickling or foreign peer can never stall a command beyond the limit. The
// deadline runs from when the command was sent: bytes that arrive without completing its reply
// do not extend it (a peer dripping one byte a second would otherwise hold rctl forever). An
// optional overall deadline caps every command of a conversation, so `--timeout` is the bound
// the user sees for a whole observation, not for each of its commands.
//
// rctl keeps this small client instead of ioredis (which only tests and benchmarks use): loading
// ioredis alone added a median 129 ms to a bare `node -e` (11 runs, 236 ms vs 106 ms), more than
// the whole ~120 ms start-up budget of `rctl status`.

import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TlsFiles } from '../topology/model';
import { readSmallFile } from '../topology/tls';
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

/** rctl reads INFO, CONFIG GET and ROLE replies, all small: a peer streaming more is not a node. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;
const BULK_HEADER = /^\$(\d+)\r?\n/;

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
  /** Date.now() by which its reply must be complete. */
  deadline: number;
}

export class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private failure: TransportError | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When set, no command may complete after this Date.now(). */
  private overallDeadline: number | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(new TransportError('closed', `connection error: ${error.code ?? error.message}`)));
    socket.on('close', () => this.fail(new TransportError('closed', 'connection closed by the node')));
  }

  /** With `tls`, the connection is TLS and the limit covers the handshake too. `deadline` (Date.now()) caps the connect and every later command. */
  static open(host: string, port: number, timeoutMs: number, tls?: TlsFiles, deadline: number | null = null): Promise<Connection> {
    const connectMs = deadline === null ? timeoutMs : Math.max(1, Math.min(timeoutMs, deadline - Date.now()));
    return new Promise((resolve, reject) => {
      let socket: Socket;
      if (tls) {
        const material = readTlsMaterial(tls);
        if ('problem' in material) {
          reject(new TransportError('closed', material.problem));
          return;
        }
        // The chain must lead to the topology's CA; host names are not checked, as Redis does not
        // either: nodes are addressed by IP and their certificates rarely name it.
        socket = tlsConnect({ host, port, ...material, rejectUnauthorized: true, checkServerIdentity: () => undefined });
      } else {
        socket = connect({ host, port });
      }
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError('connect-timeout', `no answer to connect within ${formatSeconds(connectMs)}`));
      }, connectMs);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const connection = new Connection(socket, timeoutMs);
        connection.overallDeadline = deadline;
        resolve(connection);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(tls && !isSocketLevel(error) ? tlsError(error) : connectError(error));
      });
    });
  }

  /** Caps every command from now on (null lifts the cap: the conversation goes on past its observation). */
  setOverallDeadline(deadline: number | null): void {
    this.overallDeadline = deadline;
  }

  /** Sends one command; resolves with its reply (error replies are ReplyError values). */
  call(args: ReadonlyArray<string | number>): Promise<RespValue> {
    if (this.failure) return Promise.reject(this.failure);
    const now = Date.now();
    const deadline = Math.min(now + this.timeoutMs, this.overallDeadline ?? Infinity);
    if (deadline <= now) return Promise.reject(new TransportError('reply-timeout', `no reply: the time limit ran out`));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, deadline });
      this.socket.write(encodeCommand(args));
      if (this.pending.length === 1) this.armTimer();
    });
  }

  close(): void {
    this.fail(new TransportError('closed', 'connection closed'));
  }

  /** It failed (closed, timed out, garbled): every later call fails the same way. */
  get broken(): boolean {
    return this.failure !== null;
  }

  /**
   * Hands the socket over to a caller that speaks past RESP replies (an RDB download): every reply
   * must be in, and this connection is unusable afterwards.
   */
  detach(): Socket {
    if (this.failure) throw this.failure;
    if (this.pending.length > 0 || this.buffer.length > 0) throw new Error('detach with a reply in flight');
    this.failure = new TransportError('closed', 'the connection was handed over');
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    return this.socket;
  }

  /** Times the oldest command waiting for its reply. */
  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const head = this.pending[0];
    if (!head) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending[0] !== head) return this.armTimer();
      const limit = formatSeconds(this.timeoutMs);
      this.fail(
        new TransportError(
          'reply-timeout',
          this.buffer.length > 0 ? `the reply was still incomplete after ${limit} (${this.buffer.length} bytes received)` : `no reply within ${limit}`,
        ),
      );
    }, Math.max(0, head.deadline - Date.now()));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    // Refused at its header when it announces more than any reply rctl reads, else once it got that big.
    const announced = BULK_HEADER.exec(this.buffer.latin1Slice(0, Math.min(24, this.buffer.length)));
    if (this.buffer.length > MAX_REPLY_BYTES || (announced !== null && Number(announced[1]) > MAX_REPLY_BYTES)) {
      this.fail(new TransportError('protocol', `the peer sent a reply over ${MAX_REPLY_BYTES / 1024 / 1024} MB`, this.buffer.latin1Slice(0, Math.min(40, this.buffer.length))));
      return;
    }
    let offset = 0;
    let completed = 0;
    try {
      while (this.pending.length > 0) {
        const parsed = parseReply(this.buffer, offset);
        if (parsed === null) break;
        offset = parsed.next;
        completed++;
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
    // Only a completed reply moves the clock on, to the next command's own deadline.
    if (completed > 0) this.armTimer();
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

/** The files' contents, read at each connect so that renewed certificates are picked up. */
function readTlsMaterial(tls: TlsFiles): { ca: string; cert: string; key: string } | { problem: string } {
  const out: Record<string, string> = {};
  for (const field of ['ca', 'cert', 'key'] as const) {
    const read = readSmallFile(tls[field]);
    if ('problem' in read) return { problem: `cannot read tls.${field} file ${tls[field]}: ${read.problem}` };
    out[field] = read.text;
  }
  return out as { ca: string; cert: string; key: string };
}

const SOCKET_LEVEL_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT']);

function isSocketLevel(error: NodeJS.ErrnoException): boolean {
  return error.code !== undefined && SOCKET_LEVEL_CODES.has(error.code);
}

/** A failed handshake: a plain-TCP node, a certificate not signed by the CA, or our certificate refused. */
function tlsError(error: NodeJS.ErrnoException): TransportError {
  let reason = error.code ?? error.message;
  if (error.code === 'ECONNRESET' || /socket disconnected/i.test(error.message)) reason = 'the node closed the connection (is it listening without TLS?)';
  else if (error.code !== undefined && UNVERIFIED_CERT_CODES.has(error.code)) reason = `the node's certificate does not verify against tls.ca (${error.code})`;
  return new TransportError('closed', `TLS handshake failed: ${reason}`);
}

/** OpenSSL's verification failures, as Node reports them in error.code. */
const UNVERIFIED_CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

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
