// Listpack: the compact encoding of small hashes, sorted sets, 7.2 sets and quicklist nodes.
//
// Layout: u32 LE total bytes, u16 LE element count (65535 = unknown), entries, 0xFF.
// An entry is <encoding+data><backlen>, where backlen is the size of encoding+data written in
// 1-5 bytes of 7 bits, most significant group first, so the list can be walked backwards.
// Integers are little endian two's complement.

import { parseInt64 } from '../resp/numbers';
import { int64LEToString, latin1Slice, latin1Write } from './bytes';
import { CorruptBlobError } from './errors';

const HEADER_SIZE = 6;
const END = 0xff;
const COUNT_UNKNOWN = 0xffff;

/** Bytes needed for the backlen of an entry of entryLength bytes (thresholds exactly as listpack.c). */
export function backlenSize(entryLength: number): number {
  if (entryLength <= 127) return 1;
  if (entryLength < 16383) return 2;
  if (entryLength < 2097151) return 3;
  if (entryLength < 268435455) return 4;
  return 5;
}

/** Appends every entry of a listpack blob, integers as decimal strings, to out. Returns the entry count. */
export function decodeListpack(blob: Buffer, out: string[]): number {
  const size = blob.length;
  if (size < HEADER_SIZE + 1) throw new CorruptBlobError('listpack shorter than its header', 0);
  if (blob.readUInt32LE(0) !== size) throw new CorruptBlobError(`listpack header says ${blob.readUInt32LE(0)} bytes, blob has ${size}`, 0);
  if (blob[size - 1] !== END) throw new CorruptBlobError('listpack does not end with 0xFF', size - 1);
  const declaredCount = blob.readUInt16LE(4);
  const last = size - 1;
  let p = HEADER_SIZE;
  let count = 0;
  while (p < last) {
    const entryStart = p;
    const encoding = blob[p];
    let dataEnd: number;
    if (encoding < 0x80) {
      out.push(String(encoding));
      dataEnd = p + 1;
    } else if (encoding < 0xc0) {
      dataEnd = pushString(blob, p + 1, encoding & 0x3f, last, out);
    } else if (encoding < 0xe0) {
      if (p + 2 > last) throw new CorruptBlobError('listpack entry overflows the listpack', p);
      const raw = ((encoding & 0x1f) << 8) | blob[p + 1];
      out.push(String(raw >= 4096 ? raw - 8192 : raw));
      dataEnd = p + 2;
    } else if (encoding < 0xf0) {
      if (p + 2 > last) throw new CorruptBlobError('listpack entry overflows the listpack', p);
      dataEnd = pushString(blob, p + 2, ((encoding & 0x0f) << 8) | blob[p + 1], last, out);
    } else {
      switch (encoding) {
        case 0xf0:
          if (p + 5 > last) throw new CorruptBlobError('listpack entry overflows the listpack', p);
          dataEnd = pushString(blob, p + 5, blob.readUInt32LE(p + 1), last, out);
          break;
        case 0xf1:
          dataEnd = pushInteger(blob, p, 2, last, out);
          break;
        case 0xf2:
          dataEnd = pushInteger(blob, p, 3, last, out);
          break;
        case 0xf3:
          dataEnd = pushInteger(blob, p, 4, last, out);
          break;
        case 0xf4:
          dataEnd = pushInteger(blob, p, 8, last, out);
          break;
        default:
          throw new CorruptBlobError(`listpack entry has invalid encoding 0x${encoding.toString(16)}`, p);
      }
    }
    const entryLength = dataEnd - entryStart;
    const backlenBytes = backlenSize(entryLength);
    if (dataEnd + backlenBytes > last) throw new CorruptBlobError('listpack entry backlen overflows the listpack', dataEnd);
    if (decodeBacklen(blob, dataEnd + backlenBytes - 1) !== entryLength) {
      throw new CorruptBlobError('listpack entry backlen does not match the entry', dataEnd);
    }
    p = dataEnd + backlenBytes;
    count++;
  }
  if (declaredCount !== COUNT_UNKNOWN && declaredCount !== count) {
    throw new CorruptBlobError(`listpack header says ${declaredCount} entries, found ${count}`, 4);
  }
  return count;
}

function pushString(blob: Buffer, start: number, length: number, last: number, out: string[]): number {
  const end = start + length;
  if (end > last) throw new CorruptBlobError('listpack string overflows the listpack', start);
  out.push(latin1Slice(blob, start, end));
  return end;
}

function pushInteger(blob: Buffer, p: number, width: number, last: number, out: string[]): number {
  const data = p + 1;
  if (data + width > last) throw new CorruptBlobError('listpack integer overflows the listpack', p);
  if (width === 2) out.push(String(blob.readInt16LE(data)));
  else if (width === 3) out.push(String(blob.readIntLE(data, 3)));
  else if (width === 4) out.push(String(blob.readInt32LE(data)));
  else out.push(int64LEToString(blob, data));
  return data + width;
}

