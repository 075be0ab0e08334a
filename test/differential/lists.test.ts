import { describeDifferential, setup, type DiffCase } from '../helpers/differential';
import { describePropagation } from './propagation-capture';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Deque } from '../../src/server/keyspace/deque';

const WRONGTYPE_STEPS: string[][] = [
  ['LPUSH', 's', 'a'],
  ['RPUSH', 's', 'a'],
  ['LPUSHX', 's', 'a'],
  ['RPUSHX', 's', 'a'],
  ['LPOP', 's'],
  ['RPOP', 's', '2'],
  ['LLEN', 's'],
  ['LRANGE', 's', '0', '-1'],
  ['LINDEX', 's', '0'],
  ['LINDEX', 's', 'x'],
  ['LSET', 's', '0', 'x'],
  ['LREM', 's', '0', 'a'],
  ['LTRIM', 's', '0', '1'],
  ['LINSERT', 's', 'BEFORE', 'a', 'b'],
  ['LPOS', 's', 'a'],
  ['LPOS', 's', 'a', 'COUNT', '0'],
  ['LMOVE', 's', 'l', 'LEFT', 'RIGHT'],
  ['LMOVE', 'l', 's', 'LEFT', 'RIGHT'],
  ['RPOPLPUSH', 's', 'l'],
  ['RPOPLPUSH', 'l', 's'],
  ['LMPOP', '1', 's', 'LEFT'],
];

