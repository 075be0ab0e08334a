// Incremental parser for client requests: RESP multibulk arrays and inline commands.
//
// The reply parsers on npm reject inline commands and bare newlines, which redis-cli,
// telnet users and replication keepalives all send, so the node parses requests itself.
// The rules (limits, error texts, what counts as an empty command) follow Redis 7.0's
// processInlineBuffer / processMultibulkBuffer.
//
// Arguments are returned as latin1 strings: one char per byte, so they are binary safe,
// compact in V8 (one-byte strings) and usable directly as Map keys.

import { constants } from 'node:buffer';

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** Longest inline request or length header Redis accepts before calling it a protocol error. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Unauthenticated clients may send at most this many arguments / bytes per argument (Redis 7.0). */
const UNAUTHENTICATED_MAX_ARGS = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;
const INT_MAX = 2147483647;
/** proto-max-bulk-len cannot be set below this, so shorter bulks never need the (slower) live lookup. */
const MIN_PROTO_MAX_BULK_LEN = 1024 * 1024;
/**
 * Arguments are JS strings, which V8 caps just below 512 MB: a longer bulk (possible with a raised
 * proto-max-bulk-len, or from a master) is refused as an invalid length instead of crashing.
 */
const MAX_ARGUMENT_LENGTH = MAX_STRING_LENGTH;
/** Bulks at least this long get their whole size reserved at once (Redis's PROTO_MBULK_BIG_ARG). */
const BIG_BULK = 32 * 1024;

// Protocol error texts, worded as Redis 7.0 replies them (after "ERR ").
export const PROTO_ERR_TOO_BIG_INLINE = 'Protocol error: too big inline request';
export const PROTO_ERR_UNBALANCED_QUOTES = 'Protocol error: unbalanced quotes in request';
export const PROTO_ERR_TOO_BIG_MBULK_COUNT = 'Protocol error: too big mbulk count string';
export const PROTO_ERR_INVALID_MBULK_LENGTH = 'Protocol error: invalid multibulk length';
export const PROTO_ERR_UNAUTH_MBULK_LENGTH = 'Protocol error: unauthenticated multibulk length';
export const PROTO_ERR_TOO_BIG_BULK_COUNT = 'Protocol error: too big bulk count string';
export const PROTO_ERR_INVALID_BULK_LENGTH = 'Protocol error: invalid bulk length';
export const PROTO_ERR_UNAUTH_BULK_LENGTH = 'Protocol error: unauthenticated bulk length';
/** Redis formats the offending byte with %c and then turns CR and LF into spaces. */
export const protoErrExpectedDollar = (byte: number) =>
  `Protocol error: expected '$', got '${byte === CR || byte === LF ? ' ' : String.fromCharCode(byte)}'`;

import { latin1String } from '../latin1';
import { splitArgs } from '../../formats/redis-conf';

// Config files and the CLI split lines with the same rules.

const CR = 13;
const LF = 10;
const NUL = 0;

export class ProtocolError {
  /** message is the full error text without the "ERR " prefix, e.g. "Protocol error: invalid bulk length". */
  constructor(readonly message: string) {}
}

export interface ParserLimits {
  /** proto-max-bulk-len, read live so CONFIG SET applies at once; masters are exempt (Infinity), as in Redis. */
  maxBulkLength: () => number;
  /** True while the connection still needs AUTH: tighter limits stop memory abuse. */
  authRequired: () => boolean;
}

export type ParseResult = string[] | ProtocolError | null;

/** What one parsed argument costs beyond its bytes: the string's header and its slot in the array. */
const ARGUMENT_OVERHEAD = 64;

/** Smallest buffer allocated when bytes must be kept between chunks. */
const MIN_STORAGE = 16 * 1024;
const EMPTY = Buffer.alloc(0);

export class RequestParser {
  /**
   * Unparsed input is buf[pos, buf.length). buf is either the socket's chunk itself (the common
   * case: a chunk holds whole commands and is parsed in place, no copy) or a view of `storage`, a
   * buffer we own with spare room so that a request arriving in many small pieces is appended in
   * amortized linear time, as Redis's sds query buffer is.
   */
  private buf: Buffer = EMPTY;
  private pos = 0;
  private storage: Buffer | null = null;

