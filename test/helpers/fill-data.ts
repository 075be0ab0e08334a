// Fills a node with every data type in the sizes that make Redis pick each of its encodings:
// small/large lists (quicklist nodes), listpack vs hashtable hashes and zsets, intsets, integer
// and LZF-compressible strings, binary keys, TTLs, and several databases.

import type Redis from 'ioredis';

export async function fillEveryType(client: Redis, prefix = ''): Promise<void> {
  const p = client.pipeline();
  for (const db of [0, 3]) {
    p.select(db);
    p.set(`${prefix}str:small`, 'hello');
    p.set(`${prefix}str:int`, '12345');
    p.set(`${prefix}str:negint`, '-7');
    p.set(`${prefix}str:bigint`, '9223372036854775807');
    p.set(`${prefix}str:long`, 'abcdefgh'.repeat(1000));
    p.set(Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]), Buffer.from([0x01, 0x02, 0xfe, 0x00]));
    p.set(`${prefix}str:ttl`, 'expiring', 'EX', 100000);
    p.rpush(`${prefix}list:small`, 'a', 'b', '3', '-4', 'e');
    for (let i = 0; i < 2000; i += 100) {
      p.rpush(`${prefix}list:large`, ...Array.from({ length: 100 }, (_, j) => `element-${i + j}-${'x'.repeat((i + j) % 50)}`));
    }
    p.rpush(`${prefix}list:bigitems`, 'y'.repeat(70000), 'small', 'z'.repeat(10000));
    p.hset(`${prefix}hash:small`, 'f1', 'v1', 'f2', '2', 'f3', '-3');
    const bigHash: string[] = [];
    for (let i = 0; i < 300; i++) bigHash.push(`field${i}`, `value${i}`);
    p.hset(`${prefix}hash:large`, ...bigHash);
    p.hset(`${prefix}hash:longvalue`, 'f', 'v'.repeat(100));
    p.sadd(`${prefix}set:ints`, '1', '2', '3', '100000', '-5', '4294967296');
    p.sadd(`${prefix}set:strings`, 'a', 'b', 'c');
    p.sadd(`${prefix}set:large`, ...Array.from({ length: 600 }, (_, i) => `member${i}`));
    p.sadd(`${prefix}set:manyints`, ...Array.from({ length: 600 }, (_, i) => String(i * 7)));
    p.zadd(`${prefix}zset:small`, '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd');
    const bigZ: string[] = [];
    for (let i = 0; i < 300; i++) bigZ.push(String(i / 3), `m${i}`);
    p.zadd(`${prefix}zset:large`, ...bigZ);
    p.hset(`${prefix}hash:ttl`, 'a', '1');
    p.pexpire(`${prefix}hash:ttl`, 100000000);
  }
  p.select(0);
  await p.exec();
}
