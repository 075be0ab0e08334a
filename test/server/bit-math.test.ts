// The bit scans against a bit-by-bit model where the differential tests cannot reach cheaply:
// around the 64 KB chunk boundaries of the scan buffer and at unaligned starts.

import { describe, expect, it } from 'vitest';
import { combineInto, firstBit, fitField, getSignedField, getUnsignedField, popcountOf, setField, writableBytes } from '../../src/server/commands/bit-math';
import { prng } from '../helpers/prng';

const CHUNK = 64 * 1024;

function modelFirstBit(bytes: Buffer, start: number, end: number, bit: number): number {
  for (let i = start * 8; i <= end * 8 + 7; i++) if (((bytes[i >> 3] >> (7 - (i & 7))) & 1) === bit) return i - start * 8;
  return -1;
}

function modelPopcount(bytes: Buffer, start: number, end: number): number {
  let count = 0;
  for (let i = start; i <= end; i++) for (let b = bytes[i]; b; b >>= 1) count += b & 1;
  return count;
}

describe('bit scans over chunk boundaries', () => {
  const size = 3 * CHUNK + 5;
  const positions = [0, 1, 3, 4, 5, CHUNK - 5, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 3, 2 * CHUNK - 1, 2 * CHUNK + 2, size - 1];

  it('firstBit finds a lone set bit (and a lone clear bit) wherever it is, from any start', () => {
    for (const [fill, bit] of [[0x00, 1], [0xff, 0]] as const) {
      for (const at of positions) {
        const bytes = Buffer.alloc(size, fill);
        bytes[at] = fill ^ 0x10;
        const value = bytes.toString('latin1');
        for (const start of [0, 1, 3, 7, CHUNK - 1, CHUNK + 2]) {
          for (const end of [size - 1, at, at + 1, CHUNK + 1].filter((e) => e >= start && e < size)) {
            expect(firstBit(value, start, end, bit), `fill ${fill} at ${at} in [${start}, ${end}]`).toBe(modelFirstBit(bytes, start, end, bit));
          }
        }
      }
    }
  });

  it('popcountOf counts any byte range of random data', () => {
    const random = prng(11);
    const bytes = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
    const value = bytes.toString('latin1');
    for (let i = 0; i < 40; i++) {
      const start = Math.floor(random() * size);
      const end = Math.min(size - 1, start + Math.floor(random() * 2.5 * CHUNK));
      expect(popcountOf(value, start, end), `[${start}, ${end}]`).toBe(modelPopcount(bytes, start, end));
    }
  });

  it('combineInto gives the same bytes on word-aligned and unaligned buffers', () => {
    const random = prng(5);
    const a = Buffer.from(Array.from({ length: 203 }, () => Math.floor(random() * 256)));
    const b = Buffer.from(Array.from({ length: 150 }, () => Math.floor(random() * 256)));
    for (const op of ['and', 'or', 'xor', 'not'] as const) {
      const expected = Buffer.from(a);
      for (let i = 0; i < b.length; i++) {
        expected[i] = op === 'and' ? a[i] & b[i] : op === 'or' ? a[i] | b[i] : op === 'xor' ? a[i] ^ b[i] : ~b[i] & 0xff;
      }
      const aligned = writableBytes(a.toString('latin1'));
      combineInto(aligned, Buffer.from(b), op);
      expect(aligned.equals(expected), op).toBe(true);
      const unaligned = Buffer.alloc(a.length + 1).subarray(1);
      a.copy(unaligned);
      combineInto(unaligned, Buffer.alloc(b.length + 3).subarray(3).fill(b), op);
      expect(unaligned.equals(expected), `${op} unaligned`).toBe(true);
    }
  });
});

describe('bitfield arithmetic', () => {
  it('reads back what it writes at every width and bit position, neighbours untouched', () => {
    const random = prng(3);
    for (let bits = 1; bits <= 64; bits++) {
      for (const offset of [0, 1, 7, 8, 13]) {
        const bytes = Buffer.from(Array.from({ length: 12 }, () => Math.floor(random() * 256)));
        const before = Buffer.from(bytes);
        const value = BigInt.asIntN(bits, BigInt(Math.floor(random() * 2 ** 31)) * 0x1_0000_0001n);
        setField(bytes, offset, bits, value);
        expect(getSignedField(bytes, offset, bits)).toBe(value);
        expect(getUnsignedField(bytes, offset, bits)).toBe(BigInt.asUintN(bits, value));
        for (let bit = 0; bit < 96; bit++) {
          if (bit >= offset && bit < offset + bits) continue;
          expect((bytes[bit >> 3] >> (7 - (bit & 7))) & 1, `bit ${bit} of i${bits} at ${offset}`).toBe((before[bit >> 3] >> (7 - (bit & 7))) & 1);
        }
      }
    }
  });

  it('fits results into the field as Redis overflows them', () => {
    expect(fitField(250n, 10n, 8, false, 'wrap')).toBe(4n);
    expect(fitField(250n, 10n, 8, false, 'sat')).toBe(255n);
    expect(fitField(5n, -10n, 8, false, 'sat')).toBe(0n);
    expect(fitField(5n, -10n, 8, false, 'fail')).toBe(null);
    expect(fitField(127n, 1n, 8, true, 'wrap')).toBe(-128n);
    expect(fitField(-128n, -1n, 8, true, 'sat')).toBe(-128n);
    expect(fitField(2n ** 63n - 1n, 1n, 64, true, 'wrap')).toBe(-(2n ** 63n));
    expect(fitField(2n ** 64n - 1n, 0n, 63, false, 'wrap')).toBe(2n ** 63n - 1n);
  });
});
