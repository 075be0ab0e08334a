// Reads a node's whole dataset into a plain, comparable object: every db, key, type, value and
// whether it has a TTL. Used to compare a master and its replicas key by key.

import Redis from 'ioredis';

export type DumpedValue = string | string[] | Record<string, string> | Array<[string, string]>;

export interface DumpedKey {
  type: string;
  value: DumpedValue;
  hasTtl: boolean;
}

export async function dumpKeyspace(host: string, port: number, password?: string, databases = 16): Promise<Record<string, Record<string, DumpedKey>>> {
  const client = new Redis({ host, port, password, lazyConnect: true, maxRetriesPerRequest: 1, enableReadyCheck: false });
  await client.connect();
  try {
    const out: Record<string, Record<string, DumpedKey>> = {};
    for (let db = 0; db < databases; db++) {
      await client.select(db);
      const keys = (await client.keysBuffer('*')).map((k) => k.toString('latin1')).sort();
      if (keys.length === 0) continue;
      const dbOut: Record<string, DumpedKey> = {};
      for (const key of keys) {
        const k = Buffer.from(key, 'latin1');
        const type = await client.type(k);
        let value: DumpedValue;
        switch (type) {
          case 'string':
            value = ((await client.getBuffer(k)) as Buffer).toString('latin1');
            break;
          case 'list':
            value = (await client.lrangeBuffer(k, 0, -1)).map((b) => b.toString('latin1'));
            break;
          case 'set':
            value = (await client.smembersBuffer(k)).map((b) => b.toString('latin1')).sort();
            break;
          case 'hash': {
            const flat = (await client.callBuffer('HGETALL', k)) as Buffer[];
            const entries: Record<string, string> = {};
            for (let i = 0; i < flat.length; i += 2) entries[flat[i].toString('latin1')] = flat[i + 1].toString('latin1');
            value = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
            break;
          }
          case 'zset': {
            const flat = (await client.callBuffer('ZRANGE', k, '0', '-1', 'WITHSCORES')) as Buffer[];
            const pairs: Array<[string, string]> = [];
            for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i].toString('latin1'), String(Number(flat[i + 1].toString()))]);
            value = pairs;
            break;
          }
          case 'stream': {
            // One element per entry: its ID, then its fields and values.
            const entries = (await client.xrangeBuffer(k, '-', '+')) as Array<[Buffer, Buffer[]]>;
            value = entries.map(([id, fields]) => [id, ...fields].map((b) => b.toString('latin1')).join('\0'));
            break;
          }
          default:
            value = `<${type}>`;
        }
        const ttl = await client.pttl(k);
        dbOut[key] = { type, value, hasTtl: ttl > 0 };
      }
      out[String(db)] = dbOut;
    }
    return out;
  } finally {
    client.disconnect();
  }
}
