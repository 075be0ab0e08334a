// LZF, the compression Redis applies to long strings in RDB files (and to compressed quicklist nodes).
//
// Format: a control byte below 32 starts a literal run of (ctrl + 1) bytes; otherwise its top three
// bits are a length (7 = "read one more length byte") and its low five bits plus the next byte are a
// back-reference distance of up to 8192 bytes; the match copies length + 2 bytes.

import { CorruptBlobError } from './errors';

const MAX_LITERAL_RUN = 32;
const MAX_DISTANCE = 8192;
const MAX_MATCH = 264;
const HASH_BITS = 14;

/** The most an LZF stream can expand: a 3-byte back-reference yields 264 bytes. */
export const LZF_MAX_EXPANSION = 88;

/**
 * Decompresses src[start, end) into exactly outLength bytes: into `into` when given (it must
 * hold outLength bytes; the result is then a view of it), else into a new buffer.
 */
export function lzfDecompress(src: Uint8Array, start: number, end: number, outLength: number, into?: Buffer): Buffer {
  const out = into ? into.subarray(0, outLength) : Buffer.allocUnsafe(outLength);
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = src[ip++];
    if (ctrl < MAX_LITERAL_RUN) {
      const run = ctrl + 1;
      if (op + run > outLength) throw new CorruptBlobError('LZF literal run overflows the declared length', ip - 1 - start);
      if (ip + run > end) throw new CorruptBlobError('LZF literal run overflows the compressed data', ip - 1 - start);
      for (let i = 0; i < run; i++) out[op++] = src[ip++];
    } else {
      let length = ctrl >>> 5;
      if (ip >= end) throw new CorruptBlobError('LZF back-reference is truncated', ip - 1 - start);
      if (length === 7) {
        length += src[ip++];
        if (ip >= end) throw new CorruptBlobError('LZF back-reference is truncated', ip - 2 - start);
      }
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - src[ip++];
      length += 2;
      if (op + length > outLength) throw new CorruptBlobError('LZF back-reference overflows the declared length', ip - 2 - start);
      if (ref < 0) throw new CorruptBlobError('LZF back-reference points before the start of the data', ip - 2 - start);
      if (op - ref >= length && length > 16) {
        out.copyWithin(op, ref, ref + length);
        op += length;
      } else {
        // Byte by byte when the source overlaps the destination (run-length style copies).
        for (let i = 0; i < length; i++) out[op++] = out[ref + i];
      }
    }
  }
  if (op !== outLength) throw new CorruptBlobError(`LZF data decompressed to ${op} bytes instead of ${outLength}`, end - start);
  return out;
}

// Hash table of the last position where each 3-byte sequence was seen. Positions are stored with a
// per-call offset ("generation") so the table never needs clearing between calls.
const table = new Int32Array(1 << HASH_BITS);
let generation = 1;

function hash3(src: Uint8Array, i: number): number {
  return (Math.imul((src[i] << 16) | (src[i + 1] << 8) | src[i + 2], 0x9e3779b1) >>> (32 - HASH_BITS));
}

/**
 * Compresses src[start, end) into out[outStart, outStart + limit). Returns the compressed size,
 * or 0 when the result would not fit in limit bytes (the data is not worth compressing).
 */
export function lzfCompress(src: Uint8Array, start: number, end: number, out: Uint8Array, outStart: number, limit: number): number {
  const length = end - start;
  if (generation + length + 1 > 0x3fffffff) {
    table.fill(0);
    generation = 1;
  }
  const base = generation;
  generation += length + 1;

  const outEnd = outStart + limit;
  let op = outStart;
  let literalStart = start;
  let ip = start;

  const flushLiterals = (upTo: number): boolean => {
    let from = literalStart;
    while (from < upTo) {
      const run = Math.min(MAX_LITERAL_RUN, upTo - from);
      if (op + 1 + run > outEnd) return false;
      out[op++] = run - 1;
      for (let i = 0; i < run; i++) out[op++] = src[from++];
    }
    return true;
  };

  while (ip + 2 < end) {
    const slot = hash3(src, ip);
    const candidate = table[slot] - base;
    table[slot] = ip - start + base;
    const ref = start + candidate;
    if (
      candidate >= 0 &&
      ref < ip &&
      ip - ref <= MAX_DISTANCE &&
      src[ref] === src[ip] &&
      src[ref + 1] === src[ip + 1] &&
      src[ref + 2] === src[ip + 2]
    ) {
      const maxLength = Math.min(MAX_MATCH, end - ip);
      let matchLength = 3;
      while (matchLength < maxLength && src[ref + matchLength] === src[ip + matchLength]) matchLength++;
      if (!flushLiterals(ip)) return 0;
      const distance = ip - ref - 1;
      const lengthCode = matchLength - 2;
      if (lengthCode < 7) {
        if (op + 2 > outEnd) return 0;
        out[op++] = (lengthCode << 5) | (distance >>> 8);
      } else {
        if (op + 3 > outEnd) return 0;
        out[op++] = (7 << 5) | (distance >>> 8);
        out[op++] = lengthCode - 7;
      }
      out[op++] = distance & 0xff;
      ip += matchLength;
      literalStart = ip;
    } else {
      ip++;
    }
  }
  if (!flushLiterals(end)) return 0;
  return op - outStart;
}
