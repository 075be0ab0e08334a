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
