// Fast conversions between latin1 JS strings (one char per byte, how the keyspace stores data) and
// bytes. Node's own latin1Slice/latin1Write skip the argument decoding of toString()/write(), which
// matters when a load or a save converts tens of millions of short strings.

import { latin1String } from '../latin1';

interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length?: number): number;
}

const hasFastLatin1 =
  typeof (Buffer.prototype as Partial<Latin1Buffer>).latin1Slice === 'function' &&
  typeof (Buffer.prototype as Partial<Latin1Buffer>).latin1Write === 'function';

export const latin1Slice: (buf: Buffer, start: number, end: number) => string = hasFastLatin1
  ? (buf, start, end) => latin1String(buf, start, end - start)
  : (buf, start, end) => buf.toString('latin1', start, end);

/** Writes the whole string at offset (the caller made room); returns the byte count. */
export const latin1Write: (buf: Buffer, text: string, offset: number) => number = hasFastLatin1
  ? (buf, text, offset) => (buf as Latin1Buffer).latin1Write(text, offset, text.length)
  : (buf, text, offset) => buf.write(text, offset, text.length, 'latin1');

/** A signed 64-bit little-endian integer as decimal text, exact beyond 2^53. */
export function int64LEToString(buf: Buffer, offset: number): string {
  const lo = buf.readUInt32LE(offset);
  const hi = buf.readInt32LE(offset + 4);
  // |value| < 2^53 exactly when the high word is within +-2^21: then a double holds it exactly.
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * 0x100000000 + lo);
  return buf.readBigInt64LE(offset).toString();
}
