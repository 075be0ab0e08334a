// CRC-64 as Redis computes it for RDB files and DUMP payloads: the "Jones" polynomial
// 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor.
//
// JS has no fast 64-bit integers, so the register is kept as two 32-bit halves. The table is
// "slicing by 8" (eight 256-entry tables) so the loop consumes eight bytes per step, which makes
// the checksum a small fraction of the cost of writing or reading a file.

const REFLECTED_POLY_HI = 0x95ac9329;
const REFLECTED_POLY_LO = 0xac4bc9b5;

const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

(function buildTables(): void {
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ REFLECTED_POLY_LO) >>> 0;
        hi = (hi ^ REFLECTED_POLY_HI) >>> 0;
      }
    }
    TABLE_LO[i] = lo;
    TABLE_HI[i] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + i];
      const prevHi = TABLE_HI[(k - 1) * 256 + i];
      const index = prevLo & 0xff;
      TABLE_LO[k * 256 + i] = (((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[index]) >>> 0;
      TABLE_HI[k * 256 + i] = ((prevHi >>> 8) ^ TABLE_HI[index]) >>> 0;
    }
  }
})();

/** An incremental CRC-64 over a byte stream. */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(data: Uint8Array, start = 0, end = data.length): void {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const T_LO = TABLE_LO;
    const T_HI = TABLE_HI;
    for (const stop = end - 8; i <= stop; i += 8) {
      const a = (lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
      const b = (hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24))) >>> 0;
      lo =
        T_LO[7 * 256 + (a & 0xff)] ^
        T_LO[6 * 256 + ((a >>> 8) & 0xff)] ^
        T_LO[5 * 256 + ((a >>> 16) & 0xff)] ^
        T_LO[4 * 256 + (a >>> 24)] ^
        T_LO[3 * 256 + (b & 0xff)] ^
        T_LO[2 * 256 + ((b >>> 8) & 0xff)] ^
        T_LO[256 + ((b >>> 16) & 0xff)] ^
        T_LO[b >>> 24];
      hi =
        T_HI[7 * 256 + (a & 0xff)] ^
        T_HI[6 * 256 + ((a >>> 8) & 0xff)] ^
        T_HI[5 * 256 + ((a >>> 16) & 0xff)] ^
        T_HI[4 * 256 + (a >>> 24)] ^
        T_HI[3 * 256 + (b & 0xff)] ^
        T_HI[2 * 256 + ((b >>> 8) & 0xff)] ^
        T_HI[256 + ((b >>> 16) & 0xff)] ^
        T_HI[b >>> 24];
    }
    for (; i < end; i++) {
      const index = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[index];
      hi = (hi >>> 8) ^ T_HI[index];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** The checksum as Redis stores it after the EOF opcode: 8 bytes, little endian. */
  digestBytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }

  digest(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** True when the 8 little-endian bytes at data[offset] equal this checksum. */
  matches(data: Uint8Array, offset: number): boolean {
    return readU32LE(data, offset) === this.lo && readU32LE(data, offset + 4) === this.hi;
  }
}

function readU32LE(data: Uint8Array, offset: number): number {
  return (data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24)) >>> 0;
}

export function crc64(data: Uint8Array): bigint {
  const crc = new Crc64();
  crc.update(data);
  return crc.digest();
}
