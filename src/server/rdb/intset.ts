// Intset: the compact encoding of small all-integer sets (RDB_TYPE_SET_INTSET).
// Layout: u32 LE element width (2, 4 or 8 bytes), u32 LE count, then the sorted integers, little endian.

import { int64LEToString } from './bytes';
import { CorruptBlobError } from './errors';

const HEADER_SIZE = 8;

/** Appends the members of an intset blob, as decimal strings, to out. */
export function decodeIntset(blob: Buffer, out: string[]): void {
  if (blob.length < HEADER_SIZE) throw new CorruptBlobError('intset shorter than its header', 0);
  const width = blob.readUInt32LE(0);
  const count = blob.readUInt32LE(4);
  if (width !== 2 && width !== 4 && width !== 8) throw new CorruptBlobError(`intset has invalid element width ${width}`, 0);
  if (HEADER_SIZE + width * count !== blob.length) {
    throw new CorruptBlobError(`intset of ${count} ${width}-byte elements does not fill its ${blob.length} bytes`, 4);
  }
  if (count === 0) throw new CorruptBlobError('intset is empty', 4);
  for (let i = 0, offset = HEADER_SIZE; i < count; i++, offset += width) {
    if (width === 2) out.push(String(blob.readInt16LE(offset)));
    else if (width === 4) out.push(String(blob.readInt32LE(offset)));
    else out.push(int64LEToString(blob, offset));
  }
}

/**
 * The intset Redis 7.0 keeps for an all-integer set: members sorted ascending, each in the
 * narrowest width that holds them all. The caller guarantees every member is an int64 in canonical form.
 */
export function encodeIntset(members: Iterable<string>): Buffer {
  const values: bigint[] = [];
  for (const member of members) values.push(BigInt(member));
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const value of values) {
    if (value < -2147483648n || value > 2147483647n) {
      width = 8;
      break;
    }
    if (value < -32768n || value > 32767n) width = 4;
  }
  const blob = Buffer.alloc(HEADER_SIZE + width * values.length);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  let offset = HEADER_SIZE;
  for (const value of values) {
    if (width === 2) blob.writeInt16LE(Number(value), offset);
    else if (width === 4) blob.writeInt32LE(Number(value), offset);
    else blob.writeBigInt64LE(value, offset);
    offset += width;
  }
  return blob;
}
