// HyperLogLog against redis-server 7.0: replies AND the raw bytes of the sketches (GET), since
// the node must hold the very same string (sparse opcodes, promotion to dense, cached cardinality).

import { describeDifferential, setup, type DiffStep } from '../helpers/differential';
import { describePropagation } from './propagation-capture';
import { prng } from '../helpers/prng';

const elements = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

/** PFADDs of `count` elements in batches of `batch`, each followed by a GET of the key. */
function addInBatches(key: string, prefix: string, count: number, batch: number): Array<string[]> {
  const steps: Array<string[]> = [];
  for (let i = 0; i < count; i += batch) {
    steps.push(['PFADD', key, ...elements(prefix, i, Math.min(count, i + batch))]);
    steps.push(['GET', key]);
  }
  return steps;
}

/** A sparse sketch with a damaged opcode stream: its runs cover more than 16384 registers. */
const CORRUPT_SPARSE = 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x7f\xff';

function randomWorkload(seed: number): Array<string[] | DiffStep> {
  const random = prng(seed);
  const steps: Array<string[] | DiffStep> = [];
  const keys = ['h1', 'h2', 'h3'];
  for (let i = 0; i < 300; i++) {
    const key = keys[Math.floor(random() * keys.length)];
    const r = random();
    if (r < 0.7) {
      const n = 1 + Math.floor(random() * 40);
      const batch: string[] = [];
      for (let j = 0; j < n; j++) {
        // Binary elements of every length 0..20, so the hash's tail handling is covered.
        const len = Math.floor(random() * 21);
        let element = '';
        for (let c = 0; c < len; c++) element += String.fromCharCode(Math.floor(random() * 256));
        batch.push(element);
      }
      steps.push(['PFADD', key, ...batch]);
    } else if (r < 0.85) {
      steps.push(['PFCOUNT', key]);
    } else if (r < 0.93) {
      steps.push(['PFCOUNT', ...keys]);
    } else {
      steps.push(['PFMERGE', key, keys[Math.floor(random() * keys.length)]]);
    }
    steps.push(['GET', key]);
  }
  return steps;
}

/** Random bytes overwritten in sparse and dense sketches, then every command on them (Redis's fuzz test, compared). */
function corruptionFuzz(seed: number, dense: boolean): Array<string[] | DiffStep> {
  const random = prng(seed);
  const steps: Array<string[] | DiffStep> = [];
  for (let round = 0; round < 40; round++) {
    const key = `c${round}`;
    steps.push(setup('DEL', key));
    steps.push(setup('PFADD', key, ...elements(`r${round}-`, 0, dense ? 3000 : 1 + Math.floor(random() * 300))));
    const size = dense ? 12304 : 300;
    const hits = 1 + Math.floor(random() * 4);
    for (let i = 0; i < hits; i++) {
      // Past the 16-byte header mostly, sometimes into it; SETRANGE may also extend the string.
      const offset = random() < 0.2 ? Math.floor(random() * 16) : 16 + Math.floor(random() * size);
      steps.push(['SETRANGE', key, String(offset), String.fromCharCode(Math.floor(random() * 256))]);
    }
    steps.push(['PFCOUNT', key]);
    steps.push(['PFCOUNT', key, 'h-none']);
    steps.push(['PFADD', key, ...elements('fz', 0, 20)]);
    steps.push(['GET', key]);
    steps.push(['PFMERGE', `m${round}`, key]);
    steps.push(['GET', `m${round}`]);
    steps.push(['PFDEBUG', 'TODENSE', key]);
    steps.push(['GET', key]);
  }
  return steps;
}

