// RESP2 encoding and an incremental reply parser: just what rctl needs to talk to nodes.
// A reply that does not start with a RESP type byte means the peer is not Redis.

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

export function encodeCommand(args: ReadonlyArray<string | number>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(String(arg), 'utf8');
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
export function parseReply(buffer: Buffer, offset = 0): Parsed | null {
  if (offset >= buffer.length) return null;
  const type = buffer[offset];
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) {
    if (!isRespType(type) || buffer.length - offset > MAX_LINE) throw new ProtocolError(buffer.subarray(offset));
    return null;
  }
  const line = buffer.toString('utf8', offset + 1, lineEnd);
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
      return { value: buffer.toString('utf8', afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case 0x2a: { // *
      const count = Number(line);
      if (!Number.isInteger(count) || count < -1) throw new ProtocolError(buffer.subarray(offset));
      if (count === -1) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let cursor = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, cursor);
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