  // Multibulk state, kept between calls so a partial request is never re-parsed.
  private argsRemaining = 0;
  private args: string[] = [];
  /** What the arguments parsed so far of the command in progress hold (client-query-buffer-limit counts it). */
  private argsCost = 0;
  private bulkLength = -1;
  /** Bytes consumed by the last returned command: replication counts offsets with this. */
  lastCommandBytes = 0;
  private commandStart = 0;
  /** Bytes of the current command that were consumed before buf was rebased to the start of storage. */
  private consumedBeforeBuffer = 0;
  private failed = false;

  constructor(private readonly limits: ParserLimits) {}

  write(chunk: Buffer): void {
    // After a protocol error the connection is closing: keep nothing more.
    if (chunk.length === 0 || this.failed) return;
    const buf = this.buf;
    const pending = buf.length - this.pos;
    if (pending === 0) {
      this.rebase();
      this.buf = chunk;
      this.storage = null;
      return;
    }
    // While storage is set, buf is storage[0, buf.length): append in place when the chunk fits.
    const storage = this.storage;
    if (storage !== null && storage.length - buf.length >= chunk.length) {
      chunk.copy(storage, buf.length);
      this.buf = storage.subarray(0, buf.length + chunk.length);
      return;
    }
    // A big bulk announces its size: reserve all of it at once (Redis's sdsMakeRoomForNonGreedy).
    const bulkRest = this.bulkLength >= BIG_BULK ? this.bulkLength + 2 - pending : 0;
    const needed = pending + Math.max(chunk.length, bulkRest);
    const grown = Buffer.allocUnsafe(Math.max(MIN_STORAGE, bulkRest > 0 ? needed : needed * 2));
    buf.copy(grown, 0, this.pos);
    chunk.copy(grown, pending);
    this.rebase();
    this.storage = grown;
    this.buf = grown.subarray(0, pending + chunk.length);
  }

  /**
   * Copies the unparsed bytes into a buffer of our own. For callers that lend write() a buffer they
   * will overwrite, like a socket reading into one shared buffer (net.Socket's `onread` option).
   */
  retainPending(): void {
    if (this.storage !== null) return;
    const pending = this.buf.length - this.pos;
    if (pending === 0) {
      this.release();
      return;
    }
    const own = Buffer.allocUnsafe(Math.max(MIN_STORAGE, pending * 2));
    this.buf.copy(own, 0, this.pos);
    this.rebase();
    this.storage = own;
    this.buf = own.subarray(0, pending);
  }

  /** Moves the unparsed bytes' origin to 0, keeping the byte count of a half-parsed command. */
  private rebase(): void {
    this.consumedBeforeBuffer += this.pos - this.commandStart;
    this.pos = 0;
    this.commandStart = 0;
  }

  private release(): void {
    this.rebase();
    this.buf = EMPTY;
    this.storage = null;
  }

  /** Bytes received but not yet returned as a command. */
  get pendingBytes(): number {
    return this.buf.length - this.pos;
  }

  /**
   * Memory the client's input holds: unparsed bytes plus the arguments already parsed of a command
   * still arriving. Redis counts only the first (its argv is compact); here a `*200000001` of empty
   * bulks would fill a JS array until V8 aborts, so the limit has to see the arguments too.
   */
  get heldBytes(): number {
    return this.pendingBytes + this.argsCost;
  }

  /** Bytes of the arguments already parsed of a command still arriving (CLIENT LIST argv-mem). */
  get partialArgsBytes(): number {
    return this.argsCost;
  }

  /** The first bytes not yet parsed, for the log line of a client closed over its limit. */
  pendingPreview(bytes: number): string {
    return this.buf.latin1Slice(this.pos, Math.min(this.buf.length, this.pos + bytes));
  }

  /** Room held for input beyond the pending bytes (CLIENT LIST qbuf-free); 0 once idle. */
  get spareBytes(): number {
    return this.storage === null ? 0 : this.storage.length - this.buf.length;
  }

  /**
   * The next complete command, an empty array for an empty command (blank line, `*0`),
   * a ProtocolError (the connection must be closed after replying), or null when more input is needed.
   */
  next(): ParseResult {
    if (this.failed) return null;
    if (this.argsRemaining === 0) {
      if (this.pos >= this.buf.length) {
        // Idle: let go of a buffer that may have grown for a big request.
        if (this.storage !== null) this.release();
        return null;
      }
      this.commandStart = this.pos;
      this.consumedBeforeBuffer = 0;
      if (this.buf[this.pos] !== 0x2a /* '*' */) return this.parseInline();
      const header = this.parseMultibulkHeader();
      if (header !== true) return header;
      if (this.argsRemaining === 0) return this.finish([]);
    }
    return this.parseBulks();
  }

