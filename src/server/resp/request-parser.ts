// Incremental parser for client requests: RESP multibulk arrays and inline commands.
//
// The reply parsers on npm reject inline commands and bare newlines, which redis-cli,
// telnet users and replication keepalives all send, so the node parses requests itself.
// The rules (limits, error texts, what counts as an empty command) follow Redis 7.0's
// processInlineBuffer / processMultibulkBuffer.
//
// Arguments are returned as latin1 strings: one char per byte, so they are binary safe,
// compact in V8 (one-byte strings) and usable directly as Map keys.

/** Longest inline request or length header Redis accepts before calling it a protocol error. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Unauthenticated clients may send at most this many arguments / bytes per argument (Redis 7.0). */
const UNAUTHENTICATED_MAX_ARGS = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;
const INT_MAX = 2147483647;

const CR = 13;
const LF = 10;

export class ProtocolError {
  constructor(readonly message: string) {}
}

export interface ParserLimits {
  /** proto-max-bulk-len; masters are exempt, as in Redis. */
  maxBulkLength: number;
  /** True while the connection still needs AUTH: tighter limits stop memory abuse. */
  authRequired: () => boolean;
}

export type ParseResult = string[] | ProtocolError | null;

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks held back while a large bulk string is still arriving, so we concat once. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private needBytes = 0;

  // Multibulk state, kept between calls so a partial request is never re-parsed.
  private argsRemaining = 0;
  private args: string[] = [];
  private bulkLength = -1;
  /** Bytes consumed by the last returned command: replication counts offsets with this. */
  lastCommandBytes = 0;
  private commandStart = 0;
  private consumedBeforeBuffer = 0;
  private failed = false;

  constructor(private readonly limits: ParserLimits) {}

  write(chunk: Buffer): void {
    if (this.needBytes > 0) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes < this.needBytes) return;
      chunk = Buffer.concat(this.held, this.heldBytes);
      this.held = [];
      this.heldBytes = 0;
      this.needBytes = 0;
    }
    // Bytes of a half-parsed command that leave with the old buffer still count towards it.
    this.consumedBeforeBuffer += this.pos - this.commandStart;
    if (this.pos >= this.buf.length) this.buf = chunk;
    else this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.pos = 0;
    this.commandStart = 0;
  }

  /** Bytes received but not yet returned as a command. */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.heldBytes;
  }

  /**
   * The next complete command, an empty array for an empty command (blank line, `*0`),
   * a ProtocolError (the connection must be closed after replying), or null when more input is needed.
   */
  next(): ParseResult {
    if (this.failed || this.needBytes > 0) return null;
    if (this.argsRemaining === 0 && this.pos < this.buf.length) {
      this.commandStart = this.pos;
      this.consumedBeforeBuffer = 0;
      if (this.buf[this.pos] !== 0x2a /* '*' */) return this.parseInline();
      const header = this.parseMultibulkHeader();
      if (header !== true) return header;
      if (this.argsRemaining === 0) return this.finish([]);
    }
    if (this.argsRemaining > 0) return this.parseBulks();
    return null;
  }

  private finish(args: string[]): string[] {
    this.lastCommandBytes = this.consumedBeforeBuffer + (this.pos - this.commandStart);
    this.consumedBeforeBuffer = 0;
    this.commandStart = this.pos;
    return args;
  }

  private fail(message: string): ProtocolError {
    this.failed = true;
    return new ProtocolError(`Protocol error: ${message}`);
  }

  private parseInline(): ParseResult {
    const buf = this.buf;
    const newline = buf.indexOf(LF, this.pos);
    if (newline === -1) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request');
      return null;
    }
    let end = newline;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = buf.latin1Slice(this.pos, end);
    this.pos = newline + 1;
    const args = splitInlineArgs(line);
    if (args === null) return this.fail('unbalanced quotes in request');
    return this.finish(args);
  }

  /** Reads `*<count>\r\n`. Returns true when the header was consumed. */
  private parseMultibulkHeader(): true | ProtocolError | null {
    const buf = this.buf;
    const cr = buf.indexOf(CR, this.pos);
    if (cr === -1 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
      return null;
    }
    const count = parseStrictInteger(buf, this.pos + 1, cr);
    if (count === null || count > INT_MAX) return this.fail('invalid multibulk length');
    if (count > UNAUTHENTICATED_MAX_ARGS && this.limits.authRequired()) return this.fail('invalid multibulk length');
    this.pos = cr + 2;
    this.argsRemaining = count > 0 ? count : 0;
    this.args = [];
    this.bulkLength = -1;
    return true;
  }

  private parseBulks(): ParseResult {
    const buf = this.buf;
    while (this.argsRemaining > 0) {
      if (this.bulkLength === -1) {
        const cr = buf.indexOf(CR, this.pos);
        if (cr === -1 || cr + 1 >= buf.length) {
          if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string');
          return null;
        }
        if (buf[this.pos] !== 0x24 /* '$' */) {
          return this.fail(`expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
        }
        const length = parseStrictInteger(buf, this.pos + 1, cr);
        if (length === null || length < 0 || length > this.limits.maxBulkLength) return this.fail('invalid bulk length');
        if (length > UNAUTHENTICATED_MAX_BULK && this.limits.authRequired()) return this.fail('invalid bulk length');
        this.pos = cr + 2;
        this.bulkLength = length;
      }
      // Redis skips the two bytes after the payload without checking they are CRLF.
      const available = buf.length - this.pos;
      if (available < this.bulkLength + 2) {
        // Large payloads arrive in many chunks: hold them and concatenate once.
        if (this.bulkLength >= 32 * 1024) {
          this.needBytes = this.bulkLength + 2 - available;
        }
        return null;
      }
      this.args.push(buf.latin1Slice(this.pos, this.pos + this.bulkLength));
      this.pos += this.bulkLength + 2;
      this.bulkLength = -1;
      this.argsRemaining--;
    }
    const args = this.args;
    this.args = [];
    return this.finish(args);
  }
}

/** Parses a decimal integer the way Redis's string2ll does: no '+', no spaces, no leading zeros. */
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
  for (; i < end; i++) {
    const digit = buf[i] - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\v' || ch === '\f';
}

function hexValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Splits a line into arguments with redis-cli's quoting rules (Redis's sdssplitargs):
 * "double quotes" with \n \r \t \b \a \xHH escapes, 'single quotes' with \' only.
 * Returns null on unbalanced quotes or a closing quote not followed by a space.
 */
export function splitInlineArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (inDouble) {
        if (i >= n) return null;
        const ch = line[i];
        if (ch === '\\' && line[i + 1] === 'x' && i + 3 < n && hexValue(line[i + 2] ?? '') >= 0 && hexValue(line[i + 3] ?? '') >= 0) {
          current += String.fromCharCode(hexValue(line[i + 2]) * 16 + hexValue(line[i + 3]));
          i += 3;
        } else if (ch === '\\' && i + 1 < n) {
          i++;
          const escaped = line[i];
          current += escaped === 'n' ? '\n' : escaped === 'r' ? '\r' : escaped === 't' ? '\t' : escaped === 'b' ? '\b' : escaped === 'a' ? '\x07' : escaped;
        } else if (ch === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          current += ch;
        }
      } else if (inSingle) {
        if (i >= n) return null;
        const ch = line[i];
        if (ch === '\\' && line[i + 1] === "'") {
          i++;
          current += "'";
        } else if (ch === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          current += ch;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const ch = line[i];
        if (isSpace(ch)) done = true;
        else if (ch === '"') inDouble = true;
        else if (ch === "'") inSingle = true;
        else current += ch;
      }
      i++;
    }
    args.push(current);
  }
}
