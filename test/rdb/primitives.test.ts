// Unit tests of the RDB codec's building blocks: CRC-64, LZF, and the embedded encodings
// (listpack, ziplist, intset) decoded from bytes laid out by hand from Redis's format descriptions.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc64, Crc64 } from '../../src/server/rdb/crc64';
import { CorruptBlobError } from '../../src/server/rdb/errors';
import { decodeIntset } from '../../src/server/rdb/intset';
import { decodeListpack, ListpackBuilder, listpackInteger } from '../../src/server/rdb/listpack';
import { lzfCompress, lzfDecompress } from '../../src/server/rdb/lzf';
import { decodeZiplist } from '../../src/server/rdb/ziplist';
import { int32Value } from '../../src/server/rdb/encoder';

describe('crc64 (Redis variant: Jones polynomial, reflected, init 0)', () => {
  it('matches the test vectors of Redis crc64.c', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
    const lorem =
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna ' +
      'aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ' +
      'Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint ' +
      'occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
    // Redis hashes sizeof(li): the trailing NUL is included.
    expect(crc64(Buffer.from(lorem + '\0', 'latin1')).toString(16)).toBe('c7794709e69683b3');
  });

  it('gives the same result fed in pieces as in one go', () => {
    const data = randomBytes(10_000);
    const whole = crc64(data);
    for (const step of [1, 3, 7, 8, 9, 1000]) {
      const crc = new Crc64();
      for (let i = 0; i < data.length; i += step) crc.update(data, i, Math.min(data.length, i + step));
      expect(crc.digest()).toBe(whole);
    }
  });

  it('stores the digest little endian', () => {
    const crc = new Crc64();
    crc.update(Buffer.from('123456789'));
    expect(crc.digestBytes().toString('hex')).toBe('cad9b8c414d9c6e9');
    expect(crc.matches(crc.digestBytes(), 0)).toBe(true);
  });
});

describe('LZF', () => {
  const roundTrip = (input: Buffer): Buffer | null => {
    const out = Buffer.alloc(input.length);
    const size = lzfCompress(input, 0, input.length, out, 0, input.length - 4);
    if (size === 0) return null;
    return lzfDecompress(out, 0, size, input.length);
  };

  it('round-trips compressible data of many shapes', () => {
    const samples = [
      Buffer.from('a'.repeat(1000)),
      Buffer.from('abcdefgh'.repeat(500)),
      Buffer.from('hello world, '.repeat(20) + 'the end'),
      Buffer.concat([randomBytes(100), Buffer.alloc(5000), randomBytes(100), Buffer.alloc(300, 7)]),
      Buffer.from(Array.from({ length: 3000 }, (_, i) => `k${i % 97}`).join(',')),
    ];
    for (const sample of samples) {
      const back = roundTrip(sample);
      expect(back).not.toBeNull();
      expect(back!.equals(sample)).toBe(true);
    }
  });

  it('round-trips repetitions farther apart than the 8 KiB window', () => {
    // The second copy of block is 9100 bytes after the first: out of reach, it must go out as literals.
    const block = randomBytes(100);
    const input = Buffer.concat([block, Buffer.alloc(9000, 0x61), block, Buffer.alloc(1000, 0x62), block]);
    const back = roundTrip(input);
    expect(back).not.toBeNull();
    expect(back!.equals(input)).toBe(true);
  });

  it('refuses (returns 0) when data does not compress by 4 bytes', () => {
    const random = randomBytes(500);
    expect(lzfCompress(random, 0, random.length, Buffer.alloc(500), 0, random.length - 4)).toBe(0);
  });

  it('decodes literal runs and overlapping back-references laid out by hand', () => {
    // literal run of 3 "abc", then a back-reference: length code 1 (3 bytes), distance 3.
    const data = Buffer.from([0x02, 0x61, 0x62, 0x63, 0x20, 0x02]);
    expect(lzfDecompress(data, 0, data.length, 6).toString()).toBe('abcabc');
    // "a" then distance 1, length code 7 + 10 = 17 -> 19 bytes of 'a' (overlapping copy).
    const run = Buffer.from([0x00, 0x61, 0xe0, 10, 0x00]);
    expect(lzfDecompress(run, 0, run.length, 20).toString()).toBe('a'.repeat(20));
  });

  it('rejects corrupt input with CorruptBlobError', () => {
    const cases: Array<[number[], number]> = [
      [[0x05, 0x61], 6], // literal run longer than the data
      [[0x02, 0x61, 0x62, 0x63], 2], // output longer than declared
      [[0x00, 0x61, 0x20, 0x05], 4], // reference before the start
      [[0x00, 0x61, 0x20], 4], // truncated reference
      [[0x01, 0x61, 0x62], 3], // shorter than declared
    ];
    for (const [bytes, length] of cases) {
      const data = Buffer.from(bytes);
      expect(() => lzfDecompress(data, 0, data.length, length)).toThrow(CorruptBlobError);
    }
  });
});

