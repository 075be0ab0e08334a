// PFSELFTEST: checks the 6-bit register packing and the estimator's error, as Redis's does,
// replying OK or a TESTFAILED error. Redis adds 10 million elements; we stop at one million
// (checkpoints 1, 10, ..., 10^6) to keep the event loop free for about a second, not ten.

import { HLL_REGISTERS, HyperLogLog } from '../keyspace/hyperloglog';

const PACKING_CYCLES = 1000;
const ELEMENTS = 1_000_000;

/** null when every check passed, else the error reply's text. */
export function hllSelfTest(sparseMaxBytes: number, random: () => number = Math.random): string | null {
  const dense = HyperLogLog.create();
  dense.toDense();
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < PACKING_CYCLES; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = Math.floor(random() * 64);
      expected[i] = value;
      dense.writeRegister(i, value);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = dense.readRegister(i);
      if (value !== expected[i]) return `TESTFAILED Register ${i} should be ${expected[i]} but is ${value}`;
    }
  }

  for (let i = 0; i < HLL_REGISTERS; i++) dense.writeRegister(i, 0);
  const sparse = HyperLogLog.create();
  const relativeError = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLo = Math.floor(random() * 2 ** 32);
  const seedHi = Math.floor(random() * 2 ** 32);
  const high = String.fromCharCode(seedHi & 0xff, (seedHi >>> 8) & 0xff, (seedHi >>> 16) & 0xff, seedHi >>> 24);
  let checkpoint = 1;
  for (let j = 1; j <= ELEMENTS; j++) {
    // The element is the 8 little-endian bytes of j ^ seed, as Redis's test hashes them.
    const low = (j ^ seedLo) >>> 0;
    const element = String.fromCharCode(low & 0xff, (low >>> 8) & 0xff, (low >>> 16) & 0xff, low >>> 24) + high;
    dense.add(element, sparseMaxBytes);
    sparse.add(element, sparseMaxBytes);
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && !sparse.isSparse) return 'TESTFAILED sparse encoding not used';
    const count = dense.count() as number;
    if (count !== sparse.count()) return 'TESTFAILED dense/sparse disagree';
    const maxError = j === 10 ? 1 : Math.ceil(relativeError * 6 * checkpoint);
    const error = Math.abs(checkpoint - count);
    if (error > maxError) return `TESTFAILED Too big error. card:${checkpoint} abserr:${error}`;
    checkpoint *= 10;
  }
  return null;
}
