// Reply encoding for one connection, in RESP2 or RESP3 as the client negotiated with HELLO.
// Replies accumulate in a latin1 string and leave in one socket write per input batch, which is
// what keeps pipelined throughput close to Redis's. The string is sealed into a chunk every
// REPLY_CHUNK_CHARS (Redis's reply list of blocks): a pipeline of 8,000 GETs of a 100 KB value
// must never build one string past V8's length limit, and a large value is passed on as its own
// chunk instead of being copied into a bigger one.

import { formatDouble } from './numbers';

export type RespVersion = 2 | 3;

/** Above this the current string becomes a chunk of its own. */
const REPLY_CHUNK_CHARS = 256 * 1024;

export class ReplyBuffer {
  /** The chunk being built. */
  private out = '';
  /** Chunks sealed before it, in order. */
  private sealed: string[] = [];
  private sealedChars = 0;
  resp: RespVersion = 2;
  /** Counts error replies for INFO stats (total_error_replies). */
  errors = 0;
  /** When set, replies are thrown away (the master link, CLIENT REPLY OFF). */
  muted = false;

  ok(): void {
    if (!this.muted) this.add('+OK\r\n');
  }

  simple(text: string): void {
    if (!this.muted) this.add('+' + text + '\r\n');
  }

  /**
   * An error reply. Redis builds errors that quote user input with addReplyErrorFormat, which trims
   * trailing CR/LF and turns the rest into spaces; doing it here for every error means no handler
   * can break the protocol by quoting an argument that contains a newline.
   */
  /** Called with each error reply's text (INFO errorstats counts them by code). */
  onError: ((text: string) => void) | null = null;

  error(text: string): void {
    this.errors++;
    this.onError?.(text);
    if (this.muted) return;
    if (text.includes('\r') || text.includes('\n')) text = sanitizeErrorText(text);
    this.add('-' + text + '\r\n');
  }

  integer(value: number | bigint): void {
    if (!this.muted) this.add(':' + value + '\r\n');
  }

  bulk(value: string): void {
    if (this.muted) return;
    if (value.length < REPLY_CHUNK_CHARS) {
      this.add('$' + value.length + '\r\n' + value + '\r\n');
      return;
    }
    this.add('$' + value.length + '\r\n');
    this.seal();
    this.sealed.push(value);
    this.sealedChars += value.length;
    this.add('\r\n');
  }

  /** A bulk string, or the null reply when the value is missing. */
  bulkOrNull(value: string | undefined | null): void {
    if (value === undefined || value === null) this.nullBulk();
    else this.bulk(value);
  }

  nullBulk(): void {
    if (!this.muted) this.add(this.resp === 3 ? '_\r\n' : '$-1\r\n');
  }

  nullArray(): void {
    if (!this.muted) this.add(this.resp === 3 ? '_\r\n' : '*-1\r\n');
  }

  arrayHeader(length: number): void {
    if (!this.muted) this.add('*' + length + '\r\n');
  }

  /** A map: RESP3 '%', flattened to key/value pairs in RESP2. */
  mapHeader(pairs: number): void {
    if (!this.muted) this.add(this.resp === 3 ? '%' + pairs + '\r\n' : '*' + pairs * 2 + '\r\n');
  }

  /** A set: RESP3 '~', a plain array in RESP2. */
  setHeader(length: number): void {
    if (!this.muted) this.add((this.resp === 3 ? '~' : '*') + length + '\r\n');
  }

  /** Out-of-band data (pub/sub messages): RESP3 '>', a plain array in RESP2. */
  pushHeader(length: number): void {
    if (!this.muted) this.add((this.resp === 3 ? '>' : '*') + length + '\r\n');
  }

  bulkArray(values: readonly string[]): void {
    if (this.muted) return;
    this.add('*' + values.length + '\r\n');
    for (const value of values) this.bulk(value);
  }

  /** An array whose missing elements are nulls (MGET, HMGET). */
  bulkArrayWithNulls(values: readonly (string | undefined | null)[]): void {
    if (this.muted) return;
    const nullText = this.resp === 3 ? '_\r\n' : '$-1\r\n';
    this.add('*' + values.length + '\r\n');
    for (const value of values) {
      if (value === undefined || value === null) this.add(nullText);
      else this.bulk(value);
    }
  }

  /** A double: RESP3 ',', a bulk string in RESP2, formatted as Redis does. */
  double(value: number): void {
    if (this.muted) return;
    const text = formatDouble(value);
    this.add(this.resp === 3 ? ',' + text + '\r\n' : '$' + text.length + '\r\n' + text + '\r\n');
  }

  /** A boolean: RESP3 '#', integer 1/0 in RESP2. */
  boolean(value: boolean): void {
    if (this.muted) return;
    this.add(this.resp === 3 ? (value ? '#t\r\n' : '#f\r\n') : value ? ':1\r\n' : ':0\r\n');
  }

  /** Verbatim text (INFO, CLIENT LIST...): RESP3 '=' with a format tag, bulk in RESP2. */
  verbatim(text: string, format = 'txt'): void {
    if (this.muted) return;
    this.add(this.resp === 3 ? '=' + (text.length + 4) + '\r\n' + format + ':' + text + '\r\n' : '$' + text.length + '\r\n' + text + '\r\n');
  }

  /**
   * A pre-encoded pub/sub push (confirmation or message). Like Redis's CLIENT_PUSHING it goes out
   * even while CLIENT REPLY OFF/SKIP mutes the command's replies; callers keep it from links that
   * never take replies (a master link).
   */
  push(encoded: string): void {
    this.add(encoded);
  }

  /** Pre-encoded RESP, e.g. a reply computed once for many clients. */
  raw(encoded: string): void {
    if (!this.muted) this.add(encoded);
  }

  private add(encoded: string): void {
    this.out += encoded;
    if (this.out.length >= REPLY_CHUNK_CHARS) this.seal();
  }

  private seal(): void {
    if (this.out.length === 0) return;
    this.sealed.push(this.out);
    this.sealedChars += this.out.length;
    this.out = '';
  }

  /** Bytes waiting to be sent. */
  get pendingBytes(): number {
    return this.sealedChars + this.out.length;
  }

  /** Everything buffered, as the chunks to write in order (often just one). */
  take(): string[] {
    if (this.sealed.length === 0) {
      if (this.out.length === 0) return EMPTY;
      const out = [this.out];
      this.out = '';
      return out;
    }
    this.seal();
    const chunks = this.sealed;
    this.sealed = [];
    this.sealedChars = 0;
    return chunks;
  }
}

/** Redis's addReplyErrorFormat clean-up: trailing CR/LF removed, inner ones become spaces. */
const EMPTY: string[] = [];

export function sanitizeErrorText(text: string): string {
  return text.replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ');
}