/** Reads a backlen backwards from its last byte; -1 when it is longer than 5 bytes. */
function decodeBacklen(blob: Buffer, lastByte: number): number {
  let value = 0;
  let shift = 0;
  let p = lastByte;
  for (;;) {
    const byte = blob[p];
    value += (byte & 127) * 2 ** shift;
    if ((byte & 128) === 0) return value;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding, for quicklist nodes written by this node.

/**
 * The integer a string denotes when Redis would store it as a listpack integer (lpStringToInt64:
 * no sign '+', no leading zeros, no spaces, fits in int64, under 21 bytes); null otherwise. Values
 * beyond 2^53 are returned as bigint.
 */
export function listpackInteger(text: string): number | bigint | null {
  return parseInt64(text);
}

/** Builds one listpack in a growable scratch buffer. */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(8192 + 64);
  private pos = HEADER_SIZE;
  private entries = 0;

  get byteLength(): number {
    return this.pos + 1;
  }

  get count(): number {
    return this.entries;
  }

  reset(): void {
    this.pos = HEADER_SIZE;
    this.entries = 0;
    if (this.buf.length > 1 << 20) this.buf = Buffer.allocUnsafe(8192 + 64);
  }

  /** Size the listpack would have after appending this element (to decide when a node is full). */
  static encodedSize(text: string): number {
    const entry = ListpackBuilder.entrySize(text);
    return entry + backlenSize(entry);
  }

  private static entrySize(text: string): number {
    const value = listpackInteger(text);
    if (value !== null) return integerSize(value);
    const n = text.length;
    if (n < 64) return 1 + n;
    if (n < 4096) return 2 + n;
    return 5 + n;
  }

  append(text: string): void {
    const value = listpackInteger(text);
    this.ensure(text.length + 16);
    const start = this.pos;
    if (value !== null) this.writeInteger(value);
    else this.writeString(text);
    this.writeBacklen(this.pos - start);
    this.entries++;
  }

  /** The finished listpack; valid until the next reset() or append(). */
  finish(): Buffer {
    const buf = this.buf;
    buf[this.pos] = END;
    const total = this.pos + 1;
    buf.writeUInt32LE(total, 0);
    buf.writeUInt16LE(this.entries < COUNT_UNKNOWN ? this.entries : COUNT_UNKNOWN, 4);
    return buf.subarray(0, total);
  }

  private ensure(extra: number): void {
    if (this.pos + extra + 1 <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra + 1));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private writeString(text: string): void {
    const buf = this.buf;
    const n = text.length;
    let p = this.pos;
    if (n < 64) {
      buf[p++] = 0x80 | n;
    } else if (n < 4096) {
      buf[p++] = 0xe0 | (n >>> 8);
      buf[p++] = n & 0xff;
    } else {
      buf[p++] = 0xf0;
      buf.writeUInt32LE(n, p);
      p += 4;
    }
    if (n < 32) for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    else p += latin1Write(buf, text, p);
    this.pos = p;
  }

  private writeInteger(value: number | bigint): void {
    const buf = this.buf;
    let p = this.pos;
    if (typeof value === 'bigint') {
      buf[p++] = 0xf4;
      buf.writeBigInt64LE(value, p);
      p += 8;
    } else if (value >= 0 && value <= 127) {
      buf[p++] = value;
    } else if (value >= -4096 && value <= 4095) {
      const raw = value < 0 ? value + 8192 : value;
      buf[p++] = 0xc0 | (raw >>> 8);
      buf[p++] = raw & 0xff;
    } else if (value >= -32768 && value <= 32767) {
      buf[p++] = 0xf1;
      buf.writeInt16LE(value, p);
      p += 2;
    } else if (value >= -8388608 && value <= 8388607) {
      buf[p++] = 0xf2;
      buf.writeIntLE(value, p, 3);
      p += 3;
    } else if (value >= -2147483648 && value <= 2147483647) {
      buf[p++] = 0xf3;
      buf.writeInt32LE(value, p);
      p += 4;
    } else {
      buf[p++] = 0xf4;
      buf.writeBigInt64LE(BigInt(value), p);
      p += 8;
    }
    this.pos = p;
  }

  private writeBacklen(entryLength: number): void {
    const buf = this.buf;
    const size = backlenSize(entryLength);
    // Most significant 7-bit group first; every byte but the first has the high bit set.
    let p = this.pos + size - 1;
    let rest = entryLength;
    for (let i = 0; i < size; i++) {
      buf[p--] = (rest & 127) | (i === size - 1 ? 0 : 128);
      rest = Math.floor(rest / 128);
    }
    this.pos += size;
  }
}

/**
 * What an integer entry takes in a listpack, back-length byte included: the same as
 * ListpackBuilder.encodedSize of its decimal text, without making the text.
 */
export function encodedIntegerSize(value: number | bigint): number {
  if (typeof value === 'bigint') {
    if (value > MAX_SAFE_BIGINT || value < -MAX_SAFE_BIGINT) return 9 + 1;
    value = Number(value);
  }
  return integerSize(value) + 1;
}

const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

function integerSize(value: number | bigint): number {
  if (typeof value === 'bigint') return 9;
  if (value >= 0 && value <= 127) return 1;
  if (value >= -4096 && value <= 4095) return 2;
  if (value >= -32768 && value <= 32767) return 3;
  if (value >= -8388608 && value <= 8388607) return 4;
  if (value >= -2147483648 && value <= 2147483647) return 5;
  return 9;
}
