// HyperLogLog values, kept as Redis keeps them: a string starting with "HYLL" whose bytes are
// identical to Redis 7.0's, so that GET, DUMP, RDB files and replication carry the same sketch.
// Layout: magic(4) encoding(1: 0 dense, 1 sparse) unused(3) cached cardinality(8, little endian,
// top bit of the last byte set = stale), then 16384 registers either packed at 6 bits each
// (dense) or run-length coded with the ZERO / XZERO / VAL opcodes (sparse).

export const HLL_P = 14;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_Q = 64 - HLL_P;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * HLL_BITS) / 8;
const HLL_DENSE = 0;
const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const HLL_ALPHA_INF = 0.721347520444481703680;

// ---- MurmurHash64A (seed 0xadc83b19) on 32-bit halves: BigInt would be several times slower.

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
let mulHi = 0;
let mulLo = 0;

/** (ah:al) * (bh:bl) mod 2^64, left in mulHi/mulLo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0;
  const low = a0 * b0 + (mid % 65536) * 65536;
  mulLo = low >>> 0;
  const carry = Math.floor(low / 4294967296);
  mulHi = (a1 * b1 + Math.floor(mid / 65536) + carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

let hashHi = 0;
let hashLo = 0;

/** Hashes the latin1 string's bytes; the result is left in hashHi/hashLo. */
function murmur64a(data: string): void {
  const len = data.length;
  mul64(0, len, M_HI, M_LO);
  let hh = mulHi;
  let hl = (mulLo ^ 0xadc83b19) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    let kl =
      (data.charCodeAt(i) | (data.charCodeAt(i + 1) << 8) | (data.charCodeAt(i + 2) << 16) | (data.charCodeAt(i + 3) << 24)) >>> 0;
    let kh =
      (data.charCodeAt(i + 4) | (data.charCodeAt(i + 5) << 8) | (data.charCodeAt(i + 6) << 16) | (data.charCodeAt(i + 7) << 24)) >>>
      0;
    mul64(kh, kl, M_HI, M_LO);
    kh = mulHi;
    kl = (mulLo ^ (kh >>> 15)) >>> 0;
    mul64(kh, kl, M_HI, M_LO);
    hh = (hh ^ mulHi) >>> 0;
    hl = (hl ^ mulLo) >>> 0;
    mul64(hh, hl, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // The tail bytes go into the low positions, byte j at bit 8*j.
    for (let j = rest - 1; j >= 0; j--) {
      const byte = data.charCodeAt(i + j);
      if (j >= 4) hh = (hh ^ (byte << ((j - 4) * 8))) >>> 0;
      else hl = (hl ^ (byte << (j * 8))) >>> 0;
    }
    mul64(hh, hl, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  mul64(hh, hl, M_HI, M_LO);
  hh = mulHi;
  hl = (mulLo ^ (mulHi >>> 15)) >>> 0;
  hashHi = hh;
  hashLo = hl;
}

/** Exposed for the tests' known-answer checks: the 64-bit hash as a bigint. */
export function murmurHash64A(data: string): bigint {
  murmur64a(data);
  return (BigInt(hashHi) << 32n) | BigInt(hashLo);
}

let patIndex = 0;

/** Redis's hllPatLen: the register index (left in patIndex) and the run length of zeros + 1. */
function patLen(element: string): number {
  murmur64a(element);
  patIndex = hashLo & (HLL_REGISTERS - 1);
  // Bits 14..63 of the hash, with bit 50 of the shifted value set so that the count stays <= Q + 1.
  const lo = ((hashLo >>> HLL_P) | (hashHi << (32 - HLL_P))) >>> 0;
  const hi = ((hashHi >>> HLL_P) | (1 << (HLL_Q - 32))) >>> 0;
  if (lo !== 0) return 32 - Math.clz32(lo & -lo);
  return 64 - Math.clz32(hi & -hi);
}

// ---- Dense registers: 6 bits each, least significant bits first, may straddle two bytes.

function denseGet(registers: Uint8Array, index: number): number {
  const bit = index * HLL_BITS;
  const byte = bit >>> 3;
  const shift = bit & 7;
  return ((registers[byte] >>> shift) | (registers[byte + 1] << (8 - shift))) & HLL_REGISTER_MAX;
}

function denseSet(registers: Uint8Array, index: number, value: number): void {
  const bit = index * HLL_BITS;
  const byte = bit >>> 3;
  const shift = bit & 7;
  registers[byte] = (registers[byte] & ~(HLL_REGISTER_MAX << shift)) | (value << shift);
  const shift8 = 8 - shift;
  registers[byte + 1] = (registers[byte + 1] & ~(HLL_REGISTER_MAX >>> shift8)) | (value >>> shift8);
}

// ---- Sparse opcodes.

const isZero = (op: number) => (op & 0xc0) === 0;
const isXZero = (op: number) => (op & 0xc0) === 0x40;
const isVal = (op: number) => (op & 0x80) !== 0;
const zeroLen = (op: number) => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number) => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number) => ((op >>> 2) & 0x1f) + 1;
const valLen = (op: number) => (op & 0x3) + 1;
const valOp = (value: number, len: number) => (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;

function pushZeros(out: number[], len: number): void {
  if (len > SPARSE_ZERO_MAX_LEN) out.push(((len - 1) >>> 8) | 0x40, (len - 1) & 0xff);
  else out.push(len - 1);
}

/** What add/set report: changed a register, changed nothing, or found the sparse form corrupt. */
export type SetResult = 1 | 0 | -1;

export class HyperLogLog {
  /** The 16-byte header. */
  header: Uint8Array;
  /** Dense: the packed registers plus one spare byte (Redis's string terminator, read by the last register), in the buffer after the header. */
  registers: Uint8Array | null = null;
  /** Sparse: the opcodes after the header. */
  sparse: number[] | null = null;

  private constructor(header: Uint8Array) {
    this.header = header;
  }

  /** A new, empty HLL: sparse, one XZERO per 16384 registers, cached cardinality 0. */
  static create(): HyperLogLog {
    const header = new Uint8Array(HLL_HDR_SIZE);
    header.set([0x48, 0x59, 0x4c, 0x4c, HLL_SPARSE]);
    const hll = new HyperLogLog(header);
    hll.sparse = [];
    for (let left = HLL_REGISTERS; left > 0; left -= SPARSE_XZERO_MAX_LEN) {
      pushZeros(hll.sparse, Math.min(left, SPARSE_XZERO_MAX_LEN));
    }
    return hll;
  }

  /** Redis's isHLLObjectOrReply checks: null when the string is not a HyperLogLog. */
  static parse(value: string): HyperLogLog | null {
    if (value.length < HLL_HDR_SIZE || !value.startsWith('HYLL')) return null;
    const encoding = value.charCodeAt(4);
    if (encoding > HLL_MAX_ENCODING) return null;
    if (encoding === HLL_DENSE && value.length !== HLL_DENSE_SIZE) return null;
    if (encoding === HLL_DENSE) {
      // One buffer for header and registers (plus the spare byte), so that serializing is one copy.
      const bytes = Buffer.alloc(HLL_DENSE_SIZE + 1);
      bytes.latin1Write(value, 0);
      const hll = new HyperLogLog(bytes.subarray(0, HLL_HDR_SIZE));
      hll.registers = bytes.subarray(HLL_HDR_SIZE);
      return hll;
    }
    const hll = new HyperLogLog(Buffer.from(value.slice(0, HLL_HDR_SIZE), 'latin1'));
    const sparse = new Array<number>(value.length - HLL_HDR_SIZE);
    for (let i = HLL_HDR_SIZE; i < value.length; i++) sparse[i - HLL_HDR_SIZE] = value.charCodeAt(i);
    hll.sparse = sparse;
    return hll;
  }

  get isSparse(): boolean {
    return this.sparse !== null;
  }

  serialize(): string {
    if (this.sparse) return Buffer.from(this.header).toString('latin1') + String.fromCharCode.apply(null, this.sparse);
    const registers = this.registers as Uint8Array;
    const whole = Buffer.from(registers.buffer, registers.byteOffset - HLL_HDR_SIZE, HLL_DENSE_SIZE);
    return whole.latin1Slice(0, HLL_DENSE_SIZE);
  }

  get cacheValid(): boolean {
    return (this.header[15] & 0x80) === 0;
  }

  invalidateCache(): void {
    this.header[15] |= 0x80;
  }

  get cachedCardinality(): number {
    let card = 0;
    for (let i = 7; i >= 0; i--) card = card * 256 + this.header[8 + i];
    return card;
  }

  setCachedCardinality(card: number): void {
    for (let i = 0; i < 8; i++) {
      this.header[8 + i] = card % 256;
      card = Math.floor(card / 256);
    }
  }

  /** PFADD of one element. */
  add(element: string, sparseMaxBytes: number): SetResult {
    const count = patLen(element);
    return this.set(patIndex, count, sparseMaxBytes);
  }

  set(index: number, count: number, sparseMaxBytes: number): SetResult {
    if (this.registers) {
      if (count <= denseGet(this.registers, index)) return 0;
      denseSet(this.registers, index, count);
      return 1;
    }
    return this.sparseSet(index, count, sparseMaxBytes);
  }

  /** Redis's hllSparseToDense; false when the sparse form does not cover exactly 16384 registers. */
  toDense(): boolean {
    const sparse = this.sparse;
    if (!sparse) return true;
    const bytes = Buffer.alloc(HLL_DENSE_SIZE + 1);
    bytes.set(this.header);
    const registers = bytes.subarray(HLL_HDR_SIZE);
    let idx = 0;
    for (let p = 0; p < sparse.length; ) {
      const op = sparse[p];
      if (isZero(op)) {
        idx += zeroLen(op);
        p++;
      } else if (isXZero(op)) {
        idx += xzeroLen(op, sparse[p + 1] ?? 0);
        p += 2;
      } else {
        let run = valLen(op);
        const value = valValue(op);
        if (run + idx > HLL_REGISTERS) break;
        while (run--) denseSet(registers, idx++, value);
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) return false;
    this.header = bytes.subarray(0, HLL_HDR_SIZE);
    this.registers = registers;
    this.sparse = null;
    this.header[4] = HLL_DENSE;
    return true;
  }

  private sparseSet(index: number, count: number, sparseMaxBytes: number): SetResult {
    const sparse = this.sparse as number[];
    if (count > SPARSE_VAL_MAX_VALUE) return this.promoteAndSet(index, count);
    let end = sparse.length;
    let p = 0;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const op = sparse[p];
      let oplen = 1;
      if (isZero(op)) span = zeroLen(op);
      else if (isVal(op)) span = valLen(op);
      else {
        span = xzeroLen(op, sparse[p + 1] ?? 0);
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span === 0 || p >= end) return -1;

    const op = sparse[p];
    let updated = false;
    if (isVal(op)) {
      if (valValue(op) >= count) return 0;
      if (valLen(op) === 1) {
        sparse[p] = valOp(count, 1);
        updated = true;
      }
    } else if (isZero(op) && zeroLen(op) === 1) {
      sparse[p] = valOp(count, 1);
      updated = true;
    }

    if (!updated) {
      // Split the opcode covering the register into up to three: before, the new value, after.
      const last = first + span - 1;
      const seq: number[] = [];
      if (isVal(op)) {
        const current = valValue(op);
        if (index !== first) seq.push(valOp(current, index - first));
        seq.push(valOp(count, 1));
        if (index !== last) seq.push(valOp(current, last - index));
      } else {
        if (index !== first) pushZeros(seq, index - first);
        seq.push(valOp(count, 1));
        if (index !== last) pushZeros(seq, last - index);
      }
      const oldLen = isXZero(op) ? 2 : 1;
      const delta = seq.length - oldLen;
      if (delta > 0 && HLL_HDR_SIZE + sparse.length + delta > sparseMaxBytes) return this.promoteAndSet(index, count);
      sparse.splice(p, oldLen, ...seq);
      end += delta;
    }

    // Merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from the previous one.
    p = prev >= 0 ? prev : 0;
    let scan = 5;
    while (p < end && scan--) {
      const cur = sparse[p];
      if (isXZero(cur)) {
        p += 2;
        continue;
      }
      if (isZero(cur)) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(sparse[p + 1])) {
        const value = valValue(cur);
        if (value === valValue(sparse[p + 1])) {
          const len = valLen(cur) + valLen(sparse[p + 1]);
          if (len <= SPARSE_VAL_MAX_LEN) {
            sparse[p + 1] = valOp(value, len);
            sparse.splice(p, 1);
            end--;
            continue;
          }
        }
      }
      p++;
    }
    this.invalidateCache();
    return 1;
  }

  private promoteAndSet(index: number, count: number): SetResult {
    if (!this.toDense()) return -1;
    denseSet(this.registers as Uint8Array, index, count);
    return 1;
  }

  /** Redis's hllMerge: raises `max` to this HLL's registers; false when the sparse form is corrupt. */
  mergeInto(max: Uint8Array): boolean {
    if (this.registers) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const value = denseGet(this.registers, i);
        if (value > max[i]) max[i] = value;
      }
      return true;
    }
    const sparse = this.sparse as number[];
    let i = 0;
    for (let p = 0; p < sparse.length; ) {
      const op = sparse[p];
      if (isZero(op)) {
        i += zeroLen(op);
        p++;
      } else if (isXZero(op)) {
        i += xzeroLen(op, sparse[p + 1] ?? 0);
        p += 2;
      } else {
        let run = valLen(op);
        const value = valValue(op);
        if (run + i > HLL_REGISTERS) break;
        while (run--) {
          if (value > max[i]) max[i] = value;
          i++;
        }
        p++;
      }
    }
    return i === HLL_REGISTERS;
  }

  /** The register histogram; null when the sparse form does not cover exactly 16384 registers. */
  histogram(): number[] | null {
    const histo = new Array<number>(64).fill(0);
    if (this.registers) {
      for (let i = 0; i < HLL_REGISTERS; i++) histo[denseGet(this.registers, i)]++;
      return histo;
    }
    const sparse = this.sparse as number[];
    let idx = 0;
    for (let p = 0; p < sparse.length; ) {
      const op = sparse[p];
      if (isZero(op)) {
        const run = zeroLen(op);
        idx += run;
        histo[0] += run;
        p++;
      } else if (isXZero(op)) {
        const run = xzeroLen(op, sparse[p + 1] ?? 0);
        idx += run;
        histo[0] += run;
        p += 2;
      } else {
        const run = valLen(op);
        idx += run;
        histo[valValue(op)] += run;
        p++;
      }
    }
    return idx === HLL_REGISTERS ? histo : null;
  }

  /** A dense register, written as is (PFSELFTEST's packing check). */
  writeRegister(index: number, value: number): void {
    denseSet(this.registers as Uint8Array, index, value);
  }

  readRegister(index: number): number {
    return denseGet(this.registers as Uint8Array, index);
  }

  /** The estimated cardinality; null when the sparse form is corrupt. */
  count(): number | null {
    const histogram = this.histogram();
    return histogram ? estimate(histogram) : null;
  }

  /** PFDEBUG GETREG's register values (the HLL must be dense). */
  registerValues(): number[] {
    const registers = this.registers as Uint8Array;
    const out = new Array<number>(HLL_REGISTERS);
    for (let i = 0; i < HLL_REGISTERS; i++) out[i] = denseGet(registers, i);
    return out;
  }

  /** PFDEBUG DECODE's text of the sparse opcodes. */
  decodeSparse(): string {
    const sparse = this.sparse as number[];
    const parts: string[] = [];
    for (let p = 0; p < sparse.length; ) {
      const op = sparse[p];
      if (isZero(op)) {
        parts.push(`z:${zeroLen(op)}`);
        p++;
      } else if (isXZero(op)) {
        parts.push(`Z:${xzeroLen(op, sparse[p + 1] ?? 0)}`);
        p += 2;
      } else {
        parts.push(`v:${valValue(op)},${valLen(op)}`);
        p++;
      }
    }
    return parts.join(' ');
  }
}

/** Histogram of raw one-byte registers (the union PFCOUNT builds). */
export function rawHistogram(registers: Uint8Array): number[] {
  const histo = new Array<number>(64).fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[registers[i] & 63]++;
  return histo;
}

// Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog sketches"), as Redis 7 runs it.

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (previous !== z);
  return z / 3;
}

export function estimate(histo: readonly number[]): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  // llroundl: halves away from zero; the value is positive, so Math.round agrees.
  return Math.round((HLL_ALPHA_INF * m * m) / z);
}