describeDifferential('hyperloglog', [
  {
    name: 'PFADD creates a sparse sketch; PFCOUNT caches the cardinality in the header',
    steps: [
      ['PFADD', 'h'],
      ['GET', 'h'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'x', '', 'y\x00z', '\xff\xfe'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFCOUNT', 'nokey'],
      ['PFADD', 'h'],
      ['TYPE', 'h'],
    ],
  },
  {
    name: 'sparse growth, the promotion to dense at hll-sparse-max-bytes, then dense',
    steps: [
      ...addInBatches('h', 'e', 3000, 50),
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ...addInBatches('h', 'f', 20000, 2000),
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
    ],
  },
  {
    name: 'promotion element by element around the threshold, with a smaller hll-sparse-max-bytes',
    steps: [
      setup('CONFIG', 'SET', 'hll-sparse-max-bytes', '200'),
      ...addInBatches('h', 'p', 120, 1),
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFCOUNT', 'h'],
      setup('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'),
      ...addInBatches('s', 'q', 1200, 4),
      ['PFDEBUG', 'ENCODING', 's'],
    ],
  },
  {
    name: 'PFMERGE of sparse and dense sketches, PFCOUNT of several keys',
    steps: [
      ['PFADD', 's1', ...elements('a', 0, 100)],
      ['PFADD', 's2', ...elements('a', 50, 200)],
      ['PFADD', 'd1', ...elements('b', 0, 5000)],
      ['PFCOUNT', 's1', 's2'],
      ['PFCOUNT', 's1', 's2', 'd1', 'missing'],
      ['PFMERGE', 'm1', 's1', 's2'],
      ['GET', 'm1'],
      ['PFCOUNT', 'm1'],
      ['GET', 'm1'],
      ['PFMERGE', 'm2', 's1', 'd1'],
      ['GET', 'm2'],
      ['PFCOUNT', 'm2'],
      ['PFMERGE', 's1', 's2'],
      ['GET', 's1'],
      ['PFMERGE', 'empty'],
      ['GET', 'empty'],
      ['PFMERGE', 'm3', 'nothing'],
      ['GET', 'm3'],
      ['PFDEBUG', 'TODENSE', 's2'],
      ['GET', 's2'],
      ['PFDEBUG', 'TODENSE', 's2'],
      ['PFDEBUG', 'DECODE', 's2'],
      ['PFDEBUG', 'GETREG', 's1'],
      ['GET', 's1'],
      ['PFCOUNT', 's1'],
    ],
  },
  {
    name: 'errors: wrong types, strings that are not sketches, corrupted sketches, PFDEBUG misuse',
    steps: [
      ['RPUSH', 'list', 'a'],
      ['PFADD', 'list', 'a'],
      ['PFCOUNT', 'list'],
      ['PFCOUNT', 'list', 'x'],
      ['PFMERGE', 'dst', 'list'],
      ['SET', 'str', 'hello'],
      ['PFADD', 'str', 'a'],
      ['PFCOUNT', 'str'],
      ['PFMERGE', 'str'],
      ['SET', 'short', 'HYLL'],
      ['PFCOUNT', 'short'],
      ['SET', 'badenc', 'HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'],
      ['PFCOUNT', 'badenc'],
      ['SET', 'baddense', 'HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'],
      ['PFADD', 'baddense', 'a'],
      ['SET', 'corrupt', CORRUPT_SPARSE],
      ['PFCOUNT', 'corrupt'],
      ['PFCOUNT', 'corrupt', 'list'],
      ['PFCOUNT', 'corrupt', 'str'],
      ['PFMERGE', 'dst', 'corrupt'],
      ['PFDEBUG', 'TODENSE', 'corrupt'],
      ['PFADD', 'corrupt', 'a'],
      ['SET', 'cached', 'HYLL\x01\x00\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x00\x7f\xff'],
      ['PFCOUNT', 'cached'],
      ['PFDEBUG', 'GETREG', 'nokey'],
      ['PFDEBUG', 'NOPE', 'str'],
      ['PFADD', 'h', 'a'],
      ['PFDEBUG', 'NOPE', 'h'],
      ['PFDEBUG', 'ENCODING'],
      ['PFADD'],
      ['PFCOUNT'],
      ['PFMERGE'],
      // Covers registers 0..8191 only: elements hashed below succeed, the first above fails.
      ['SET', 'half', 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x5f\xff'],
      ['PFADD', 'half', ...elements('half', 0, 30)],
      ['GET', 'half'],
      ['PFCOUNT', 'half'],
      ['APPEND', 'h', 'tail'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'b'],
    ],
  },
  {
    name: 'COMMAND INFO and DOCS of the group',
    steps: [
      ['COMMAND', 'INFO', 'pfadd', 'pfcount', 'pfmerge', 'pfdebug', 'pfselftest'],
      ['COMMAND', 'DOCS', 'pfadd', 'pfcount', 'pfmerge'],
    ],
  },
  { name: 'corrupted sparse sketches (fuzz, seed 3)', steps: corruptionFuzz(3, false) },
  { name: 'corrupted dense sketches (fuzz, seed 4)', steps: corruptionFuzz(4, true) },
  { name: 'pseudo-random workload (seed 1)', steps: randomWorkload(1) },
  { name: 'pseudo-random workload (seed 7)', steps: randomWorkload(7) },
]);

describePropagation('hyperloglog', [
  {
    name: 'PFADD and PFMERGE verbatim; PFCOUNT when it refreshes the cache; PFDEBUG TODENSE',
    steps: [
      ['PFADD', 'ph', 'a', 'b'],
      ['PFADD', 'ph', 'a'],
      ['PFCOUNT', 'ph'],
      ['PFCOUNT', 'ph'],
      ['PFCOUNT', 'ph', 'nokey'],
      ['PFMERGE', 'pm', 'ph'],
      ['PFDEBUG', 'TODENSE', 'pm'],
      ['PFDEBUG', 'TODENSE', 'pm'],
      ['PFADD', 'ph'],
    ],
  },
]);
