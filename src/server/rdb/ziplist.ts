// Ziplist: the compact encoding Redis used before listpacks (up to RDB version 9). Still found in
// files written by Redis 6 and older: LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST and quicklist v1 nodes.
//
// Layout: u32 LE total bytes, u32 LE offset of the last entry, u16 LE count (65535 = unknown),
// entries, 0xFF. An entry is <prevlen><encoding><data>; prevlen is one byte below 254, else 0xFE
// and a u32 LE. String lengths in the encoding are big endian; integers are little endian.

import { int64LEToString, latin1Slice } from './bytes';
import { CorruptBlobError } from './errors';

const HEADER_SIZE = 10;
const END = 0xff;
const BIG_PREVLEN = 0xfe;
const COUNT_UNKNOWN = 0xffff;

/** Appends every entry of a ziplist blob, integers as decimal strings, to out. Returns the entry count. */
export function decodeZiplist(blob: Buffer, out: string[]): number {
  const size = blob.length;
  if (size < HEADER_SIZE + 1) throw new CorruptBlobError('ziplist shorter than its header', 0);
  if (blob.readUInt32LE(0) !== size) throw new CorruptBlobError(`ziplist header says ${blob.readUInt32LE(0)} bytes, blob has ${size}`, 0);
  if (blob[size - 1] !== END) throw new CorruptBlobError('ziplist does not end with 0xFF', size - 1);
  const declaredCount = blob.readUInt16LE(8);
  let p = HEADER_SIZE;
  let count = 0;
  let previousLength = 0;
  const last = size - 1;
  while (p < last) {
    const entryStart = p;
    if (blob[p] === END) throw new CorruptBlobError('ziplist end marker before the end of the ziplist', p);
    let prevlen: number;
    if (blob[p] === BIG_PREVLEN) {
      if (p + 5 > last) throw new CorruptBlobError('ziplist entry header overflows the ziplist', p);
      prevlen = blob.readUInt32LE(p + 1);
      p += 5;
    } else {
      prevlen = blob[p];
      p += 1;
    }
    if (prevlen !== previousLength) throw new CorruptBlobError('ziplist entry has a wrong previous-entry length', entryStart);
    if (p >= last) throw new CorruptBlobError('ziplist entry header overflows the ziplist', p);
    const encoding = blob[p];
    const kind = encoding >>> 6;
    if (kind === 0) {
      p = readString(blob, p + 1, encoding & 0x3f, last, out);
    } else if (kind === 1) {
      if (p + 2 > last) throw new CorruptBlobError('ziplist entry header overflows the ziplist', p);
      p = readString(blob, p + 2, ((encoding & 0x3f) << 8) | blob[p + 1], last, out);
    } else if (kind === 2) {
      if (p + 5 > last) throw new CorruptBlobError('ziplist entry header overflows the ziplist', p);
      p = readString(blob, p + 5, blob.readUInt32BE(p + 1), last, out);
    } else {
      p = readInteger(blob, p, encoding, last, out);
    }
    previousLength = p - entryStart;
    count++;
  }
  if (declaredCount !== COUNT_UNKNOWN && declaredCount !== count) {
    throw new CorruptBlobError(`ziplist header says ${declaredCount} entries, found ${count}`, 8);
  }
  return count;
}

function readString(blob: Buffer, start: number, length: number, last: number, out: string[]): number {
  const end = start + length;
  if (end > last) throw new CorruptBlobError('ziplist string overflows the ziplist', start);
  out.push(latin1Slice(blob, start, end));
  return end;
}

function readInteger(blob: Buffer, p: number, encoding: number, last: number, out: string[]): number {
  const data = p + 1;
  let width: number;
  switch (encoding) {
    case 0xc0: width = 2; break;
    case 0xd0: width = 4; break;
    case 0xe0: width = 8; break;
    case 0xf0: width = 3; break;
    case 0xfe: width = 1; break;
    default:
      if (encoding >= 0xf1 && encoding <= 0xfd) {
        out.push(String((encoding & 0x0f) - 1));
        return data;
      }
      throw new CorruptBlobError(`ziplist entry has invalid encoding 0x${encoding.toString(16)}`, p);
  }
  if (data + width > last) throw new CorruptBlobError('ziplist integer overflows the ziplist', p);
  switch (width) {
    case 1: out.push(String(blob.readInt8(data))); break;
    case 2: out.push(String(blob.readInt16LE(data))); break;
    case 3: out.push(String(blob.readIntLE(data, 3))); break;
    case 4: out.push(String(blob.readInt32LE(data))); break;
    default: out.push(int64LEToString(blob, data));
  }
  return data + width;
}