const cases: DiffCase[] = [
  {
    name: 'LPUSH, RPUSH, LLEN, LRANGE',
    steps: [
      ['LPUSH', 'l', 'a', 'b', 'c'],
      ['RPUSH', 'l', 'x', 'y'],
      ['LLEN', 'l'],
      ['LRANGE', 'l', '0', '-1'],
      ['lpush', 'l', ''],
      ['LRANGE', 'l', '0', '0'],
      ['LLEN', 'nokey'],
      ['TYPE', 'l'],
    ],
  },
  {
    name: 'LPUSHX and RPUSHX only push onto existing lists',
    steps: [
      ['LPUSHX', 'l', 'a'],
      ['RPUSHX', 'l', 'a', 'b'],
      ['EXISTS', 'l'],
      ['RPUSH', 'l', 'm'],
      ['LPUSHX', 'l', 'a', 'b'],
      ['RPUSHX', 'l', 'y', 'z'],
      ['LRANGE', 'l', '0', '-1'],
    ],
  },
  {
    name: 'LRANGE index arithmetic',
    steps: [
      ['RPUSH', 'l', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['LRANGE', 'l', '0', '3'],
      ['LRANGE', 'l', '-3', '-1'],
      ['LRANGE', 'l', '-100', '2'],
      ['LRANGE', 'l', '5', '100'],
      ['LRANGE', 'l', '7', '3'],
      ['LRANGE', 'l', '10', '20'],
      ['LRANGE', 'l', '-1', '-2'],
      ['LRANGE', 'l', '-20', '-11'],
      ['LRANGE', 'l', '0', '-11'],
      ['LRANGE', 'l', '0', '-10'],
      ['LRANGE', 'l', '-9223372036854775808', '9223372036854775807'],
      ['LRANGE', 'l', 'x', '1'],
      ['LRANGE', 'l', '0', '1.5'],
      ['LRANGE', 'l', '0', '9223372036854775808'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LRANGE', 'nokey', 'x', '-1'],
    ],
  },
  {
    name: 'LPOP and RPOP without a count',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l'],
      ['EXISTS', 'l'],
      ['LPOP', 'l'],
      ['RPOP', 'nokey'],
    ],
  },
  {
    name: 'LPOP and RPOP with a count',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '2'],
      ['LPOP', 'l', '0'],
      ['RPOP', 'l', '0'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPOP', 'l', '10'],
      ['EXISTS', 'l'],
      ['LPOP', 'l', '0'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'nokey', '1'],
      ['RPUSH', 'l', 'a'],
      ['LPOP', 'l', '-1'],
      ['LPOP', 'l', 'x'],
      ['RPOP', 'l', '1.5'],
      ['LPOP', 'nokey', '-1'],
      ['LPOP', 'l', '1', '2'],
      ['RPOP', 'l', '1', '2'],
      ['LPOP', 'l', '9223372036854775807'],
    ],
  },
  {
    name: 'RESP3 replies of pops and ranges',
    resp3: true,
    steps: [
      ['LPOP', 'nokey'],
      ['LPOP', 'nokey', '2'],
      ['RPOP', 'nokey', '0'],
      ['RPUSH', 'l', 'a', 'b'],
      ['LPOP', 'l', '1'],
      ['LPOP', 'l', '0'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LINDEX', 'l', '5'],
      ['LPOS', 'l', 'zzz'],
      ['LPOS', 'l', 'zzz', 'COUNT', '0'],
      ['LMOVE', 'nokey', 'l', 'LEFT', 'LEFT'],
      ['LMPOP', '1', 'nokey', 'LEFT'],
      ['LMPOP', '1', 'l', 'RIGHT'],
    ],
  },
  {
    name: 'LINDEX',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'l', '2'],
      ['LINDEX', 'l', '3'],
      ['LINDEX', 'l', '-1'],
      ['LINDEX', 'l', '-3'],
      ['LINDEX', 'l', '-4'],
      ['LINDEX', 'l', 'x'],
      ['LINDEX', 'nokey', 'x'],
      ['LINDEX', 'nokey', '0'],
      ['LINDEX', 'l', '9223372036854775807'],
    ],
  },
  {
    name: 'LSET',
    steps: [
      ['LSET', 'nokey', '0', 'x'],
      ['LSET', 'nokey', 'x', 'x'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LSET', 'l', '0', 'A'],
      ['LSET', 'l', '-1', 'C'],
      ['LSET', 'l', '3', 'x'],
      ['LSET', 'l', '-4', 'x'],
      ['LSET', 'l', 'x', 'x'],
      ['LRANGE', 'l', '0', '-1'],
    ],
  },
  {
    name: 'LREM from the head, from the tail and all',
    steps: [
      ['RPUSH', 'l', 'a', 'x', 'b', 'x', 'c', 'x', 'd', 'x'],
      ['LREM', 'l', '2', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '-1', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'nothing'],
      ['LREM', 'l', 'x', 'a'],
      ['LREM', 'nokey', '0', 'a'],
      ['LREM', 'l', '0', 'a'],
      ['LREM', 'l', '-10', 'b'],
      ['LREM', 'l', '5', 'c'],
      ['LREM', 'l', '0', 'd'],
      ['EXISTS', 'l'],
    ],
  },
  {
    name: 'LTRIM',
    steps: [
      ['RPUSH', 'l', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['LTRIM', 'l', '1', '-2'],
      ['LRANGE', 'l', '0', '-1'],
      ['LTRIM', 'l', '-5', '100'],
      ['LRANGE', 'l', '0', '-1'],
      ['LTRIM', 'l', '0', '-1'],
      ['LLEN', 'l'],
      ['LTRIM', 'l', 'x', '1'],
      ['LTRIM', 'l', '0', 'y'],
      ['LTRIM', 'nokey', '0', '1'],
      ['LTRIM', 'nokey', 'x', '1'],
      ['LTRIM', 'l', '3', '1'],
      ['EXISTS', 'l'],
      ['RPUSH', 'm', 'a', 'b'],
      ['LTRIM', 'm', '5', '10'],
      ['EXISTS', 'm'],
      ['RPUSH', 'n', 'a', 'b'],
      ['LTRIM', 'n', '-100', '-50'],
      ['EXISTS', 'n'],
    ],
  },
  {
    name: 'LINSERT',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
      ['LINSERT', 'l', 'after', 'c', 'y'],
      ['LINSERT', 'l', 'before', 'a', 'z'],
      ['LINSERT', 'l', 'AFTER', 'missing', 'w'],
      ['LRANGE', 'l', '0', '-1'],
      ['LINSERT', 'l', 'MIDDLE', 'a', 'w'],
      ['LINSERT', 'nokey', 'BEFORE', 'a', 'w'],
      ['LINSERT', 'nokey', 'SIDEWAYS', 'a', 'w'],
      ['EXISTS', 'nokey'],
      ['RPUSH', 'd', 'p', 'q', 'p'],
      ['LINSERT', 'd', 'AFTER', 'p', 'r'],
      ['LRANGE', 'd', '0', '-1'],
    ],
  },
  {
    name: 'LPOS with RANK, COUNT and MAXLEN',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '3', 'c', 'c'],
      ['LPOS', 'l', 'c'],
      ['LPOS', 'l', 'c', 'RANK', '2'],
      ['LPOS', 'l', 'c', 'RANK', '-1'],
      ['LPOS', 'l', 'c', 'RANK', '-3'],
      ['LPOS', 'l', 'c', 'RANK', '4'],
      ['LPOS', 'l', 'c', 'COUNT', '2'],
      ['LPOS', 'l', 'c', 'COUNT', '0'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'RANK', '2'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'RANK', '-1'],
      ['LPOS', 'l', 'c', 'COUNT', '1', 'RANK', '-2'],
      ['LPOS', 'l', 'c', 'MAXLEN', '3'],
      ['LPOS', 'l', 'c', 'MAXLEN', '2'],
      ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '7'],
      ['LPOS', 'l', 'c', 'RANK', '-1', 'MAXLEN', '1'],
      ['LPOS', 'l', 'c', 'rank', '-1', 'maxlen', '2', 'count', '5'],
      ['LPOS', 'l', 'x'],
      ['LPOS', 'l', 'x', 'COUNT', '3'],
      ['LPOS', 'nokey', 'x'],
      ['LPOS', 'nokey', 'x', 'COUNT', '1'],
      ['LPOS', 'l', 'c', 'RANK', '1', 'RANK', '3'],
    ],
  },
  {
    name: 'LPOS errors',
    steps: [
      ['RPUSH', 'l', 'a'],
      ['LPOS', 'l', 'a', 'RANK', '0'],
      ['LPOS', 'l', 'a', 'RANK', 'x'],
      ['LPOS', 'l', 'a', 'COUNT', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', 'x'],
      ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
      ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
      ['LPOS', 'l', 'a', 'RANK'],
      ['LPOS', 'l', 'a', 'FOO', '1'],
      ['LPOS', 'nokey', 'a', 'RANK', '0'],
      ['LPOS', 'nokey', 'a', 'COUNT'],
    ],
  },
  {
    name: 'LMOVE and RPOPLPUSH',
    steps: [
      ['RPUSH', 'src', 'a', 'b', 'c'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
      ['LMOVE', 'src', 'dst', 'right', 'left'],
      ['LRANGE', 'src', '0', '-1'],
      ['LRANGE', 'dst', '0', '-1'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['EXISTS', 'src'],
      ['LRANGE', 'dst', '0', '-1'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'LEFT'],
      ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'],
      ['LRANGE', 'dst', '0', '-1'],
      ['RPOPLPUSH', 'dst', 'dst'],
      ['LRANGE', 'dst', '0', '-1'],
      ['LMOVE', 'dst', 'dst', 'RIGHT', 'RIGHT'],
      ['LRANGE', 'dst', '0', '-1'],
      ['RPUSH', 'one', 'x'],
      ['LMOVE', 'one', 'one', 'LEFT', 'RIGHT'],
      ['LRANGE', 'one', '0', '-1'],
      ['LMOVE', 'src', 'dst', 'UP', 'LEFT'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'DOWN'],
      ['LMOVE', 'nokey', 'dst', 'UP', 'DOWN'],
    ],
  },
  {
    name: 'LMOVE and RPOPLPUSH type checks',
    steps: [
      ['SET', 'str', 'x'],
      ['RPUSH', 'l', 'a'],
      ['LMOVE', 'nokey', 'str', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'nokey', 'str'],
      ['LMOVE', 'l', 'str', 'LEFT', 'LEFT'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPOPLPUSH', 'str', 'l'],
    ],
  },
  {
    name: 'LMPOP',
    steps: [
      ['RPUSH', 'b', '1', '2', '3'],
      ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '5'],
      ['EXISTS', 'b'],
      ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['RPUSH', 'a', 'x', 'y'],
      ['LMPOP', '1', 'a', 'left', 'count', '1'],
      ['LMPOP', '0', 'a', 'LEFT'],
      ['LMPOP', 'x', 'a', 'LEFT'],
      ['LMPOP', '-1', 'a', 'LEFT'],
      ['LMPOP', '3', 'a', 'LEFT'],
      ['LMPOP', '1', 'a', 'MIDDLE'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
      ['LMPOP', '1', 'a', 'LEFT', 'FOO'],
      ['LMPOP', '2', 'nokey', 'a', 'RIGHT', 'COUNT', '9223372036854775807'],
    ],
  },
  {
    name: 'WRONGTYPE on every list command',
    steps: [['SET', 's', 'x'], ['RPUSH', 'l', 'a'], ...WRONGTYPE_STEPS, ['GET', 's'], ['LRANGE', 'l', '0', '-1']],
  },
  {
    name: 'arity errors',
    steps: [
      ['LPUSH', 'l'],
      ['RPUSH'],
      ['LPUSHX', 'l'],
      ['RPUSHX', 'l'],
      ['LPOP'],
      ['RPOP'],
      ['LLEN'],
      ['LLEN', 'a', 'b'],
      ['LRANGE', 'l', '0'],
      ['LINDEX', 'l'],
      ['LSET', 'l', '0'],
      ['LREM', 'l', '0'],
      ['LTRIM', 'l', '0'],
      ['LINSERT', 'l', 'BEFORE', 'a'],
      ['LPOS', 'l'],
      ['LMOVE', 'a', 'b', 'LEFT'],
      ['RPOPLPUSH', 'a'],
      ['LMPOP', '1', 'a'],
    ],
  },
  {
    name: 'long lists, middle inserts and removals',
    steps: [
      setup('RPUSH', 'l', ...Array.from({ length: 300 }, (_, i) => `e${i}`)),
      setup('LPUSH', 'l', ...Array.from({ length: 300 }, (_, i) => `h${i}`)),
      ['LLEN', 'l'],
      ['LINDEX', 'l', '299'],
      ['LINDEX', 'l', '300'],
      ['LINSERT', 'l', 'BEFORE', 'e150', 'mid'],
      ['LINSERT', 'l', 'AFTER', 'h10', 'near-head'],
      ['LINSERT', 'l', 'BEFORE', 'e290', 'near-tail'],
      ['LPOS', 'l', 'mid'],
      ['LPOS', 'l', 'near-head'],
      ['LPOS', 'l', 'near-tail'],
      ['LREM', 'l', '0', 'mid'],
      ['LSET', 'l', '450', 'changed'],
      ['LRANGE', 'l', '445', '455'],
      ['LRANGE', 'l', '-5', '-1'],
      ['LTRIM', 'l', '100', '-100'],
      ['LLEN', 'l'],
      ['LRANGE', 'l', '0', '4'],
      ['LPOP', 'l', '150'],
      ['RPOP', 'l', '150'],
      ['LRANGE', 'l', '0', '-1'],
    ],
  },
  {
    name: 'binary-safe elements and TTL kept across list writes',
    steps: [
      ['RPUSH', 'l', '\x00', '\r\n', '\xff\xfe'],
      ['LRANGE', 'l', '0', '-1'],
      ['LPOS', 'l', '\r\n'],
      ['EXPIRE', 'l', '100'],
      ['LPUSH', 'l', 'x'],
      ['LSET', 'l', '0', 'y'],
      ['LINSERT', 'l', 'AFTER', 'y', 'z'],
      ['LREM', 'l', '1', 'z'],
      ['LTRIM', 'l', '0', '2'],
      ['TTL', 'l'],
      ['LMOVE', 'l', 'other', 'LEFT', 'LEFT'],
      ['TTL', 'other'],
    ],
  },
  {
    name: 'list commands inside MULTI',
    steps: [
      ['MULTI'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LPOP', 'l', '2'],
      ['LPOS', 'l', 'c'],
      ['LSET', 'nokey', '0', 'x'],
      ['EXEC'],
    ],
  },
  {
    name: 'WATCH sees list changes, not no-ops',
    steps: [
      ['RPUSH', 'l', 'a', 'b'],
      ['WATCH', 'l'],
      ['LPUSHX', 'nokey', 'x'],
      ['LREM', 'l', '0', 'zz'],
      ['LINSERT', 'l', 'BEFORE', 'zz', 'x'],
      ['LPOP', 'l', '0'],
      ['LSET', 'l', '9', 'x'],
      ['MULTI'],
      ['LLEN', 'l'],
      ['EXEC'],
      ['WATCH', 'l'],
      ['LTRIM', 'l', '0', '-1'],
      ['MULTI'],
      ['LLEN', 'l'],
      ['EXEC'],
      ['WATCH', 'l'],
      ['LSET', 'l', '0', 'A'],
      ['MULTI'],
      ['EXEC'],
      ['WATCH', 'l', 'm'],
      ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'],
      ['MULTI'],
      ['EXEC'],
      ['WATCH', 'm'],
      ['RPOPLPUSH', 'l', 'm'],
      ['MULTI'],
      ['EXEC'],
    ],
  },
];

describeDifferential('lists', cases);

describePropagation('lists', [
  {
    name: 'list writes propagate as received',
    steps: [
      ['RPUSH', 'p1', 'a', 'b', 'c', 'd', 'e'],
      ['LPUSH', 'p1', 'z'],
      ['LPUSHX', 'p1', 'y'],
      ['LPOP', 'p1'],
      ['RPOP', 'p1', '2'],
      ['LSET', 'p1', '0', 'Z'],
      ['LINSERT', 'p1', 'AFTER', 'Z', 'i'],
      ['LREM', 'p1', '0', 'i'],
      ['LTRIM', 'p1', '0', '1'],
      ['LMOVE', 'p1', 'p1b', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'p1', 'p1b'],
      ['RPOPLPUSH', 'p1b', 'p1b'],
    ],
  },
  {
    name: 'list writes that change nothing are not propagated',
    steps: [
      ['RPUSH', 'p2', 'a', 'b'],
      ['LPUSHX', 'p2x', 'a'],
      ['LPOP', 'p2', '0'],
      ['LPOP', 'p2x'],
      ['LREM', 'p2', '0', 'zz'],
      ['LINSERT', 'p2', 'BEFORE', 'zz', 'x'],
      ['LTRIM', 'p2', '0', '-1'],
      ['LTRIM', 'p2x', '0', '1'],
      ['LSET', 'p2', '5', 'x'],
      ['LMOVE', 'p2x', 'p2', 'LEFT', 'LEFT'],
      ['LRANGE', 'p2', '0', '-1'],
    ],
  },
  {
    name: 'LMPOP propagates a pop of exactly what it took',
    steps: [
      ['RPUSH', 'p3', 'a', 'b', 'c'],
      ['LMPOP', '2', 'p3x', 'p3', 'LEFT'],
      ['LMPOP', '1', 'p3', 'RIGHT', 'COUNT', '10'],
      ['LMPOP', '1', 'p3', 'RIGHT', 'COUNT', '10'],
    ],
  },
]);

// The ring buffer behind lists, checked against a plain array on random operation sequences
// (wrap-around, growth and shrinking are where index arithmetic goes wrong).
describe('Deque (list storage) matches an array model', () => {
  type Op =
    | { kind: 'pushFront' | 'pushBack'; value: string }
    | { kind: 'popFront' | 'popBack' }
    | { kind: 'insertAt'; index: number; value: string }
    | { kind: 'removeFront' | 'removeBack'; n: number }
    | { kind: 'removeMatching'; value: string; limit: number; fromBack: boolean }
    | { kind: 'set'; index: number; value: string };
  const value = fc.constantFrom('a', 'b', 'c');
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constantFrom('pushFront' as const, 'pushBack' as const), value }),
    fc.record({ kind: fc.constantFrom('popFront' as const, 'popBack' as const) }),
    fc.record({ kind: fc.constant('insertAt' as const), index: fc.nat(80), value }),
    fc.record({ kind: fc.constantFrom('removeFront' as const, 'removeBack' as const), n: fc.nat(40) }),
    fc.record({ kind: fc.constant('removeMatching' as const), value, limit: fc.nat(4), fromBack: fc.boolean() }),
    fc.record({ kind: fc.constant('set' as const), index: fc.nat(80), value }),
  );

  function applyToModel(model: string[], step: Op): unknown {
    switch (step.kind) {
      case 'pushFront':
        return model.unshift(step.value);
      case 'pushBack':
        return model.push(step.value);
      case 'popFront':
        return model.shift();
      case 'popBack':
        return model.pop();
      case 'insertAt':
        return model.splice(Math.min(step.index, model.length), 0, step.value);
      case 'removeFront':
        return model.splice(0, Math.min(step.n, model.length));
      case 'removeBack':
        return model.splice(model.length - Math.min(step.n, model.length));
      case 'set':
        if (step.index < model.length) model[step.index] = step.value;
        return undefined;
      case 'removeMatching': {
        let removed = 0;
        const order = model.map((_, i) => i);
        if (step.fromBack) order.reverse();
        const drop = new Set<number>();
        for (const i of order) {
          if (model[i] === step.value && (step.limit === 0 || removed < step.limit)) {
            drop.add(i);
            removed++;
          }
        }
        const kept = model.filter((_, i) => !drop.has(i));
        model.length = 0;
        model.push(...kept);
        return removed;
      }
    }
  }

  function applyToDeque(deque: Deque<string>, step: Op): unknown {
    switch (step.kind) {
      case 'pushFront':
        deque.pushFront(step.value);
        return deque.length;
      case 'pushBack':
        deque.pushBack(step.value);
        return deque.length;
      case 'popFront':
        return deque.popFront();
      case 'popBack':
        return deque.popBack();
      case 'insertAt':
        deque.insertAt(Math.min(step.index, deque.length), step.value);
        return [];
      case 'removeFront': {
        const n = Math.min(step.n, deque.length);
        const removed = deque.slice(0, n - 1);
        deque.removeFront(n);
        return removed;
      }
      case 'removeBack': {
        const n = Math.min(step.n, deque.length);
        const removed = deque.slice(deque.length - n, deque.length - 1);
        deque.removeBack(n);
        return removed;
      }
      case 'set':
        if (step.index < deque.length) deque.set(step.index, step.value);
        return undefined;
      case 'removeMatching':
        return deque.removeMatching(step.value, step.limit, step.fromBack);
    }
  }

  it('after every operation of random sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 1 }), { maxLength: 40 }), fc.array(op, { maxLength: 300 }), (initial, ops) => {
        const model = [...initial];
        const deque = Deque.from(initial);
        for (const step of ops) {
          expect(applyToDeque(deque, step)).toEqual(applyToModel(model, step));
          expect(deque.toArray()).toEqual(model);
          expect(deque.length).toBe(model.length);
        }
        expect([...deque]).toEqual(model);
        for (let i = -1; i <= model.length; i++) expect(deque.at(i)).toBe(model[i]);
      }),
      { numRuns: 600 },
    );
  });
});
