// FUNCTION and FCALL, byte for byte against redis-server 7.0.15, and what they propagate.
// Redis lists libraries and functions in its hash tables' order: listings here hold one of each.

import { describeDifferential, setup, type DiffCase } from '../helpers/differential';
import { describePropagation } from './propagation-capture';

const LIB1 = "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)";
const LIB_FLAGS =
  "#!lua name=flagged\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='reads a key'}";
const LIB_WRITES = "#!lua name=writer\nredis.register_function('setit', function(keys, args) return redis.call('SET', keys[1], args[1]) end)";

const cases: DiffCase[] = [
  {
    name: 'FUNCTION LOAD, FCALL, FCALL_RO, LIST and STATS',
    steps: [
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB1],
      ['FCALL', 'f1', '1', 'key', 'arg'],
      ['FCALL', 'F1', '0', 'arg'],
      ['FCALL', 'nosuch', '0'],
      ['FCALL', 'f1', '2', 'k'],
      ['FCALL', 'f1', '-1'],
      ['FCALL', 'f1', 'x'],
      ['FCALL_RO', 'f1', '0'],
      ['FUNCTION', 'LOAD', LIB_FLAGS],
      ['SET', 'fk', 'value'],
      ['FCALL_RO', 'ro', '1', 'fk'],
      ['FCALL', 'ro', '1', 'fk'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'flagged'],
      ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'lib1'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'BOGUS'],
      ['FUNCTION', 'STATS'],
      ['FUNCTION', 'LOAD', LIB_WRITES],
      ['FCALL', 'setit', '1', 'fw', 'v1'],
      ['FCALL_RO', 'setit', '1', 'fw', 'v2'],
      ['GET', 'fw'],
    ],
  },
  {
    name: 'FUNCTION LOAD errors: metadata, names, registration, load-time API',
    steps: [
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB1],
      ['FUNCTION', 'LOAD', LIB1],
      ['FUNCTION', 'LOAD', 'REPLACE', LIB1],
      ['FUNCTION', 'LOAD', 'return 1'],
      ['FUNCTION', 'LOAD', '#!lua'],
      ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=bad-name\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua foo=bar\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name="quoted"\nredis.register_function("q", function() return 1 end)'],
      ['FUNCTION', 'LOAD', '#!python name=x\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua name=empty\nreturn 1'],
      ['FUNCTION', 'LOAD', "#!lua name=dup\nredis.register_function('f1', function() return 1 end)"],
      ['FUNCTION', 'LOAD', "#!lua name=twice\nredis.register_function('t', function() end)\nredis.register_function('t', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=badfn\nredis.register_function('bad-name', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=calls\nredis.call('PING')"],
      ['FUNCTION', 'LOAD', '#!lua name=math\nlocal x = math.floor(1)'],
      ['FUNCTION', 'LOAD', "#!lua name=resp\nredis.setresp(3)"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function()"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function(1, 2)"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function('x', 2)"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function{function_name='x'}"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function{callback=function() end}"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function{function_name='x', callback=function() end, flags={'bogus'}}"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function{function_name='x', callback=function() end, other=1}"],
      ['FUNCTION', 'LOAD', "#!lua name=args\nredis.register_function('x')"],
      ['FUNCTION', 'LOAD', 'BOGUS', LIB1],
      ['FUNCTION', 'LOAD'],
      ['FUNCTION', 'LOAD', "#!lua name=runtime\nredis.register_function('rt', function() return redis.register_function('z', function() end) end)"],
      ['FCALL', 'rt', '0'],
      ['FUNCTION', 'LOAD', "#!lua name=errs\nredis.register_function('boom', function() error('oops') end)"],
      ['FCALL', 'boom', '0'],
      ['FUNCTION', 'LOAD', "#!lua name=globals\nredis.register_function('g', function() return undefined_thing end)"],
      ['FCALL', 'g', '0'],
    ],
  },
  {
    name: 'FUNCTION DELETE, FLUSH, DUMP, RESTORE and their policies',
    steps: [
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB1],
      ['FUNCTION', 'DUMP'],
      setup('FUNCTION', 'DELETE', 'lib1'),
      ['FUNCTION', 'DELETE', 'lib1'],
      ['FCALL', 'f1', '0'],
      ['FUNCTION', 'RESTORE', 'garbage'],
      ['FUNCTION', 'RESTORE', 'x', 'BOGUS'],
      ['FUNCTION', 'RESTORE', 'x', 'FLUSH', 'extra'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
      ['FUNCTION', 'FLUSH', 'BAD'],
      ['FUNCTION', 'FLUSH', 'SYNC', 'extra'],
      ['FUNCTION', 'DUMP'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION', 'HELP'],
      ['FUNCTION', 'BOGUS'],
    ],
  },
];

describeDifferential('functions', cases);

describePropagation('functions', [
  {
    name: 'FUNCTION LOAD/DELETE/FLUSH propagate as sent; FCALL propagates its effects',
    steps: [
      ['FUNCTION', 'LOAD', LIB_WRITES],
      ['FCALL', 'setit', '1', 'pf:a', '1'],
      ['FCALL', 'setit', '1', 'pf:a', '2'],
      ['FUNCTION', 'LOAD', 'REPLACE', LIB_WRITES],
      ['FUNCTION', 'DELETE', 'writer'],
      ['FUNCTION', 'FLUSH'],
    ],
  },
]);
