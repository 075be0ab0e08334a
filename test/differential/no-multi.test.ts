// Commands Redis 7.0 flags no-multi (SAVE, SYNC, PSYNC, SHUTDOWN) are refused inside MULTI, and
// the refusal aborts the transaction at EXEC. An EXEC refused for the server's state aborts it too.

import { describeDifferential } from '../helpers/differential';

describeDifferential('no-multi commands', [
  {
    name: 'SAVE, SYNC, PSYNC and SHUTDOWN are refused inside MULTI',
    steps: [
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['SAVE'],
      ['SYNC'],
      ['PSYNC', '?', '-1'],
      ['SHUTDOWN', 'NOSAVE'],
      ['EXEC'],
      ['GET', 'k'],
    ],
  },
  {
    name: 'arity errors come before the no-multi refusal',
    steps: [['MULTI'], ['SAVE', 'x'], ['PSYNC', '?'], ['DISCARD'], ['MULTI'], ['SAVE'], ['DISCARD']],
  },
  {
    name: 'COMMAND INFO shows no_multi',
    steps: [['COMMAND', 'INFO', 'save', 'sync', 'psync', 'shutdown', 'bgsave']],
  },
  {
    name: 'on a stale replica an EXEC is refused when a queued command is (EXECABORT ... MASTERDOWN), not when all are stale-safe',
    steps: [
      ['SET', 'stale:x', '1'],
      ['CONFIG', 'SET', 'replica-serve-stale-data', 'no'],
      ['MULTI'],
      ['GET', 'stale:x'],
      ['REPLICAOF', 'localhsot', '0'],
      ['EXEC'],
      ['PING'],
      ['GET', 'stale:x'],
      ['MULTI'],
      ['INFO', 'keyspace'],
      ['EXEC'],
      ['REPLICAOF', 'NO', 'ONE'],
      ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'],
    ],
  },
]);