  private finish(args: string[]): string[] {
    this.lastCommandBytes = this.consumedBeforeBuffer + (this.pos - this.commandStart);
    this.consumedBeforeBuffer = 0;
    this.commandStart = this.pos;
    return args;
  }

  private fail(message: string): ProtocolError {
    this.failed = true;
    return new ProtocolError(message);
  }

  private parseInline(): ParseResult {
    const buf = this.buf;
    const newline = findLineEnd(buf, this.pos, LF);
    if (newline === -1) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(PROTO_ERR_TOO_BIG_INLINE);
      return null;
    }
    let end = newline;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const args = splitInlineRequest(buf, this.pos, end);
    this.pos = newline + 1;
    if (args === null) return this.fail(PROTO_ERR_UNBALANCED_QUOTES);
    return this.finish(args);
  }

  /** Reads `*<count>\r\n`. Returns true when the header was consumed. */
  private parseMultibulkHeader(): true | ProtocolError | null {
    const buf = this.buf;
    // Fast path for the canonical form "*<digits>\r" plus one more byte; anything else takes the
    // general path below, which implements every rule and error.
    const end = this.scanDecimal(this.pos + 1);
    if (end > 0) {
      const count = this.scanned;
      if (count <= UNAUTHENTICATED_MAX_ARGS || (count <= INT_MAX && !this.limits.authRequired())) {
        this.pos = end + 2;
        this.argsRemaining = count;
        this.args = [];
        this.argsCost = 0;
        this.bulkLength = -1;
        return true;
      }
    }
    const cr = findLineEnd(buf, this.pos, CR);
    if (cr === -1) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(PROTO_ERR_TOO_BIG_MBULK_COUNT);
      return null;
    }
    // Like Redis, wait for the byte after CR but never check that it is LF.
    if (cr + 1 >= buf.length) return null;
    const count = parseStrictInteger(buf, this.pos + 1, cr);
    if (count === null || count > INT_MAX) return this.fail(PROTO_ERR_INVALID_MBULK_LENGTH);
    if (count > UNAUTHENTICATED_MAX_ARGS && this.limits.authRequired()) return this.fail(PROTO_ERR_UNAUTH_MBULK_LENGTH);
    this.pos = cr + 2;
    this.argsRemaining = count > 0 ? count : 0;
    this.args = [];
    this.argsCost = 0;
    this.bulkLength = -1;
    return true;
  }

  /** Reads a `$<length>\r\n` line. Returns true when consumed. */
  private parseBulkLength(): true | ProtocolError | null {
    const buf = this.buf;
    if (buf[this.pos] === 0x24 /* '$' */) {
      const end = this.scanDecimal(this.pos + 1);
      if (end > 0) {
        const length = this.scanned;
        if (length <= UNAUTHENTICATED_MAX_BULK || (length <= MIN_PROTO_MAX_BULK_LEN && !this.limits.authRequired())) {
          this.pos = end + 2;
          this.bulkLength = length;
          return true;
        }
      }
    }
    const cr = findLineEnd(buf, this.pos, CR);
    if (cr === -1) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(PROTO_ERR_TOO_BIG_BULK_COUNT);
      return null;
    }
    if (cr + 1 >= buf.length) return null;
    if (buf[this.pos] !== 0x24 /* '$' */) return this.fail(protoErrExpectedDollar(buf[this.pos]));
    const length = parseStrictInteger(buf, this.pos + 1, cr);
    if (
      length === null ||
      length < 0 ||
      (length > MIN_PROTO_MAX_BULK_LEN && (length > this.limits.maxBulkLength() || length > MAX_ARGUMENT_LENGTH))
    ) {
      return this.fail(PROTO_ERR_INVALID_BULK_LENGTH);
    }
    if (length > UNAUTHENTICATED_MAX_BULK && this.limits.authRequired()) return this.fail(PROTO_ERR_UNAUTH_BULK_LENGTH);
    this.pos = cr + 2;
    this.bulkLength = length;
    return true;
  }

  private parseBulks(): ParseResult {
    const buf = this.buf;
    const args = this.args;
    while (this.argsRemaining > 0) {
      if (this.bulkLength === -1) {
        const line = this.parseBulkLength();
        if (line !== true) return line;
      }
      // Redis skips the two bytes after the payload without checking they are CRLF.
      const start = this.pos;
      const end = start + this.bulkLength;
      if (end + 2 > buf.length) return null;
      args.push(latin1String(buf, start, this.bulkLength));
      this.argsCost += this.bulkLength + ARGUMENT_OVERHEAD;
      this.pos = end + 2;
      this.bulkLength = -1;
      this.argsRemaining--;
    }
    this.args = [];
    this.argsCost = 0;
    return this.finish(args);
  }

  /** Value of the last successful scanDecimal (kept on the instance to avoid allocating a pair). */
  private scanned = 0;

  /**
   * Scans a canonical length at `from`: 1 to 15 digits without a leading zero (or a lone 0), then
   * CR and at least one more byte. Returns the CR's index and sets `scanned`, or -1 for anything
   * else (incomplete, signs, NUL, malformed...), which the caller hands to the general path.
   */
  private scanDecimal(from: number): number {
    const buf = this.buf;
    let i = from;
    let value = 0;
    let ch = buf[i];
    // buf[i] past the end is undefined: every comparison below is then false. At most 16 digits
    // are read, so a long garbage line costs the general path's memchr, not a JS loop per write.
    const limit = from + 16;
    while (ch >= 0x30 && ch <= 0x39 && i < limit) {
      value = value * 10 + (ch - 0x30);
      ch = buf[++i];
    }
    const digits = i - from;
    if (ch !== CR || i + 1 >= buf.length || digits === 0 || digits > 15) return -1;
    if (digits > 1 && buf[from] === 0x30) return -1;
    this.scanned = value;
    return i;
  }
}

