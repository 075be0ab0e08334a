import { describe, expect, it } from 'vitest';
import { describeDifferential, setup, typeOnly, splitAggregate, type DiffCase, realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';

/** ZADD arguments for n members whose scores repeat (so equal scores order by member). */
function manyMembers(n: number, prefix = 'm'): string[] {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(String((i * 37) % 23) + (i % 3 === 0 ? '.5' : ''), prefix + i);
  return args;
}

/** n members all at score 0, for lex ranges over a skiplist-encoded set. */
function lexMembers(n: number): string[] {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push('0', String.fromCharCode(97 + (i % 26)) + String(i).padStart(3, '0'));
  return args;
}

const basic = setup('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'cc', '-inf', 'ninf', 'inf', 'pinf');

const cases: DiffCase[] = [
  {
    name: 'ZADD adds, updates and counts',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'z', '1', 'a'],
      ['ZADD', 'z', 'CH', '5', 'a', '2', 'b', '4', 'd'],
      ['ZADD', 'z', 'NX', '10', 'a', '10', 'e'],
      ['ZADD', 'z', 'XX', '20', 'a', '20', 'f'],
      ['ZADD', 'z', 'xx', 'ch', '21', 'a', '22', 'a'],
      ['ZADD', 'z', 'GT', '1', 'a'],
      ['ZADD', 'z', 'GT', 'CH', '30', 'a', '1', 'gtnew'],
      ['ZADD', 'z', 'LT', 'CH', '1', 'a', '50', 'b'],
      ['ZADD', 'z', 'XX', 'LT', 'CH', '0', 'a', '0', 'nosuch'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZCARD', 'z'],
      ['ZADD', 'fresh', 'XX', '1', 'a'],
      ['EXISTS', 'fresh'],
      ['ZADD', 'fresh', 'GT', '1', 'a'],
      ['ZCARD', 'fresh'],
      ['ZCARD', 'nosuch'],
    ],
  },
  {
    name: 'ZADD option conflicts and argument errors',
    steps: [
      ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
      ['ZADD', 'z', 'GT', 'LT', '1', 'a'],
      ['ZADD', 'z', 'NX', 'GT', '1', 'a'],
      ['ZADD', 'z', 'NX', 'LT', '1', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
      ['ZADD', 'z', '1', 'a', '2'],
      ['ZADD', 'z', 'NX', '1'],
      ['ZADD', 'z', 'CH'],
      ['ZADD', 'z'],
      ['ZADD', 'z', 'abc', 'a'],
      ['ZADD', 'z', 'nan', 'a'],
      ['ZADD', 'z', '1e400', 'a'],
      ['ZADD', 'z', '1e-400', 'a'],
      ['ZADD', 'z', '', 'a'],
      ['ZADD', 'z', ' 1', 'a'],
      ['ZADD', 'z', '1 ', 'a'],
      ['ZADD', 'z', '1', 'a', 'x', 'b'],
      ['EXISTS', 'z'],
      ['ZADD', 'z', '0x10', 'hex', '4e-320', 'tiny', '+inf', 'p', '-Infinity', 'n', '1.5e3', 'e'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'ZADD INCR and ZINCRBY, including blocked updates and NaN',
    steps: [
      ['ZADD', 'z', 'INCR', '5', 'a'],
      ['ZADD', 'z', 'INCR', '-5.5', 'a'],
      ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
      ['ZADD', 'z', 'XX', 'INCR', '1', 'nosuch'],
      ['ZADD', 'z', 'GT', 'INCR', '-1', 'a'],
      ['ZADD', 'z', 'LT', 'INCR', '-1', 'a'],
      ['ZADD', 'z', 'INCR', 'inf', 'x'],
      ['ZADD', 'z', 'INCR', '-inf', 'x'],
      ['ZINCRBY', 'z', '-inf', 'x'],
      ['ZSCORE', 'z', 'x'],
      ['ZINCRBY', 'z', '0.1', 'f'],
      ['ZINCRBY', 'z', '0.2', 'f'],
      ['ZINCRBY', 'z', '1.1', 'g'],
      ['ZINCRBY', 'z', '0.2', 'g'],
      ['ZINCRBY', 'z', 'abc', 'g'],
      ['ZINCRBY', 'z', '1e400', 'g'],
      ['ZINCRBY', 'z', 'nx', 'g'],
      ['ZINCRBY', 'z', '-0', 'negzero'],
      ['ZSCORE', 'z', 'negzero'],
      ['ZADD', 'missing', 'XX', 'INCR', '1', 'a'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'score formatting: %.17g, inf, subnormal, large integers',
    steps: [
      ['ZADD', 'z', '1.1', 'a', '0.1', 'b', '1e300', 'c', '3', 'd', '1.5e-10', 'e', '1e17', 'f', '123456789.123', 'g', '-0', 'h'],
      ['ZADD', 'z', '4e-320', 'i', '9007199254740993', 'j', '-2.5e-5', 'k', '100000', 'l'],
      ['ZSCORE', 'z', 'a'],
      ['ZSCORE', 'z', 'c'],
      ['ZSCORE', 'z', 'f'],
      ['ZSCORE', 'z', 'h'],
      ['ZSCORE', 'z', 'i'],
      ['ZSCORE', 'z', 'nosuch'],
      ['ZSCORE', 'nosuch', 'a'],
      ['ZMSCORE', 'z', 'a', 'nosuch', 'b', 'j', 'k'],
      ['ZMSCORE', 'nosuch', 'a', 'b'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZSCAN', 'z', '0'],
    ],
  },
  {
    name: 'equal scores order by member bytes; inf scores at the ends',
    steps: [
      ['ZADD', 'z', '1', 'b', '1', 'a', '1', 'ab', '1', '\xff', '1', 'B', '1', '', '-inf', 'low', 'inf', 'high', '0', 'zero'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZREVRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANK', 'z', 'ab'],
      ['ZREVRANK', 'z', 'ab'],
      ['ZRANK', 'z', 'low'],
      ['ZRANK', 'z', 'high'],
      ['ZRANK', 'z', 'nosuch'],
      ['ZRANK', 'nosuch', 'a'],
      ['ZREVRANK', 'z', 'high'],
      ['ZCOUNT', 'z', '-inf', '+inf'],
      ['ZCOUNT', 'z', '(-inf', '(+inf'],
      ['ZCOUNT', 'z', '1', '1'],
      ['ZCOUNT', 'z', '(1', '1'],
    ],
  },
  {
    name: 'ZREM and deletion of the emptied key',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZREM', 'z', 'a', 'nosuch', 'a'],
      ['ZCARD', 'z'],
      ['ZREM', 'z', 'b', 'c', 'd'],
      ['EXISTS', 'z'],
      ['ZREM', 'z', 'a'],
      ['ZREM', 'z'],
    ],
  },
  {
    name: 'ZCOUNT ranges and bound parsing',
    steps: [
      basic,
      ['ZCOUNT', 'z', '1', '3'],
      ['ZCOUNT', 'z', '(1', '(3'],
      ['ZCOUNT', 'z', '3', '1'],
      ['ZCOUNT', 'z', '-inf', 'inf'],
      ['ZCOUNT', 'z', '(', '+inf'],
      ['ZCOUNT', 'z', '', '2'],
      ['ZCOUNT', 'z', ' 1', '2'],
      ['ZCOUNT', 'z', '1 ', '2'],
      ['ZCOUNT', 'z', '1e400', 'inf'],
      ['ZCOUNT', 'z', 'nan', '1'],
      ['ZCOUNT', 'z', '(nan', '1'],
      ['ZCOUNT', 'z', 'a', '1'],
      ['ZCOUNT', 'z', '1', '((2'],
      ['ZCOUNT', 'z', '0x1', '0x3'],
      ['ZCOUNT', 'nosuch', '0', '1'],
      ['ZCOUNT', 'nosuch', 'x', '1'],
    ],
  },
  {
    name: 'ZRANGE by rank: negative indexes and clamping',
    steps: [
      basic,
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGE', 'z', '-2', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '1', '2', 'REV'],
      ['ZRANGE', 'z', '-100', '100'],
      ['ZRANGE', 'z', '3', '1'],
      ['ZRANGE', 'z', '6', '10'],
      ['ZRANGE', 'z', '0', '9223372036854775807'],
      ['ZRANGE', 'z', '-9223372036854775808', '0'],
      ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '-1'],
      ['ZRANGE', 'z', 'a', '1'],
      ['ZRANGE', 'z', '0', '1.5'],
      ['ZRANGE', 'nosuch', '0', '-1'],
      ['ZREVRANGE', 'z', '0', '2'],
      ['ZREVRANGE', 'z', '-3', '-1', 'withscores'],
    ],
  },
  {
    name: 'ZRANGE option errors',
    steps: [
      basic,
      ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1'],
      ['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYSCORE'],
      ['ZRANGE', 'z', '0', '1', 'REV', 'REV'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'LIMIT', 'x', '1'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'LIMIT', '0', 'y'],
      ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'LIMIT', '0'],
      ['ZRANGE', 'z', '0', '1', 'FOO'],
      ['ZRANGE', 'z', 'x', '1', 'BYSCORE'],
      ['ZRANGE', 'z', 'a', 'b', 'BYLEX'],
      ['ZREVRANGE', 'z', '0', '1', 'REV'],
      ['ZREVRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
      ['ZRANGEBYSCORE', 'z', '0', '1', 'BYSCORE'],
      ['ZRANGEBYSCORE', 'z', '0', '1', 'REV'],
      ['ZRANGEBYLEX', 'z', '-', '+', 'WITHSCORES'],
      ['ZRANGEBYLEX', 'z', 'a', '+'],
      ['ZRANGEBYSCORE', 'z', '(a', '1'],
      ['ZRANGE', 'nosuch', '0', '1', 'BYSCORE', 'LIMIT', '0', '1', 'WITHSCORES'],
      ['ZRANGE', 'nosuch', 'x', '1', 'BYSCORE'],
    ],
  },
  {
    name: 'ZRANGE BYSCORE with REV, LIMIT offsets and counts',
    steps: [
      basic,
      ['ZRANGE', 'z', '1', '3', 'BYSCORE'],
      ['ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'WITHSCORES'],
      ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV'],
      ['ZRANGE', 'z', '3', '1', 'BYSCORE', 'REV', 'WITHSCORES'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '2'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '-1'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '-5'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '0'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '2'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '5', '2'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '6', '2'],
      ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '2', '3', 'WITHSCORES'],
      ['ZRANGE', 'z', '2', '3', 'BYSCORE', 'LIMIT', '0', '1', 'LIMIT', '1', '1'],
      ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES', 'LIMIT', '2', '2'],
      ['ZRANGEBYSCORE', 'z', '(2', '3'],
      ['ZRANGEBYSCORE', 'z', '3', '(2'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '(1', 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'z', '3', '1', 'LIMIT', '1', '10'],
      ['ZREVRANGEBYSCORE', 'z', '1', '3'],
    ],
  },
  {
    name: 'lex ranges: ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT, ZRANGE BYLEX',
    steps: [
      setup('ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'f', '0', 'g'),
      ['ZRANGEBYLEX', 'l', '-', '+'],
      ['ZRANGEBYLEX', 'l', '[b', '(e'],
      ['ZRANGEBYLEX', 'l', '(b', '[e', 'LIMIT', '1', '2'],
      ['ZRANGEBYLEX', 'l', '-', '+', 'LIMIT', '-1', '2'],
      ['ZRANGEBYLEX', 'l', '-', '+', 'LIMIT', '2', '-1'],
      ['ZRANGEBYLEX', 'l', '-', '+', 'LIMIT', '10', '1'],
      ['ZRANGEBYLEX', 'l', '[e', '[b'],
      ['ZRANGEBYLEX', 'l', '(c', '(c'],
      ['ZRANGEBYLEX', 'l', '[c', '[c'],
      ['ZRANGEBYLEX', 'l', '+', '-'],
      ['ZRANGEBYLEX', 'l', '[', '+'],
      ['ZRANGEBYLEX', 'l', '-', '(a'],
      ['ZRANGEBYLEX', 'l', '[zz', '+'],
      ['ZREVRANGEBYLEX', 'l', '+', '-'],
      ['ZREVRANGEBYLEX', 'l', '[e', '(b', 'LIMIT', '1', '2'],
      ['ZRANGE', 'l', '[e', '[b', 'BYLEX', 'REV'],
      ['ZRANGE', 'l', '(a', '+', 'BYLEX', 'LIMIT', '0', '3'],
      ['ZLEXCOUNT', 'l', '-', '+'],
      ['ZLEXCOUNT', 'l', '(b', '[e'],
      ['ZLEXCOUNT', 'l', '[e', '[b'],
      ['ZLEXCOUNT', 'l', 'b', '[e'],
      ['ZLEXCOUNT', 'l', '[b', '++'],
      ['ZLEXCOUNT', 'l', '--', '+'],
      ['ZLEXCOUNT', 'nosuch', '-', '+'],
      ['ZRANGEBYLEX', 'nosuch', '-', '+'],
    ],
  },
  {
    name: 'lex ranges over mixed scores in a small set follow the listpack scan',
    steps: [
      setup('ZADD', 'm', '1', 'd', '2', 'a', '3', 'c', '4', 'b', '5', 'e'),
      ['ZRANGEBYLEX', 'm', '[b', '[d'],
      ['ZREVRANGEBYLEX', 'm', '[d', '[b'],
      ['ZLEXCOUNT', 'm', '[b', '[d'],
      ['ZRANGEBYLEX', 'm', '-', '[c'],
      ['ZREMRANGEBYLEX', 'm', '[a', '[c'],
      ['ZRANGE', 'm', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX',
    steps: [
      basic,
      ['ZREMRANGEBYRANK', 'z', '1', '2'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZREMRANGEBYRANK', 'z', '5', '10'],
      ['ZREMRANGEBYRANK', 'z', '2', '1'],
      ['ZREMRANGEBYRANK', 'z', 'x', '1'],
      ['ZREMRANGEBYSCORE', 'z', '(3', '+inf'],
      ['ZREMRANGEBYSCORE', 'z', 'x', '1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZREMRANGEBYRANK', 'z', '0', '-1'],
      ['EXISTS', 'z'],
      ['ZREMRANGEBYRANK', 'z', '0', '-1'],
      ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
      setup('ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd'),
      ['ZREMRANGEBYLEX', 'l', '(a', '[c'],
      ['ZREMRANGEBYLEX', 'l', 'a', '[c'],
      ['ZRANGE', 'l', '0', '-1'],
      ['ZREMRANGEBYLEX', 'l', '-', '+'],
      ['EXISTS', 'l'],
      ['ZREMRANGEBYLEX', 'nosuch', '-', '+'],
    ],
  },
  {
    name: 'ZPOPMIN and ZPOPMAX (RESP2)',
    steps: [
      basic,
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z'],
      ['ZPOPMIN', 'z', '2'],
      ['ZPOPMAX', 'z', '0'],
      ['ZPOPMIN', 'z', '-1'],
      ['ZPOPMIN', 'z', 'abc'],
      ['ZPOPMIN', 'z', '1', '2'],
      ['ZPOPMAX', 'z', '10'],
      ['EXISTS', 'z'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '3'],
    ],
  },
  {
    name: 'ZPOPMIN and ZPOPMAX shapes in RESP3',
    resp3: true,
    steps: [
      basic,
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', '1'],
      ['ZPOPMIN', 'z', '2'],
      ['ZPOPMAX', 'z', '0'],
      ['ZPOPMIN', 'nosuch'],
      ['ZPOPMIN', 'nosuch', '2'],
    ],
  },
  {
    name: 'ZMPOP',
    steps: [
      basic,
      setup('SET', 's', 'x'),
      ['ZMPOP', '2', 'nosuch', 'z', 'MIN'],
      ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '2'],
      ['ZMPOP', '1', 'z', 'max', 'count', '100'],
      ['EXISTS', 'z'],
      ['ZMPOP', '1', 'z', 'MIN'],
      ['ZMPOP', '2', 's', 'z', 'MIN'],
      ['ZMPOP', '0', 'z', 'MIN'],
      ['ZMPOP', '-1', 'z', 'MIN'],
      ['ZMPOP', 'x', 'z', 'MIN'],
      ['ZMPOP', '2', 'z', 'MIN'],
      ['ZMPOP', '1', 'z', 'MIDDLE'],
      ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '0'],
      ['ZMPOP', '1', 'z', 'MIN', 'COUNT', 'x'],
      ['ZMPOP', '1', 'z', 'MIN', 'COUNT'],
      ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '1', 'COUNT', '1'],
      ['ZMPOP', '9223372036854775807', 'z', 'MIN'],
    ],
  },
  {
    name: 'ZMPOP in RESP3',
    resp3: true,
    steps: [basic, ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '2'], ['ZMPOP', '1', 'z', 'MAX'], ['ZMPOP', '1', 'nosuch', 'MAX']],
  },
  {
    name: 'RESP3 doubles, nested WITHSCORES pairs and nulls',
    resp3: true,
    steps: [
      basic,
      ['ZSCORE', 'z', 'a'],
      ['ZSCORE', 'z', 'pinf'],
      ['ZSCORE', 'z', 'nosuch'],
      ['ZMSCORE', 'z', 'a', 'nosuch', 'ninf'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGEBYSCORE', 'z', '1', '3', 'WITHSCORES', 'LIMIT', '1', '5'],
      ['ZREVRANGE', 'z', '0', '1', 'WITHSCORES'],
      ['ZRANGE', 'nosuch', '0', '-1', 'WITHSCORES'],
      ['ZINCRBY', 'z', '0.5', 'a'],
      ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a'],
      ['ZRANK', 'z', 'nosuch'],
      ['ZRANDMEMBER', 'z', '100', 'WITHSCORES'],
      ['ZRANDMEMBER', 'nosuch'],
      ['ZSCAN', 'z', '0'],
    ],
  },
  {
    name: 'ZSCAN on small sets and its argument errors',
    steps: [
      ['ZADD', 'z', '1', 'one', '2', 'two', '3', 'three', '1e17', 'big', '2.5', 'twoandhalf'],
      ['ZSCAN', 'z', '0'],
      ['ZSCAN', 'z', '0', 'MATCH', 't*'],
      ['ZSCAN', 'z', '0', 'COUNT', '1'],
      ['ZSCAN', 'z', '0', 'MATCH', '*', 'COUNT', '100'],
      ['ZSCAN', 'z', '0', 'COUNT', '0'],
      ['ZSCAN', 'z', '0', 'COUNT', 'x'],
      ['ZSCAN', 'z', '0', 'TYPE', 'string'],
      ['ZSCAN', 'z', '0', 'MATCH'],
      ['ZSCAN', 'z', 'x'],
      ['ZSCAN', 'z', '-1'],
      ['ZSCAN', 'nosuch', '0'],
      ['ZSCAN', 'nosuch', '0', 'COUNT', '0'],
      ['ZSCAN', 'nosuch', 'x'],
    ],
  },
  {
    name: 'WRONGTYPE for every command',
    steps: [
      setup('SET', 's', 'x'),
      setup('ZADD', 'z', '1', 'a'),
      ['ZADD', 's', '1', 'a'],
      ['ZADD', 's', 'x', 'a'],
      ['ZINCRBY', 's', '1', 'a'],
      ['ZREM', 's', 'a'],
      ['ZSCORE', 's', 'a'],
      ['ZMSCORE', 's', 'a'],
      ['ZCARD', 's'],
      ['ZCOUNT', 's', '0', '1'],
      ['ZCOUNT', 's', 'x', '1'],
      ['ZLEXCOUNT', 's', '-', '+'],
      ['ZRANK', 's', 'a'],
      ['ZREVRANK', 's', 'a'],
      ['ZRANGE', 's', '0', '-1'],
      ['ZRANGE', 's', 'x', '-1'],
      ['ZRANGEBYSCORE', 's', '0', '1'],
      ['ZREVRANGEBYSCORE', 's', '1', '0'],
      ['ZRANGEBYLEX', 's', '-', '+'],
      ['ZREVRANGEBYLEX', 's', '+', '-'],
      ['ZREVRANGE', 's', '0', '1'],
      ['ZREMRANGEBYRANK', 's', '0', '1'],
      ['ZREMRANGEBYSCORE', 's', '0', '1'],
      ['ZREMRANGEBYLEX', 's', '-', '+'],
      ['ZPOPMIN', 's'],
      ['ZPOPMAX', 's', '2'],
      ['ZSCAN', 's', '0'],
      ['ZRANDMEMBER', 's'],
      ['ZRANDMEMBER', 's', '2'],
      ['ZRANGESTORE', 'd', 's', '0', '-1'],
      ['ZUNIONSTORE', 'd', '2', 'z', 's'],
      ['ZINTER', '2', 'z', 's'],
      ['ZDIFF', '1', 's'],
      ['ZINTERCARD', '1', 's'],
      ['GET', 's'],
    ],
  },
  {
    name: 'ZRANGESTORE',
    steps: [
      basic,
      setup('SET', 'withttl', 'v', 'EX', '100'),
      ['ZRANGESTORE', 'd', 'z', '0', '2'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '1', '2'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '0', '2'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'withttl', 'z', '-', '+', 'BYLEX'],
      ['TTL', 'withttl'],
      ['TYPE', 'withttl'],
      ['ZRANGESTORE', 'd', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '0', '-1', 'LIMIT', '0', '1'],
      ['ZRANGESTORE', 'd', 'z', '10', '20'],
      ['EXISTS', 'd'],
      ['ZRANGESTORE', 'd', 'nosuch', '0', '-1'],
      ['ZRANGESTORE', 'z', 'z', '1', '2'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', 'x', '1'],
    ],
  },
  {
    name: 'ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE with weights, aggregates and set inputs',
    steps: [
      setup('ZADD', 'a', '1', 'x', '2', 'y', '3', 'z', 'inf', 'i'),
      setup('ZADD', 'b', '10', 'y', '20', 'z', '30', 'w', '-inf', 'i'),
      setup('SADD', 's', 'x', 'w', 'v'),
      ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'AGGREGATE', 'MAX'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', 'd', '3', 'a', 'b', 's', 'AGGREGATE', 'min'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '0', '1'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 'a', 'b'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 'a', 'a', 'WEIGHTS', '1', '3'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 's', 'b', 'AGGREGATE', 'MAX'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 'a', 'nosuch'],
      ['EXISTS', 'd'],
      ['ZDIFFSTORE', 'd', '2', 'a', 'b'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'd', '3', 'b', 's', 'nosuch'],
      ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'd', '2', 'a', 'a'],
      ['EXISTS', 'd'],
    ],
  },
  {
    name: 'ZUNION, ZINTER, ZDIFF, ZINTERCARD and their errors',
    steps: [
      setup('ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'),
      setup('ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'),
      ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
      ['ZUNION', '2', 'a', 'b'],
      ['ZINTER', '2', 'a', 'b', 'WITHSCORES', 'AGGREGATE', 'MIN'],
      ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '-1', '1', 'WITHSCORES'],
      ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'],
      ['ZDIFF', '1', 'nosuch'],
      ['ZINTERCARD', '2', 'a', 'b'],
      ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
      ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
      ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'],
      ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'],
      ['ZINTERCARD', '0', 'a'],
      ['ZINTERCARD', '2', 'a', 'b', 'WITHSCORES'],
      ['ZUNION', '0', 'a'],
      ['ZUNION', '-1', 'a'],
      ['ZUNION', 'x', 'a'],
      ['ZUNION', '3', 'a', 'b'],
      ['ZUNIONSTORE', 'd', '0', 'a'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'WEIGHTS', 'x'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'WEIGHTS'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'WEIGHTS', '1', '2'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'AGGREGATE', 'avg'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'AGGREGATE'],
      ['ZUNIONSTORE', 'd', '1', 'a', 'WITHSCORES'],
      ['ZDIFF', '2', 'a', 'b', 'WEIGHTS', '1', '1'],
      ['ZDIFF', '2', 'a', 'b', 'AGGREGATE', 'MIN'],
    ],
  },
  {
    name: 'ZUNION WITHSCORES and ZRANDMEMBER in RESP3',
    resp3: true,
    steps: [
      setup('ZADD', 'a', '1', 'x', '2', 'y'),
      setup('ZADD', 'b', '10', 'y', '-0', 'n'),
      ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
      ['ZINTER', '2', 'a', 'b', 'WITHSCORES'],
      ['ZDIFF', '2', 'a', 'b'],
      ['ZRANDMEMBER', 'a', '5', 'WITHSCORES'],
      typeOnly('ZRANDMEMBER', 'a', '-3', 'WITHSCORES'),
    ],
  },
  {
    name: 'ZRANDMEMBER',
    steps: [
      basic,
      typeOnly('ZRANDMEMBER', 'z'),
      typeOnly('ZRANDMEMBER', 'z', '2'),
      typeOnly('ZRANDMEMBER', 'z', '-10', 'WITHSCORES'),
      typeOnly('ZRANDMEMBER', 'z', '3', 'WITHSCORES'),
      ['ZRANDMEMBER', 'z', '6'],
      ['ZRANDMEMBER', 'z', '100', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '0'],
      ['ZRANDMEMBER', 'nosuch'],
      ['ZRANDMEMBER', 'nosuch', '5'],
      ['ZRANDMEMBER', 'z', 'x'],
      ['ZRANDMEMBER', 'z', '1', 'x'],
      ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
      ['ZRANDMEMBER', 'z', '-9223372036854775808'],
      ['ZRANDMEMBER', 'z', '9223372036854775807', 'WITHSCORES'],
      typeOnly('ZRANDMEMBER', 'z', '-1'),
    ],
  },
  {
    name: 'encodings: listpack limits, conversion, -0 in a skiplist',
    steps: [
      ['ZADD', 'small', ...manyMembers(128)],
      ['OBJECT', 'ENCODING', 'small'],
      ['ZADD', 'small', '1', 'one-more'],
      ['OBJECT', 'ENCODING', 'small'],
      ['ZREMRANGEBYRANK', 'small', '0', '-5'],
      ['OBJECT', 'ENCODING', 'small'],
      ['ZADD', 'small', '-0', 'negzero'],
      ['ZSCORE', 'small', 'negzero'],
      ['ZADD', 'long', '1', 'x'.repeat(65)],
      ['OBJECT', 'ENCODING', 'long'],
      ['ZADD', 'edge', '1', 'y'.repeat(64)],
      ['OBJECT', 'ENCODING', 'edge'],
      ['ZRANGESTORE', 'stored', 'small', '0', '-1'],
      ['OBJECT', 'ENCODING', 'stored'],
      ['ZSCORE', 'stored', 'negzero'],
      ['ZUNIONSTORE', 'u', '1', 'small'],
      ['OBJECT', 'ENCODING', 'u'],
      ['ZSCORE', 'u', 'negzero'],
      ['ZUNION', '1', 'small', 'WITHSCORES'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '4'],
      ['ZADD', 'tiny', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['OBJECT', 'ENCODING', 'tiny'],
      ['ZADD', 'tiny', '5', 'e'],
      ['OBJECT', 'ENCODING', 'tiny'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ],
  },
  {
    name: 'large (skiplist) sets: ranges, ranks, counts, removals',
    steps: [
      ['ZADD', 'big', ...manyMembers(300)],
      ['ZCARD', 'big'],
      ['ZRANGE', 'big', '0', '9', 'WITHSCORES'],
      ['ZRANGE', 'big', '-7', '-1', 'WITHSCORES'],
      ['ZRANGE', 'big', '140', '160'],
      ['ZREVRANGE', 'big', '100', '110', 'WITHSCORES'],
      ['ZRANK', 'big', 'm150'],
      ['ZREVRANK', 'big', 'm150'],
      ['ZRANK', 'big', 'm299'],
      ['ZCOUNT', 'big', '5', '(10'],
      ['ZCOUNT', 'big', '(5.5', '+inf'],
      ['ZRANGEBYSCORE', 'big', '(7', '8.5', 'WITHSCORES'],
      ['ZRANGE', 'big', '20', '10', 'BYSCORE', 'REV', 'LIMIT', '5', '7'],
      ['ZRANGE', 'big', '-inf', '+inf', 'BYSCORE', 'LIMIT', '290', '20'],
      ['ZSCORE', 'big', 'm42'],
      ['ZINCRBY', 'big', '100', 'm42'],
      ['ZRANK', 'big', 'm42'],
      ['ZADD', 'big', 'XX', 'CH', '-1', 'm1', '-2', 'm2', '3', 'm3'],
      ['ZRANGE', 'big', '0', '3', 'WITHSCORES'],
      ['ZREM', 'big', 'm1', 'm2', 'm3', 'nosuch'],
      ['ZREMRANGEBYRANK', 'big', '10', '19'],
      ['ZREMRANGEBYSCORE', 'big', '(20', '22'],
      ['ZCARD', 'big'],
      ['ZRANGE', 'big', '0', '-1'],
      ['ZPOPMAX', 'big', '3'],
      ['ZPOPMIN', 'big', '3'],
      ['ZADD', 'big', '-0', 'negzero'],
      ['ZSCORE', 'big', 'negzero'],
      ['ZRANDMEMBER', 'big', '1000', 'WITHSCORES'],
      ['OBJECT', 'ENCODING', 'big'],
    ],
  },
  {
    name: 'large (skiplist) sets: lex ranges',
    steps: [
      ['ZADD', 'lex', ...lexMembers(200)],
      ['ZRANGEBYLEX', 'lex', '[b', '(c'],
      ['ZREVRANGEBYLEX', 'lex', '(c', '[b', 'LIMIT', '2', '3'],
      ['ZLEXCOUNT', 'lex', '[d', '+'],
      ['ZLEXCOUNT', 'lex', '-', '(a'],
      ['ZRANGE', 'lex', '(x', '+', 'BYLEX', 'LIMIT', '1', '3'],
      ['ZREMRANGEBYLEX', 'lex', '[y', '+'],
      ['ZCARD', 'lex'],
      ['ZRANGEBYLEX', 'lex', '(w150', '+'],
    ],
  },
];

describeDifferential('zsets', cases);

/** Every member/score pair of a ZSCAN iteration, scanning until the cursor is 0. */
async function scanAll(conn: RawConnection, key: string, count: string): Promise<{ pairs: string[]; calls: number }> {
  const pairs: string[] = [];
  let cursor = '0';
  let calls = 0;
  do {
    conn.send(['ZSCAN', key, cursor, 'COUNT', count]);
    const reply = await conn.readReply();
    const { elements } = splitAggregate(reply);
    cursor = elements[0].split('\r\n')[1];
    const { elements: items } = splitAggregate(Buffer.from(elements[1], 'latin1'));
    for (let i = 0; i < items.length; i += 2) pairs.push(items[i] + items[i + 1]);
    calls++;
  } while (cursor !== '0' && calls < 1000);
  return { pairs, calls };
}

// A skiplist-encoded set's ZSCAN order and cursors are Redis's hash-table internals, so the
// iteration is compared as a whole: the same member/score pairs, scores formatted alike.
describeWithRedis('differential: zsets ZSCAN over a skiplist set', () => {
  const servers = realAndBundledPair();

  it('a full iteration returns the same pairs as Redis', async () => {
    const [real, ours] = await Promise.all([RawConnection.open(servers.redis.host, servers.redis.port), RawConnection.open(servers.node.host, servers.node.port)]);
    try {
      const members = manyMembers(400);
      members.push('1.1', 'float', '1e17', 'huge', '-inf', 'ninf', '4e-320', 'tiny', '-0', 'negzero');
      for (const conn of [real, ours]) {
        await conn.command(['FLUSHALL']);
        await conn.command(['ZADD', 'big', ...members]);
      }
      const expected = await scanAll(real, 'big', '1000');
      const actual = await scanAll(ours, 'big', '1000');
      expect(actual.pairs.length).toBe(405);
      expect([...new Set(actual.pairs)].sort()).toEqual([...new Set(expected.pairs)].sort());
      // With a small COUNT the iteration takes several calls and still covers every member once or more.
      const stepped = await scanAll(ours, 'big', '7');
      expect(stepped.calls).toBeGreaterThan(10);
      expect([...new Set(stepped.pairs)].sort()).toEqual([...new Set(expected.pairs)].sort());
    } finally {
      real.close();
      ours.close();
    }
  });
});

// Expected stream observed from redis-server 7.0.15's AOF for the same commands: writes that
// change nothing are not propagated, everything else goes out exactly as received.
describe('zsets propagation', () => {
  it('propagates changing commands as received and skips no-ops', async () => {
    const node = await startNode();
    const propagated: string[] = [];
    node.server.propagation.addSink((commands) => {
      for (const { args } of commands) propagated.push(args.join(' '));
    });
    const conn = await RawConnection.open(node.host, node.port);
    try {
      const commands = [
        'ZADD z 1 a 2 b', 'ZADD z 1 a', 'ZADD z NX 5 a', 'ZINCRBY z 0.5 a', 'ZADD z INCR 1 b', 'ZADD z GT INCR -1 b',
        'ZPOPMIN z 1', 'ZADD z 1 a 2 b 3 c', 'ZPOPMAX z 5', 'ZPOPMIN nosuch 2', 'ZADD z 1 a', 'ZRANGESTORE d z 0 -1',
        'ZRANGESTORE d z 5 6', 'ZRANGESTORE d z 5 6', 'ZUNIONSTORE u 1 z', 'ZUNIONSTORE u 1 nosuch', 'ZREM z nosuch',
        'ZREMRANGEBYSCORE z 5 6', 'ZREM z a',
        'ZADD z 1 a 2 b 3 c', 'ZMPOP 2 nosuch z MAX COUNT 10', 'ZMPOP 1 z MIN', 'ZADD z 1 a 2 b', 'ZMPOP 1 z MIN COUNT 1',
        'ZMPOP 1 nosuch MIN',
      ];
      for (const line of commands) await conn.command(line.split(' '));
      expect(propagated.filter((line) => line !== 'SELECT 0')).toEqual([
        'ZADD z 1 a 2 b', 'ZINCRBY z 0.5 a', 'ZADD z INCR 1 b', 'ZPOPMIN z 1', 'ZADD z 1 a 2 b 3 c', 'ZPOPMAX z 5',
        'ZADD z 1 a', 'ZRANGESTORE d z 0 -1', 'ZRANGESTORE d z 5 6', 'ZUNIONSTORE u 1 z', 'ZUNIONSTORE u 1 nosuch', 'ZREM z a',
        'ZADD z 1 a 2 b 3 c', 'ZPOPMAX z 3', 'ZADD z 1 a 2 b', 'ZPOPMIN z 1',
      ]);
    } finally {
      conn.close();
      await node.close();
    }
  });
});
