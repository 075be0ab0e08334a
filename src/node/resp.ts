// RESP encoding and reply parsing: rctl's, and also the benchmarks' and the tests'. rctl speaks
// RESP2 and reads text as UTF-8; a reply that does not start with a RESP2 type byte means the peer
// is not Redis. The benchmarks and tests compare bytes with redis-server, so they read strings as
// latin1 (one char per byte) and frame RESP3 replies too (replyLength, ReplyReader).

export type RespValue = string | number | null | RespValue[] | ReplyError;

/** An error reply (`-ERR ...`), kept as a value so pipelined replies stay in order. */
export class ReplyError {
  constructor(readonly text: string) {}
  /** First word: ERR, WRONGPASS, NOAUTH, LOADING, READONLY... */
  get prefix(): string {
    const space = this.text.indexOf(' ');
    return space === -1 ? this.text : this.text.slice(0, space);
  }
}

export class ProtocolError extends Error {
  constructor(readonly received: Buffer) {
    super('not a RESP reply');
  }

  /** The first printable bytes received, to tell the operator what answered instead. */
  preview(): string {
    const text = this.received.subarray(0, 60).toString('latin1').split(/\r?\n/)[0];
    return text.replace(/[^\x20-\x7e]/g, '?');
  }
}

/** How strings travel: rctl's are UTF-8 text; byte-exact tools use latin1, one char per byte. */
export type StringEncoding = 'utf8' | 'latin1';

export function encodeCommand(args: ReadonlyArray<string | number>, encoding: StringEncoding = 'utf8'): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(String(arg), encoding);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export interface Parsed {
  value: RespValue;
  next: number;
}

const MAX_LINE = 64 * 1024;

/** Parses one reply starting at `offset`; null when more bytes are needed. Throws ProtocolError on garbage. */
export function parseReply(buffer: Buffer, offset = 0, encoding: StringEncoding = 'utf8'): Parsed | null {
  if (offset >= buffer.length) return null;
  const type = buffer[offset];
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) {
    if (!isRespType(type) || buffer.length - offset > MAX_LINE) throw new ProtocolError(buffer.subarray(offset));
    return null;
  }
  const line = buffer.toString(encoding, offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case 0x2b: // +
      return { value: line, next: afterLine };
    case 0x2d: // -
      return { value: new ReplyError(line), next: afterLine };
    case 0x3a: // :
      return { value: Number(line), next: afterLine };
    case 0x24: { // $
      const length = Number(line);
      if (!Number.isInteger(length) || length < -1) throw new ProtocolError(buffer.subarray(offset));
      if (length === -1) return { value: null, next: afterLine };
      if (buffer.length < afterLine + length + 2) return null;
      return { value: buffer.toString(encoding, afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case 0x2a: { // *
      const count = Number(line);
      if (!Number.isInteger(count) || count < -1) throw new ProtocolError(buffer.subarray(offset));
      if (count === -1) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let cursor = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, cursor, encoding);
        if (item === null) return null;
        items.push(item.value);
        cursor = item.next;
      }
      return { value: items, next: cursor };
    }
    default:
      throw new ProtocolError(buffer.subarray(offset));
  }
}

function isRespType(byte: number): boolean {
  return byte === 0x2b || byte === 0x2d || byte === 0x3a || byte === 0x24 || byte === 0x2a;
}

/**
 * The length in bytes of the complete RESP2 or RESP3 reply at `offset`, or null when more bytes are
 * needed. Throws ProtocolError when the bytes there do not start a reply.
 */
export function replyLength(buffer: Buffer, offset = 0): number | null {
  if (offset >= buffer.length) return null;
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) return null;
  const afterLine = lineEnd + 2;
  switch (String.fromCharCode(buffer[offset])) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
      return afterLine - offset;
    case '$': case '=': case '!': {
      const length = Number(buffer.latin1Slice(offset + 1, lineEnd));
      if (length < 0) return afterLine - offset;
      if (buffer.length < afterLine + length + 2) return null;
      return afterLine + length + 2 - offset;
    }
    case '*': case '~': case '>': case '%': case '|': {
      const count = Number(buffer.latin1Slice(offset + 1, lineEnd));
      if (count < 0) return afterLine - offset;
      // A map or attribute counts pairs.
      const elements = buffer[offset] === 0x25 /* % */ || buffer[offset] === 0x7c /* | */ ? count * 2 : count;
      let cursor = afterLine;
      for (let i = 0; i < elements; i++) {
        const length = replyLength(buffer, cursor);
        if (length === null) return null;
        cursor += length;
      }
      return cursor - offset;
    }
    default:
      throw new ProtocolError(buffer.subarray(offset));
  }
}

/** Replies arriving in chunks: write() what the socket delivers, take complete replies out in order. */
export class ReplyReader {
  private buffer: Buffer = Buffer.alloc(0);

  write(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The next complete reply's exact bytes (RESP2 or RESP3, a copy), or null until all of it arrived. */
  nextBytes(): Buffer | null {
    const length = replyLength(this.buffer);
    if (length === null) return null;
    const reply = Buffer.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return reply;
  }

  /** The next complete RESP2 reply, parsed, or null until all of it arrived. */
  nextValue(encoding: StringEncoding = 'utf8'): { value: RespValue } | null {
    const parsed = parseReply(this.buffer, 0, encoding);
    if (parsed === null) return null;
    this.buffer = this.buffer.subarray(parsed.next);
    return { value: parsed.value };
  }

  /** What arrived after the last complete reply, and empties the reader. */
  takeRest(): Buffer {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  /** The bytes not yet taken, for error messages. */
  get pending(): Buffer {
    return this.buffer;
  }
}
