// DEBUG DIGEST and DEBUG DIGEST-VALUE: the same SHA-1 digests as redis-server 7.0.15 for every type,
// TTLs and databases included (Redis's own tests compare datasets with them).

import { describeDifferential, setup } from '../helpers/differential';

describeDifferential('debug digest', [
  {
    name: 'digests of each type, of a missing key, and of the whole dataset across databases',
    steps: [
      setup('FLUSHALL'),
      ['DEBUG', 'DIGEST'],
      setup('ZADD', 'z', '1.5', 'a', '0.1', 'b', '3', 'c', '-inf', 'd'),
      setup('SET', 'str', 'hello'),
      setup('SET', 'num', '12345'),
      setup('RPUSH', 'l', 'a', 'b', '1', '2'),
      setup('SADD', 's', 'x', 'y', '3'),
      setup('HSET', 'h', 'f', 'v', 'g', '1'),
      setup('XADD', 'st', '1-1', 'f', 'v'),
      setup('XADD', 'st', '2-5', 'a', 'b', 'c', 'd'),
      setup('XADD', 'st', '3-0', 'gone', 'x'),
      setup('XDEL', 'st', '3-0'),
      setup('SET', 'ttl', 'v', 'EX', '100'),
      ['DEBUG', 'DIGEST-VALUE', 'z', 'str', 'num', 'l', 's', 'h', 'st', 'ttl', 'nokey'],
      ['DEBUG', 'DIGEST-VALUE'],
      ['DEBUG', 'DIGEST'],
      setup('SELECT', '2'),
      setup('SET', 'other', 'db'),
      ['DEBUG', 'DIGEST'],
      setup('FLUSHALL'),
    ],
  },
]);
