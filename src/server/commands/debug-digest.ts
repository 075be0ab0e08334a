// DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's SHA-1 digests of the dataset and of single values
// (debug.c), so a digest taken on the node equals redis-server's for the same data. Aggregates
// whose order does not matter (sets, hashes, sorted sets, the keyspace) XOR their elements'
// digests; ordered ones (lists, streams) feed each element into the running digest.

import { createHash } from 'node:crypto';
import type { CommandContext } from '../context';
import type { Db } from '../keyspace/db';
import { isHash, isList, isSet, isStream, isZSet, type Value } from '../keyspace/values';
import { formatG } from '../resp/numbers';

const TYPE_CODES = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;
const ZERO_DIGEST = '0'.repeat(40);

function sha1(data: Buffer): Buffer {
  return createHash('sha1').update(data).digest();
}

/** digest ^= SHA1(data) */
function xorDigest(digest: Buffer, data: Buffer): void {
  const hash = sha1(data);
  for (let i = 0; i < 20; i++) digest[i] ^= hash[i];
}

/** digest = SHA1(digest ^ SHA1(data)): order-sensitive. */
function mixDigest(digest: Buffer, data: Buffer): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

function typeCode(value: Value): number {
  if (typeof value === 'string') return TYPE_CODES.string;
  if (isList(value)) return TYPE_CODES.list;
  if (isSet(value)) return TYPE_CODES.set;
  if (isZSet(value)) return TYPE_CODES.zset;
  if (isHash(value)) return TYPE_CODES.hash;
  return TYPE_CODES.stream;
}

/** xorObjectDigest: the value (and whether it has a TTL) mixed into `digest`. */
function mixValue(digest: Buffer, value: Value, hasExpire: boolean): void {
  const type = Buffer.alloc(4);
  type.writeUInt32BE(typeCode(value), 0);
  mixDigest(digest, type);
  if (typeof value === 'string') {
    mixDigest(digest, bytes(value));
  } else if (isList(value)) {
    for (const element of value) mixDigest(digest, bytes(element));
  } else if (isSet(value)) {
    for (const member of value) xorDigest(digest, bytes(member));
  } else if (isZSet(value)) {
    value.walk(0, false, (member, score) => {
      const element = Buffer.alloc(20);
      mixDigest(element, bytes(member));
      mixDigest(element, bytes(formatG(score, 17)));
      xorDigest(digest, element);
    });
  } else if (isHash(value)) {
    for (const [field, fieldValue] of value) {
      const element = Buffer.alloc(20);
      mixDigest(element, bytes(field));
      mixDigest(element, bytes(fieldValue));
      xorDigest(digest, element);
    }
  } else if (isStream(value)) {
    for (const entry of value.liveEntries()) {
      mixDigest(digest, bytes(`${entry.id.ms}.${entry.id.seq}`));
      for (const part of entry.fields) mixDigest(digest, bytes(part));
    }
  }
  if (hasExpire) xorDigest(digest, bytes('!!expire!!'));
}

/** One key's digest as DEBUG DIGEST-VALUE shows it (the value only, not the key name). */
export function valueDigest(db: Db, key: string): string {
  const value = db.get(key);
  if (value === undefined) return ZERO_DIGEST;
  const digest = Buffer.alloc(20);
  mixValue(digest, value, db.expires.has(key));
  return digest.toString('hex');
}

/** computeDatasetDigest: every database's keys, each as its name mixed with its value. */
export function datasetDigest(dbs: readonly Db[]): string {
  const final = Buffer.alloc(20);
  dbs.forEach((db, index) => {
    if (db.data.size === 0) return;
    const id = Buffer.alloc(4);
    id.writeUInt32BE(index, 0);
    mixDigest(final, id);
    for (const key of db.liveKeys()) {
      const value = db.data.get(key) as Value;
      const digest = Buffer.alloc(20);
      mixDigest(digest, bytes(key));
      mixValue(digest, value, db.expires.has(key));
      xorDigest(final, digest);
    }
  });
  return final.toString('hex');
}

export function debugDigest(client: CommandContext, args: string[]): void {
  if (args[1].toLowerCase() === 'digest') return client.reply.simple(datasetDigest(client.server.dbs));
  const keys = args.slice(2);
  client.reply.arrayHeader(keys.length);
  for (const key of keys) client.reply.simple(valueDigest(client.db, key));
}
