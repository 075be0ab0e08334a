// FUNCTION DUMP's payload and the function records of an RDB file: each library is the opcode
// RDB_OPCODE_FUNCTION2 then its code as an RDB string; a payload ends like DUMP's (RDB version,
// then CRC-64), as Redis's functionDumpCommand writes it.

import { RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_6BITLEN, RDB_ENCVAL, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RDB_OPCODE_FUNCTION2 } from './constants';
import { RdbEncoder } from './encoder';
import { lzfDecompress } from './lzf';
import { verifyDumpPayload, withDumpFooter } from './dump-payload';

export function createFunctionsPayload(codes: readonly string[], compression: boolean): Buffer {
  const encoder = new RdbEncoder(16 * 1024, compression);
  for (const code of codes) {
    encoder.byte(RDB_OPCODE_FUNCTION2);
    encoder.string(code);
  }
  return withDumpFooter(encoder);
}

export type FunctionsPayload = { codes: string[] } | { error: string };

/** The library codes of a FUNCTION RESTORE payload, or Redis's error for it. */
export function parseFunctionsPayload(payload: Buffer): FunctionsPayload {
  if (!verifyDumpPayload(payload)) return { error: 'ERR DUMP payload version or checksum are wrong' };
  const end = payload.length - 10;
  const codes: string[] = [];
  let pos = 0;
  while (pos < end) {
    const type = payload[pos++];
    if (type === 246) return { error: 'ERR Pre-GA function format not supported' };
    if (type !== RDB_OPCODE_FUNCTION2) return { error: 'ERR given type is not a function' };
    const read = readRdbString(payload, pos, end);
    if (read === null) return { error: 'ERR failed loading the given functions payload' };
    codes.push(read.text);
    pos = read.next;
  }
  return { codes };
}

/** One RDB string (length-prefixed, integer-encoded or LZF) at `pos`; null when it runs past `end`. */
export function readRdbString(buf: Buffer, pos: number, end: number): { text: string; next: number } | null {
  const length = readLength(buf, pos, end);
  if (length === null) return null;
  pos = length.next;
  if (!length.encoded) {
    if (pos + length.value > end) return null;
    return { text: buf.toString('latin1', pos, pos + length.value), next: pos + length.value };
  }
  switch (length.value) {
    case RDB_ENC_INT8:
      return pos + 1 <= end ? { text: String(buf.readInt8(pos)), next: pos + 1 } : null;
    case RDB_ENC_INT16:
      return pos + 2 <= end ? { text: String(buf.readInt16LE(pos)), next: pos + 2 } : null;
    case RDB_ENC_INT32:
      return pos + 4 <= end ? { text: String(buf.readInt32LE(pos)), next: pos + 4 } : null;
    case RDB_ENC_LZF: {
      const compressed = readLength(buf, pos, end);
      if (compressed === null || compressed.encoded) return null;
      const original = readLength(buf, compressed.next, end);
      if (original === null || original.encoded) return null;
      const start = original.next;
      if (start + compressed.value > end) return null;
      try {
        return { text: lzfDecompress(buf, start, start + compressed.value, original.value).toString('latin1'), next: start + compressed.value };
      } catch {
        return null;
      }
    }
    default:
      return null;
  }
}

function readLength(buf: Buffer, pos: number, end: number): { value: number; encoded: boolean; next: number } | null {
  if (pos >= end) return null;
  const first = buf[pos];
  const kind = first >> 6;
  if (kind === RDB_ENCVAL) return { value: first & 0x3f, encoded: true, next: pos + 1 };
  if (kind === RDB_6BITLEN) return { value: first & 0x3f, encoded: false, next: pos + 1 };
  if (kind === RDB_14BITLEN) return pos + 2 <= end ? { value: ((first & 0x3f) << 8) | buf[pos + 1], encoded: false, next: pos + 2 } : null;
  if (first === RDB_32BITLEN) return pos + 5 <= end ? { value: buf.readUInt32BE(pos + 1), encoded: false, next: pos + 5 } : null;
  if (first === RDB_64BITLEN) return pos + 9 <= end ? { value: Number(buf.readBigUInt64BE(pos + 1)), encoded: false, next: pos + 9 } : null;
  return null;
}
