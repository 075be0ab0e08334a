import { describe, expect, it } from 'vitest';
import { describeDifferential, setup, typeOnly, type DiffCase, type DiffStep } from '../helpers/differential';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';

/** XADD steps with explicit IDs ms-0 for ms = from..from+n-1; `fields(i)` gives each entry's pairs. */
function entries(key: string, from: number, n: number, fields: (i: number) => string[] = (i) => ['f', String(i)]): DiffStep[] {
  const steps: DiffStep[] = [];
  for (let i = 0; i < n; i++) steps.push(setup('XADD', key, `${from + i}-0`, ...fields(i)));
  return steps;
}

const cases: DiffCase[] = [
  {
    name: 'XADD with explicit and partial IDs, XLEN, TYPE and encoding',
    steps: [
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-0', 'a', '1'],
      ['XADD', 's', '1-*', 'b', '2'],
      ['XADD', 's', '2-*', 'b', '2'],
      ['XADD', 's', '2', 'c', '3', 'd', '4'],
      ['XADD', 's', '0-0', 'a', '1'],
      ['XADD', 'fresh', '0-0', 'a', '1'],
      ['EXISTS', 'fresh'],
      ['XADD', 'fresh', '0-*', 'a', '1'],
      ['XADD', 's', '18446744073709551615-18446744073709551614', 'x', 'y'],
      ['XADD', 's', '18446744073709551615-*', 'x', 'y'],
      ['XADD', 's', '18446744073709551615-*', 'x', 'y'],
      ['XADD', 's', '*', 'x', 'y'],
      ['XLEN', 's'],
      ['XLEN', 'nosuch'],
      ['TYPE', 's'],
      ['OBJECT', 'ENCODING', 's'],
      ['XADD', 's2', 'NOMKSTREAM', '1-1', 'a', '1'],
      ['EXISTS', 's2'],
      ['XADD', 's2', 'nomkstream', '*', 'a', '1'],
      typeOnly('XADD', 's2', '*', 'a', '1'),
      ['XADD', 's2', '*', 'a'],
      ['XADD', 's2', '*'],
      ['XADD', 's2', '1-1', 'a', '1', 'b'],
      ['SET', 'str', 'v'],
      ['XADD', 'str', '1-1', 'a', '1'],
      ['XLEN', 'str'],
      ['XRANGE', 'str', '-', '+'],
      ['XADD', 'seq', '1-18446744073709551615', 'a', 'b'],
      ['XADD', 'seq', '1-*', 'c', 'd'],
      ['XADD', 'seq', '2-*', 'c', 'd'],
      ['XADD', 'newseq', '1-*', 'c', 'd'],
      ['XLEN', 'seq'],
    ],
  },
  {
    name: 'invalid IDs in every form',
    steps: [
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', 'abc', 'a', '1'],
      ['XADD', 's', '-', 'a', '1'],
      ['XADD', 's', '+', 'a', '1'],
      ['XADD', 's', '-1', 'a', '1'],
      ['XADD', 's', '5-', 'a', '1'],
      ['XADD', 's', '5-x', 'a', '1'],
      ['XADD', 's', '*-5', 'a', '1'],
      ['XADD', 's', '18446744073709551616-0', 'a', '1'],
      ['XADD', 's', '+7-0', 'a', '1'],
      ['XADD', 's', ' 8-0', 'a', '1'],
      ['XADD', 's', '9--3', 'a', '1'],
      ['XADD', 's', '1' + '0'.repeat(130), 'a', '1'],
      ['XRANGE', 's', '-', '+'],
      ['XRANGE', 's', 'x', '+'],
      ['XRANGE', 's', '(-', '+'],
      ['XRANGE', 's', '-', '(+'],
      ['XRANGE', 's', '(', '+'],
      ['XDEL', 's', '-'],
      ['XDEL', 'nosuch', 'garbage'],
    ],
  },
  {
    name: 'XRANGE and XREVRANGE with exclusive bounds and COUNT',
    steps: [
      ...entries('s', 1, 10, (i) => ['f', String(i), 'g', 'x'.repeat(i)]),
      ['XADD', 's', '5-1', 'other', 'fields'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-'],
      ['XRANGE', 's', '3', '5'],
      ['XRANGE', 's', '(3-0', '(5-1'],
      ['XRANGE', 's', '5', '5'],
      ['XRANGE', 's', '5-1', '5-1'],
      ['XREVRANGE', 's', '(7', '(3'],
      ['XRANGE', 's', '-', '+', 'COUNT', '3'],
      ['XREVRANGE', 's', '+', '-', 'count', '2'],
      ['XRANGE', 's', '-', '+', 'COUNT', '0'],
      ['XRANGE', 's', '-', '+', 'COUNT', '-5'],
      ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
      ['XRANGE', 's', '-', '+', 'COUNT'],
      ['XRANGE', 's', '-', '+', 'LIMIT', '1'],
      ['XRANGE', 's', '9', '2'],
      ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(0-0'],
      ['XRANGE', 'nosuch', '-', '+'],
      ['XRANGE', 'nosuch', '-', '+', 'COUNT', '0'],
    ],
  },
  {
    name: 'XDEL leaves tombstones: ranges skip them, max deleted ID, deleting all keeps the key',
    steps: [
      ...entries('s', 1, 5),
      ['XDEL', 's', '2-0', '4-0', '9-0', '2-0'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '2'],
      ['XLEN', 's'],
      ['XDEL', 's', '1-0', '3-0', '5-0'],
      ['XLEN', 's'],
      ['EXISTS', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', '5-0', 'a', '1'],
      ['XADD', 's', '6-0', 'a', '1'],
      ['XDEL', 's', 'bad'],
    ],
  },
  {
    name: 'XTRIM and XADD with exact MAXLEN/MINID, LIMIT errors',
    steps: [
      ...entries('s', 1, 20),
      ['XTRIM', 's', 'MAXLEN', '15'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '=', '12'],
      ['XTRIM', 's', 'MINID', '10'],
      ['XRANGE', 's', '-', '+', 'COUNT', '1'],
      ['XTRIM', 's', 'MINID', '=', '12-0'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '100'],
      ['XTRIM', 's', 'MAXLEN', '-1'],
      ['XTRIM', 's', 'MAXLEN', 'x'],
      ['XTRIM', 's', 'MINID', 'x'],
      ['XTRIM', 's', 'MINID', '-'],
      ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '5'],
      ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', '-1'],
      ['XTRIM', 's', 'LIMIT', '5'],
      ['XTRIM', 's', 'LIMIT', '0'],
      ['XTRIM', 's', 'foo'],
      ['XTRIM', 'nosuch', 'MAXLEN', '1'],
      ['XADD', 's', 'MAXLEN', '3', '30-0', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', 'MINID', '30', '31-0', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', 'MAXLEN', '0', '32-0', 'f', 'v'],
      ['XLEN', 's'],
      ['EXISTS', 's'],
      ['XADD', 's', 'MAXLEN', '1', 'LIMIT', '1', '33-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '1', 'MAXLEN', '1', '33-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '-1', '33-0', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '33-0', 'f', 'v'],
    ],
  },
  {
    name: 'approximate trimming removes whole nodes only (100 entries a node)',
    steps: [
      ...entries('s', 1, 350),
      ['XADD', 's', 'MAXLEN', '~', '200', '351-0', 'f', 'v'],
      ['XLEN', 's'],
      ['XRANGE', 's', '-', '+', 'COUNT', '1'],
      ['XTRIM', 's', 'MAXLEN', '~', '10'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MINID', '~', '320'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MINID', '~', '340'],
      ['XTRIM', 's', 'MINID', '340'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '5'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '500'],
      ['XLEN', 's'],
    ],
  },
  {
    name: 'node boundaries follow tombstones, differing fields and stream-node-max-bytes',
    steps: [
      ...entries('s', 1, 60, (i) => (i % 3 === 0 ? ['f', String(i)] : ['other', 'v' + 'x'.repeat(i * 3)])),
      setup('XDEL', 's', '2-0', '3-0', '4-0'),
      ...entries('s', 61, 150, (i) => ['f', 'y'.repeat(i % 40), 'n', String(i * 1000)]),
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '100'],
      ['XLEN', 's'],
      ['XRANGE', 's', '-', '+', 'COUNT', '1'],
      ['XTRIM', 's', 'MAXLEN', '~', '20'],
      ['XLEN', 's'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '7'],
      ...entries('t', 1, 50),
      ['XTRIM', 't', 'MAXLEN', '~', '20'],
      ['XLEN', 't'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '0'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '300'],
      ...entries('u', 1, 80, (i) => ['field', 'z'.repeat(i % 17), 'num', String(-i * 70000)]),
      ['XTRIM', 'u', 'MAXLEN', '~', '30'],
      ['XLEN', 'u'],
      ['XTRIM', 'u', 'MINID', '~', '70'],
      ['XLEN', 'u'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '4096'],
    ],
  },
  {
    name: 'XSETID with ENTRIESADDED and MAXDELETEDID',
    steps: [
      ...entries('s', 1, 3),
      ['XSETID', 's', '2-0'],
      ['XSETID', 's', '3-0'],
      ['XSETID', 's', '10-0'],
      ['XADD', 's', '9-0', 'a', '1'],
      ['XADD', 's', '10-*', 'a', '1'],
      ['XDEL', 's', '10-1'],
      ['XSETID', 's', '10-0'],
      ['XSETID', 's', '20-0', 'ENTRIESADDED', '2'],
      ['XSETID', 's', '20-0', 'ENTRIESADDED', '-1'],
      ['XSETID', 's', '20-0', 'ENTRIESADDED', 'x'],
      ['XSETID', 's', '20-0', 'MAXDELETEDID', '30-0'],
      ['XSETID', 's', '20-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '15-0'],
      ['XSETID', 's', '20-0', 'FOO', '1'],
      ['XSETID', 's', '20-0', 'ENTRIESADDED'],
      ['XSETID', 's', 'bad'],
      ['XSETID', 's', '+'],
      ['XSETID', 'nosuch', '1-0'],
      ['SET', 'str', 'v'],
      ['XSETID', 'str', '1-0'],
      ['XADD', 's', '20-0', 'a', '1'],
      ['XADD', 's', '20-*', 'a', '1'],
    ],
  },
  {
    name: 'XREAD without blocking',
    steps: [
      ...entries('a', 1, 5),
      ...entries('b', 3, 2),
      ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
      ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '2', '3-0'],
      ['XREAD', 'STREAMS', 'a', 'b', '$', '$'],
      ['XREAD', 'STREAMS', 'a', 'nosuch', '0-0', '0-0'],
      ['XREAD', 'STREAMS', 'nosuch', '0-0'],
      ['XREAD', 'COUNT', '0', 'STREAMS', 'a', '4'],
      ['XREAD', 'COUNT', '-3', 'STREAMS', 'a', '4'],
      ['XREAD', 'STREAMS', 'a', 'b', '0'],
      ['xread', 'STREAMS', 'a', 'b', '0'],
      ['XREAD', 'STREAMS', 'a', '>'],
      ['XREAD', 'STREAMS', 'a', 'x'],
      ['XREAD', 'STREAMS', 'a', '-'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
      ['XREAD', 'NOACK', 'STREAMS', 'a', '0'],
      ['XREAD', 'COUNT', '1'],
      ['XREAD', 'FOO', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '0-0'],
      ['SET', 'str', 'v'],
      ['XREAD', 'STREAMS', 'str', '0'],
      ['XREAD', 'STREAMS', 'a', 'str', '0', 'bad'],
      ['MULTI'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '$'],
      ['EXEC'],
    ],
  },
  {
    name: 'XREAD in RESP3 is a map of streams',
    resp3: true,
    steps: [...entries('a', 1, 3), ['XREAD', 'STREAMS', 'a', 'nosuch', '1', '0'], ['XREAD', 'STREAMS', 'a', '9'], ['XRANGE', 'a', '-', '+', 'COUNT', '0']],
  },
  {
    name: 'COMMAND INFO of the stream commands',
    steps: [
      ['COMMAND', 'INFO', 'xadd', 'xlen', 'xrange', 'xrevrange', 'xdel', 'xtrim', 'xsetid', 'xread', 'xreadgroup'],
      ['COMMAND', 'INFO', 'xack', 'xpending', 'xclaim', 'xautoclaim', 'xgroup|create', 'xgroup|setid', 'xgroup|destroy'],
      ['COMMAND', 'INFO', 'xgroup|createconsumer', 'xgroup|delconsumer', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xgroup|help'],
    ],
  },
];

describeDifferential('streams', cases);

describe('streams propagation', () => {
  it('propagates generated IDs and approximate trims as exact thresholds', async () => {
    const node = await startNode();
    const propagated: string[] = [];
    node.server.propagation.addSink((commands) => {
      for (const { args } of commands) propagated.push(args.join(' '));
    });
    const conn = await RawConnection.open(node.host, node.port);
    try {
      for (let i = 1; i <= 250; i++) await conn.command(['XADD', 's', `${i}-0`, 'f', 'v']);
      propagated.length = 0;
      const commands = [
        'XADD s 300-* f v', 'XADD s 300-* f v', 'XADD s MAXLEN ~ 100 301-0 f v', 'XADD s MINID ~ 200 LIMIT 1000 302-0 f v',
        'XTRIM s MAXLEN ~ 1000', 'XTRIM s MAXLEN = 30', 'XDEL s 240-0 nosuch', 'XDEL s 240-0', 'XDEL s 1-0', 'XTRIM s MINID ~ 250',
        'XSETID s 500-0', 'XRANGE s - +', 'XREAD STREAMS s 0', 'XADD s NOMKSTREAM 501-0 f v', 'XADD t NOMKSTREAM 1-0 f v',
      ];
      for (const line of commands) await conn.command(line.split(' '));
      const generated = propagated.filter((line) => line !== 'SELECT 0');
      expect(generated).toEqual([
        'XADD s 300-0 f v', 'XADD s 300-1 f v', 'XADD s MAXLEN = 153 301-0 f v', 'XADD s MINID = 101-0 LIMIT 1000 302-0 f v',
        'XTRIM s MAXLEN = 30', 'XDEL s 240-0', 'XSETID s 500-0', 'XADD s NOMKSTREAM 501-0 f v',
      ]);
    } finally {
      conn.close();
      await node.close();
    }
  });
});
