// Bit arithmetic over byte buffers for the bitmap commands, with Redis's bit order: bit 0 is the
// most significant bit of the first byte. Strings are latin1 JS strings; the commands convert
// the part they work on to a Buffer once, so a large string costs one copy, not one per byte.

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The bytes [start, end] of a latin1 string (end inclusive, both within the string). */
export function bytesOf(value: string, start = 0, end = value.length - 1): Buffer {
  return writableBytes(start === 0 && end === value.length - 1 ? value : value.slice(start, end + 1));
}

/**
 * A fresh buffer holding the string, zero-padded to `length` bytes when that is longer. Strings
 * cannot change in place, so a bit write copies the string once into a buffer and back: for a
 * megabyte that is about four times faster than splicing with slice() and +, whose rope V8
 * flattens char by char.
 */
export function writableBytes(value: string, length = value.length): Buffer {
  const bytes = Buffer.allocUnsafe(Math.max(length, value.length));
  const written = bytes.latin1Write(value, 0);
  if (written < bytes.length) bytes.fill(0, written);
  return bytes;
}

/** The buffer as a latin1 string (our string representation). */
export function toLatin1(bytes: Buffer): string {
  return bytes.latin1Slice(0, bytes.length);
}

/**
 * Long scans copy the string a chunk at a time into one reusable buffer and read it a word at a
 * time: no allocation per call, and 4 to 8 times faster than charCodeAt byte by byte.
 */
const SCAN_CHUNK = 64 * 1024;
const scanBuffer = Buffer.allocUnsafeSlow(SCAN_CHUNK);
const scanWords = new Uint32Array(scanBuffer.buffer, scanBuffer.byteOffset, SCAN_CHUNK / 4);

/** Set bits in the bytes [start, end] of the string. */
export function popcountOf(value: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i <= end; i += SCAN_CHUNK) {
    const n = Math.min(SCAN_CHUNK, end - i + 1);
    scanBuffer.latin1Write(value.slice(i, i + n), 0);
    count += popcount(scanBuffer.subarray(0, n));
  }
  return count;
}

/** Set bits of a buffer, four bytes at a time where the buffer is word aligned. */
export function popcount(bytes: Buffer): number {
  let count = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n && (bytes.byteOffset + i) % 4 !== 0) count += POPCOUNT[bytes[i++]];
  const words = Math.floor((n - i) / 4);
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let w = 0; w < words; w++) count += popcount32(view[w]);
    i += words * 4;
  }
  while (i < n) count += POPCOUNT[bytes[i++]];
  return count;
}

export type BitOp = 'and' | 'or' | 'xor' | 'not';

/**
 * result[i] = result[i] op bytes[i] over the first bytes.length bytes (NOT: result[i] = ~bytes[i]).
 * Word at a time when both buffers are word aligned, as large (unpooled) buffers are.
 */
export function combineInto(result: Buffer, bytes: Buffer, op: BitOp): void {
  const n = bytes.length;
  let i = 0;
  if (n >= 64 && result.byteOffset % 4 === 0 && bytes.byteOffset % 4 === 0) {
    const words = n >> 2;
    const r = new Uint32Array(result.buffer, result.byteOffset, words);
    const b = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    if (op === 'and') for (let w = 0; w < words; w++) r[w] &= b[w];
    else if (op === 'or') for (let w = 0; w < words; w++) r[w] |= b[w];
    else if (op === 'xor') for (let w = 0; w < words; w++) r[w] ^= b[w];
    else for (let w = 0; w < words; w++) r[w] = ~b[w];
    i = words * 4;
  }
  if (op === 'and') for (; i < n; i++) result[i] &= bytes[i];
  else if (op === 'or') for (; i < n; i++) result[i] |= bytes[i];
  else if (op === 'xor') for (; i < n; i++) result[i] ^= bytes[i];
  else for (; i < n; i++) result[i] = ~bytes[i];
}

/** Set bits of one byte. */
export function popcountByte(byte: number): number {
  return POPCOUNT[byte & 0xff];
}

/**
 * Position of the first bit equal to `bit` in the bytes [start, end] of the string, counted from
 * `start`; -1 when there is none. Long spans skip all-zero (or all-one) words, as Redis does.
 */
export function firstBit(value: string, start: number, end: number, bit: 0 | 1): number {
  const skipByte = bit ? 0 : 0xff;
  const skipWord = bit ? 0 : 0xffffffff;
  let i = start;
  while (end - i + 1 >= SCAN_CHUNK) {
    scanBuffer.latin1Write(value.slice(i, i + SCAN_CHUNK), 0);
    let w = 0;
    while (w < scanWords.length && scanWords[w] === skipWord) w++;
    if (w < scanWords.length) {
      i += w * 4;
      break;
    }
    i += SCAN_CHUNK;
  }
  for (; i <= end; i++) {
    const byte = value.charCodeAt(i);
    if (byte === skipByte) continue;
    for (let b = 0; b < 8; b++) {
      if (((byte >> (7 - b)) & 1) === bit) return (i - start) * 8 + b;
    }
  }
  return -1;
}

/** The 72 bits of the nine bytes from `byte` (missing bytes read as zero), as one big-endian integer. */
function window(bytes: Uint8Array, byte: number): bigint {
  let word = 0n;
  for (let i = 0; i < 9; i++) {
    const at = byte + i;
    word = (word << 8n) | BigInt(at < bytes.length ? bytes[at] : 0);
  }
  return word;
}

/** An unsigned field of 1..64 bits at bit `offset`; bits past the end of the buffer read as zero. */
export function getUnsignedField(bytes: Uint8Array, offset: number, bits: number): bigint {
  const byte = Math.floor(offset / 8);
  const shift = BigInt(72 - (offset % 8) - bits);
  return (window(bytes, byte) >> shift) & ((1n << BigInt(bits)) - 1n);
}

export function getSignedField(bytes: Uint8Array, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedField(bytes, offset, bits));
}

/** Writes the low `bits` bits of value at bit `offset`; the buffer must hold the whole field. */
export function setField(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  const byte = Math.floor(offset / 8);
  const shift = BigInt(72 - (offset % 8) - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  let word = (window(bytes, byte) & ~mask) | ((BigInt.asUintN(bits, value) << shift) & mask);
  for (let i = 8; i >= 0; i--) {
    if (byte + i < bytes.length) bytes[byte + i] = Number(word & 0xffn);
    word >>= 8n;
  }
}

export type OverflowMode = 'wrap' | 'sat' | 'fail';

/**
 * The value to store after adding incr to value (SET passes the new value and 0) in a field of
 * `bits` bits, as Redis's check*BitfieldOverflow: null means "overflowed under FAIL: store nothing".
 * Unsigned values arrive as Redis sees them: a SET of a negative number is its 64-bit pattern.
 */
export function fitField(value: bigint, incr: bigint, bits: number, signed: boolean, mode: OverflowMode): bigint | null {
  const width = BigInt(bits);
  const max = signed ? (1n << (width - 1n)) - 1n : (1n << width) - 1n;
  const min = signed ? -max - 1n : 0n;
  const sum = value + incr;
  if (sum >= min && sum <= max) return sum;
  if (mode === 'fail') return null;
  if (mode === 'sat') return sum > max ? max : min;
  return signed ? BigInt.asIntN(bits, sum) : BigInt.asUintN(bits, sum);
}