/** A listpack from entries given as raw encoded bytes (encoding + data); backlens and header added here. */
function handListpack(entries: number[][], declaredCount = entries.length): Buffer {
  const body: number[] = [];
  for (const entry of entries) {
    body.push(...entry);
    const n = entry.length;
    if (n <= 127) body.push(n);
    else body.push(n >> 7, (n & 127) | 128);
  }
  const total = 6 + body.length + 1;
  const header = Buffer.alloc(6);
  header.writeUInt32LE(total, 0);
  header.writeUInt16LE(declaredCount, 4);
  return Buffer.concat([header, Buffer.from(body), Buffer.from([0xff])]);
}

describe('listpack', () => {
  it('decodes every entry encoding', () => {
    const long = 'L'.repeat(100);
    const blob = handListpack([
      [0x05], // 7-bit uint 5
      [0x80 | 3, 0x61, 0x62, 0x63], // 6-bit string "abc"
      [0xc0 | 0x1f, 0xff], // 13-bit int: 0x1fff = 8191 -> -1
      [0xc0 | 0x0f, 0xff], // 13-bit int 4095
      [0xe0 | 0, 100, ...Buffer.from(long)], // 12-bit string of 100
      [0xf1, 0x00, 0x80], // int16 -32768
      [0xf2, 0xff, 0xff, 0x7f], // int24 8388607
      [0xf3, 0x00, 0x00, 0x00, 0x80], // int32 -2147483648
      [0xf4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // int64 max
      [0xf0, 2, 0, 0, 0, 0x68, 0x69], // 32-bit string "hi"
    ]);
    const out: string[] = [];
    expect(decodeListpack(blob, out)).toBe(10);
    expect(out).toEqual(['5', 'abc', '-1', '4095', long, '-32768', '8388607', '-2147483648', '9223372036854775807', 'hi']);
  });

  it('accepts the "unknown" element count 65535', () => {
    const out: string[] = [];
    decodeListpack(handListpack([[0x01], [0x02]], 0xffff), out);
    expect(out).toEqual(['1', '2']);
  });

  it('rejects bad headers, counts, encodings and backlens', () => {
    const good = handListpack([[0x80 | 1, 0x78], [0x07]]);
    const bad: Buffer[] = [];
    const wrongTotal = Buffer.from(good);
    wrongTotal.writeUInt32LE(good.length + 1, 0);
    bad.push(wrongTotal);
    const wrongCount = Buffer.from(good);
    wrongCount.writeUInt16LE(3, 4);
    bad.push(wrongCount);
    const noTerminator = Buffer.from(good);
    noTerminator[good.length - 1] = 0;
    bad.push(noTerminator);
    const wrongBacklen = Buffer.from(good);
    wrongBacklen[6 + 2] = 5; // backlen of the first entry (2 bytes long)
    bad.push(wrongBacklen);
    bad.push(handListpack([[0xf5, 0x00]])); // no such encoding
    bad.push(handListpack([[0x80 | 10, 0x61]])); // string longer than the listpack
    bad.push(Buffer.from([1, 2, 3]));
    for (const blob of bad) expect(() => decodeListpack(blob, [])).toThrow(CorruptBlobError);
  });

  it('builder output decodes back, with integers stored the way lpStringToInt64 decides', () => {
    const values = [
      '0', '-0', '00', '+1', '1', '127', '128', '-1', '-4096', '4095', '4096', '-4097', '32767', '-32768', '32768',
      '8388607', '-8388608', '8388608', '2147483647', '-2147483648', '2147483648', '9007199254740993',
      '9223372036854775807', '-9223372036854775808', '9223372036854775808', '', 'x', 'y'.repeat(63), 'z'.repeat(64),
      'w'.repeat(4095), 'v'.repeat(4096), ' 1', '1 ', '\u0000\u00ff',
    ];
    const builder = new ListpackBuilder();
    for (const value of values) builder.append(value);
    const blob = builder.finish();
    let expectedSize = 7;
    for (const value of values) expectedSize += ListpackBuilder.encodedSize(value);
    expect(blob.length).toBe(expectedSize);
    const out: string[] = [];
    decodeListpack(blob, out);
    expect(out).toEqual(values);
    expect(listpackInteger('9223372036854775807')).toBe(9223372036854775807n);
    expect(listpackInteger('-0')).toBeNull();
    expect(listpackInteger('007')).toBeNull();
  });

  it('writes backlens of every size that the decoder (and listpack.c thresholds) accept', () => {
    for (const length of [126, 127, 128, 16380, 16381, 16382, 16383, 20000]) {
      const builder = new ListpackBuilder();
      builder.append('q'.repeat(length));
      const out: string[] = [];
      decodeListpack(builder.finish(), out);
      expect(out[0].length).toBe(length);
    }
  });
});

describe('ziplist', () => {
  it('decodes the example of ziplist.c ("2", "5")', () => {
    const blob = Buffer.from('0f0000000c000000020000f302f6ff', 'hex');
    const out: string[] = [];
    expect(decodeZiplist(blob, out)).toBe(2);
    expect(out).toEqual(['2', '5']);
  });

  it('decodes every entry encoding', () => {
    const entries: number[][] = [
      [0x0b, ...Buffer.from('Hello World')], // 6-bit string
      [0x40 | 0x01, 0x00, ...Buffer.alloc(256, 0x41)], // 14-bit string, 256 bytes
      [0xc0, 0x00, 0x80], // int16 -32768
      [0xd0, 0xff, 0xff, 0xff, 0x7f], // int32 max
      [0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80], // int64 min
      [0xf0, 0x00, 0x00, 0x80], // int24 -8388608
      [0xfe, 0x80], // int8 -128
      [0xf1], // immediate 0
      [0xfd], // immediate 12
      [0x80, 0x00, 0x00, 0x00, 0x03, 0x61, 0x62, 0x63], // 32-bit length string "abc"
    ];
    const body: number[] = [];
    let previous = 0;
    for (const entry of entries) {
      const prevlen = previous < 254 ? [previous] : [0xfe, previous & 0xff, (previous >> 8) & 0xff, 0, 0];
      body.push(...prevlen, ...entry);
      previous = prevlen.length + entry.length;
    }
    const header = Buffer.alloc(10);
    header.writeUInt32LE(10 + body.length + 1, 0);
    header.writeUInt16LE(entries.length, 8);
    const blob = Buffer.concat([header, Buffer.from(body), Buffer.from([0xff])]);
    const out: string[] = [];
    decodeZiplist(blob, out);
    expect(out).toEqual(['Hello World', 'A'.repeat(256), '-32768', '2147483647', '-9223372036854775808', '-8388608', '-128', '0', '12', 'abc']);
  });

  it('rejects corrupt ziplists', () => {
    const good = Buffer.from('0f0000000c000000020000f302f6ff', 'hex');
    const wrongPrevlen = Buffer.from(good);
    wrongPrevlen[12] = 3;
    const wrongCount = Buffer.from(good);
    wrongCount[8] = 3;
    const badEncoding = Buffer.from(good);
    badEncoding[11] = 0xf0; // int24 without its bytes
    const wrongTotal = Buffer.from(good);
    wrongTotal[0] = 0x10;
    for (const blob of [wrongPrevlen, wrongCount, badEncoding, wrongTotal, Buffer.from([1])]) {
      expect(() => decodeZiplist(blob, [])).toThrow(CorruptBlobError);
    }
  });
});

describe('intset', () => {
  const intset = (width: number, values: bigint[]): Buffer => {
    const blob = Buffer.alloc(8 + width * values.length);
    blob.writeUInt32LE(width, 0);
    blob.writeUInt32LE(values.length, 4);
    values.forEach((value, i) => {
      if (width === 2) blob.writeInt16LE(Number(value), 8 + i * 2);
      else if (width === 4) blob.writeInt32LE(Number(value), 8 + i * 4);
      else blob.writeBigInt64LE(value, 8 + i * 8);
    });
    return blob;
  };

  it('decodes 16, 32 and 64-bit intsets', () => {
    for (const [width, values] of [
      [2, [-32768n, -1n, 0n, 32767n]],
      [4, [-2147483648n, 5n, 2147483647n]],
      [8, [-9223372036854775808n, -4294967296n, 9007199254740993n, 9223372036854775807n]],
    ] as const) {
      const out: string[] = [];
      decodeIntset(intset(width, [...values]), out);
      expect(out).toEqual(values.map(String));
    }
  });

  it('rejects bad widths and sizes', () => {
    const good = intset(2, [1n, 2n]);
    const badWidth = Buffer.from(good);
    badWidth.writeUInt32LE(3, 0);
    const badCount = Buffer.from(good);
    badCount.writeUInt32LE(5, 4);
    for (const blob of [badWidth, badCount, good.subarray(0, 9), intset(2, [])]) {
      expect(() => decodeIntset(blob, [])).toThrow(CorruptBlobError);
    }
  });
});

describe('integer string encoding (rdbTryIntegerEncoding rules)', () => {
  it('accepts only canonical 32-bit decimal integers', () => {
    expect(int32Value('0')).toBe(0);
    expect(int32Value('-1')).toBe(-1);
    expect(int32Value('2147483647')).toBe(2147483647);
    expect(int32Value('-2147483648')).toBe(-2147483648);
    for (const text of ['2147483648', '-2147483649', '-0', '01', '+1', ' 1', '1a', '-', '']) {
      expect(int32Value(text)).toBeNull();
    }
  });
});
