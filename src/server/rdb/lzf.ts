// LZF, the compression Redis applies to long strings in RDB files (and to compressed quicklist nodes).
//
// Format: a control byte below 32 starts a literal run of (ctrl + 1) bytes; otherwise its top three
// bits are a length (7 = "read one more length byte") and its low five bits plus the next byte are a
// back-reference distance of up to 8192 bytes; the match copies length + 2 bytes.

import { CorruptBlobError } from './errors';

const MAX_LITERAL_RUN = 32;
const MAX_DISTANCE = 8192;

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

// Compression is a port of Redis's lzf_c.c as Redis builds it (HLOG 16, VERY_FAST, no table
// initialisation), so payloads come out byte for byte as Redis's do: DUMP must match.
// The table maps a hash of 3 bytes to the last position seen. Positions are stored with a
// per-call offset ("generation") so the table never needs clearing between calls; an entry from
// an earlier call reads as empty, as a fresh table would.
const HASH_LOG = 16;
const HASH_SIZE = 1 << HASH_LOG;
const MAX_REF = (1 << 8) + (1 << 3);
const table = new Int32Array(HASH_SIZE);
let generation = 1;

/** lzf's IDX for VERY_FAST: only the low 24 bits of h (three bytes) matter. */
function slotOf(h: number): number {
  return ((h >>> (3 * 8 - HASH_LOG)) - Math.imul(h, 5)) & (HASH_SIZE - 1);
}

/**
 * Compresses src[start, end) into out[outStart, outStart + limit). Returns the compressed size,
 * or 0 when the result would not fit in limit bytes (the data is not worth compressing).
 */
export function lzfCompress(src: Uint8Array, start: number, end: number, out: Uint8Array, outStart: number, limit: number): number {
  const length = end - start;
  if (length === 0 || limit === 0) return 0;
  if (generation + length + 1 > 0x3fffffff) {
    table.fill(0);
    generation = 1;
  }
  const base = generation;
  generation += length + 1;
  const outEnd = outStart + limit;
  let op = outStart;
  let ip = start;
  let lit = 0;
  op++; // start run
  let hval = (src[ip] << 8) | src[ip + 1];
  while (ip < end - 2) {
    hval = ((hval << 8) | src[ip + 2]) >>> 0;
    const slot = slotOf(hval);
    const entry = table[slot];
    table[slot] = ip - start + base;
    const ref = entry >= base ? start + entry - base : -1;
    const off = ip - ref - 1;
    if (ref > start && off < MAX_DISTANCE && src[ref + 2] === src[ip + 2] && src[ref] === src[ip] && src[ref + 1] === src[ip + 1]) {
      let len = 2;
      const maxlen = Math.min(end - ip - len, MAX_REF);
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo an empty run
      if (maxlen > 16) {
        // lzf's unrolled loop: up to 16 more bytes compared without the maxlen check.
        let unrolled = 0;
        do len++;
        while (++unrolled < 16 && src[ref + len] === src[ip + len]);
        if (src[ref + len] === src[ip + len]) {
          do len++;
          while (len < maxlen && src[ref + len] === src[ip + len]);
        }
      } else {
        do len++;
        while (len < maxlen && src[ref + len] === src[ip + len]);
      }
      len -= 2; // the length code: octets - 2
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= end - 2) break;
      // VERY_FAST: only the last two positions of the match go into the table.
      ip -= 2;
      hval = (src[ip] << 8) | src[ip + 1];
      hval = ((hval << 8) | src[ip + 2]) >>> 0;
      table[slotOf(hval)] = ip - start + base;
      ip++;
      hval = ((hval << 8) | src[ip + 2]) >>> 0;
      table[slotOf(hval)] = ip - start + base;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = src[ip++];
      if (lit === MAX_LITERAL_RUN) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < end) {
    lit++;
    out[op++] = src[ip++];
    if (lit === MAX_LITERAL_RUN) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  return op - outStart;
}
