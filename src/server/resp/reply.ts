// Reply encoding for one connection, in RESP2 or RESP3 as the client negotiated with HELLO.
// Replies accumulate in a latin1 string and leave in one socket write per input batch,
// which is what keeps pipelined throughput close to Redis's.

import { formatDouble } from './numbers';

export type RespVersion = 2 | 3;

export class ReplyBuffer {
  out = '';
  resp: RespVersion = 2;
  /** Counts error replies for INFO stats (total_error_replies). */
  errors = 0;
  /** When set, replies are thrown away (the master link, CLIENT REPLY OFF). */
  muted = false;

  ok(): void {
    if (!this.muted) this.out += '+OK\r\n';
  }

  simple(text: string): void {
    if (!this.muted) this.out += '+' + text + '\r\n';
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
    this.out += '-' + text + '\r\n';
  }

  integer(value: number | bigint): void {
    if (!this.muted) this.out += ':' + value + '\r\n';
  }

  bulk(value: string): void {
    if (!this.muted) this.out += '$' + value.length + '\r\n' + value + '\r\n';
  }

  /** A bulk string, or the null reply when the value is missing. */
  bulkOrNull(value: string | undefined | null): void {
    if (value === undefined || value === null) this.nullBulk();
    else this.bulk(value);
  }

  nullBulk(): void {
    if (!this.muted) this.out += this.resp === 3 ? '_\r\n' : '$-1\r\n';
  }

  nullArray(): void {
    if (!this.muted) this.out += this.resp === 3 ? '_\r\n' : '*-1\r\n';
  }

  arrayHeader(length: number): void {
    if (!this.muted) this.out += '*' + length + '\r\n';
  }

  /** A map: RESP3 '%', flattened to key/value pairs in RESP2. */
  mapHeader(pairs: number): void {
    if (!this.muted) this.out += this.resp === 3 ? '%' + pairs + '\r\n' : '*' + pairs * 2 + '\r\n';
  }

  /** A set: RESP3 '~', a plain array in RESP2. */
  setHeader(length: number): void {
    if (!this.muted) this.out += (this.resp === 3 ? '~' : '*') + length + '\r\n';
  }

  /** Out-of-band data (pub/sub messages): RESP3 '>', a plain array in RESP2. */
  pushHeader(length: number): void {
    if (!this.muted) this.out += (this.resp === 3 ? '>' : '*') + length + '\r\n';
  }

  bulkArray(values: readonly string[]): void {
    if (this.muted) return;
    let out = '*' + values.length + '\r\n';
    for (const value of values) out += '$' + value.length + '\r\n' + value + '\r\n';
    this.out += out;
  }

  /** An array whose missing elements are nulls (MGET, HMGET). */
  bulkArrayWithNulls(values: readonly (string | undefined | null)[]): void {
    if (this.muted) return;
    const nullText = this.resp === 3 ? '_\r\n' : '$-1\r\n';
    let out = '*' + values.length + '\r\n';
    for (const value of values) {
      out += value === undefined || value === null ? nullText : '$' + value.length + '\r\n' + value + '\r\n';
    }
    this.out += out;
  }

  /** A double: RESP3 ',', a bulk string in RESP2, formatted as Redis does. */
  double(value: number): void {
    if (this.muted) return;
    const text = formatDouble(value);
    this.out += this.resp === 3 ? ',' + text + '\r\n' : '$' + text.length + '\r\n' + text + '\r\n';
  }

  /** A boolean: RESP3 '#', integer 1/0 in RESP2. */
  boolean(value: boolean): void {
    if (this.muted) return;
    this.out += this.resp === 3 ? (value ? '#t\r\n' : '#f\r\n') : value ? ':1\r\n' : ':0\r\n';
  }

  /** Verbatim text (INFO, CLIENT LIST...): RESP3 '=' with a format tag, bulk in RESP2. */
  verbatim(text: string, format = 'txt'): void {
    if (this.muted) return;
    this.out += this.resp === 3 ? '=' + (text.length + 4) + '\r\n' + format + ':' + text + '\r\n' : '$' + text.length + '\r\n' + text + '\r\n';
  }

  /** Pre-encoded RESP, e.g. a reply computed once for many clients. */
  raw(encoded: string): void {
    if (!this.muted) this.out += encoded;
  }

  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }
}

/** Redis's addReplyErrorFormat clean-up: trailing CR/LF removed, inner ones become spaces. */
export function sanitizeErrorText(text: string): string {
  return text.replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ');
}
