import { describe, expect, it } from 'vitest';
import { compareRuns, parseSuiteOutput } from '../../bench/lib/suite-output';

const redisRun = [
  'Cleanup: may take some time... OK',
  '[ready]: 19776',
  '\u001b[1;37;49mTesting unit/type/incr\u001b[0m',
  '[\u001b[0;32;49mok\u001b[0m]: INCR against non existing key (2 ms)',
  '[ok]: DECR (by 1) works (0 ms)',
  '[ok]: loop test (1 ms)',
  '[ok]: loop test (1 ms)',
  '[skip]: needs debug',
  '[ignore]: tagged out',
].join('\n');

const nodeRun = [
  '[ok]: INCR against non existing key (3 ms)',
  '[err]: DECR (by 1) works in tests/unit/type/incr.tcl',
  'Expected 1 but got 2',
  '[ok]: loop test (1 ms)',
  '[\u001b[0;31;49mexception\u001b[0m]: Executing test client: ERR unknown command',
].join('\n');

describe('parseSuiteOutput', () => {
  it('reads each status line, strips colours, elapsed times and the file of an error', () => {
    expect(parseSuiteOutput(nodeRun)).toEqual([
      { name: 'INCR against non existing key', status: 'ok' },
      { name: 'DECR (by 1) works', status: 'err' },
      { name: 'loop test', status: 'ok' },
      { name: 'Executing test client: ERR unknown command', status: 'exception' },
    ]);
    expect(parseSuiteOutput(redisRun).map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'skip', 'ignore']);
  });
});

describe('compareRuns', () => {
  it("counts the node's passes among redis-server's, repeated names by occurrence", () => {
    const result = compareRuns(parseSuiteOutput(redisRun), parseSuiteOutput(nodeRun));
    expect(result).toEqual({ redisPassed: 4, nodePassed: 2, nodePassedOfRedis: 2, missingOnNode: ['DECR (by 1) works', 'loop test'] });
  });
});