/**
 * Index of the first `byte` at or after `from`, or -1. Redis looks for line ends with strchr on a
 * NUL-terminated buffer, so a NUL byte before the line end hides it: the request then waits for
 * more input (and fails once the limit is passed) instead of being parsed. We keep that behaviour.
 */
export function findLineEnd(buf: Buffer, from: number, byte: number): number {
  const end = buf.indexOf(byte, from);
  if (end === -1) return -1;
  for (let i = from; i < end; i++) if (buf[i] === NUL) return -1;
  return end;
}

const LLONG_MAX_DIGITS = '9223372036854775807';
const LLONG_MIN_DIGITS = '9223372036854775808';

/**
 * Parses a decimal integer the way Redis's string2ll does: no '+', no spaces, no leading zeros,
 * at most 20 characters, within the signed 64-bit range. Values beyond 2^53 are rounded to the
 * nearest double, which is harmless: callers only compare them with limits far below that.
 */
export function parseStrictInteger(buf: Buffer, start: number, end: number): number | null {
  const length = end - start;
  if (length === 0 || length > 20) return null;
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d /* '-' */) {
    negative = true;
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 0x30 /* '0' */) return i + 1 === end && !negative ? 0 : null;
  let value = 0;
  for (let j = i; j < end; j++) {
    const digit = buf[j] - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  if (end - i >= 16) {
    // Past 2^53 the digit loop rounds at every step: take the correctly rounded value instead.
    const digits = buf.latin1Slice(i, end);
    if (exceedsInt64(digits, negative)) return null;
    value = Number(digits);
  }
  return negative ? -value : value;
}

function exceedsInt64(digits: string, negative: boolean): boolean {
  const limit = negative ? LLONG_MIN_DIGITS : LLONG_MAX_DIGITS;
  // Same-length decimal strings compare like the numbers they spell.
  return digits.length > limit.length || (digits.length === limit.length && digits > limit);
}

/**
 * Splits the inline request bytes buf[start, end) into latin1 arguments (one char per byte), each a
 * flat string copied out of the buffer, so a stored key or value keeps neither the socket's chunk
 * nor the request line alive.
 */
export function splitInlineRequest(buf: Buffer, start: number, end: number): string[] | null {
  return splitArgs({
    length: end - start,
    code: (index) => buf[start + index],
    text: (from, to) => latin1String(buf, start + from, to - from),
  });
}
