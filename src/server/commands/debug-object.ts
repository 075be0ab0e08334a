// DEBUG OBJECT <key>: Redis's low-level view of a value, as 7.0 prints it. The node keeps no object
// headers, so some fields are derived: the address is a stand-in, serializedlength is what the
// value takes in an RDB file (its DUMP payload without type byte, version and checksum), the LRU
// fields say "just used" (access times are not tracked), and a list's quicklist figures are those
// of its elements packed into nodes as list-max-listpack-size allows (checked against 7.0 up to
// three nodes; Redis's nodes keep the fill they were made with, ours follow the current setting).

import type { CommandContext } from '../context';
import type { Value } from '../keyspace/values';
import { isList } from '../keyspace/values';
import { createDumpPayload } from '../rdb/dump-payload';
import { ListpackBuilder } from '../rdb/listpack';
import { encodingPolicy } from './keys-dump';
import { encodingOf, refcountOf } from './keys-object';

const ERR_NO_SUCH_KEY = 'ERR no such key';
/** A DUMP payload's type byte, then its 2-byte RDB version and 8-byte CRC64 trailer. */
const DUMP_OVERHEAD = 1 + 2 + 8;
/** Redis's LRU clock: seconds, in 24 bits (LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION 1000 ms). */
const LRU_CLOCK_MAX = (1 << 24) - 1;
/** Byte limits of a quicklist node for list-max-listpack-size -1 .. -5. */
const NODE_BYTE_LIMITS = [4096, 8192, 16384, 32768, 65536];
/** With a count limit, a node still stops growing at 8 KiB (SIZE_SAFETY_LIMIT). */
const SIZE_SAFETY_LIMIT = 8192;
/** Listpack header (total bytes, entry count) and terminator. */
const LISTPACK_EMPTY_BYTES = 7;

/** A stable stand-in for the object's address, so that two keys do not print the same one. */
function standInAddress(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return '0x7f' + hash.toString(16).padStart(8, '0') + '0';
}

/** ql_nodes ... ql_uncompressed_size for a list, its elements packed into nodes in order. */
function quicklistFields(client: CommandContext, list: Iterable<string>, length: number): string {
  const fill = client.server.config.getInt('list-max-listpack-size');
  const maxBytes = fill < 0 ? NODE_BYTE_LIMITS[Math.min(-fill, NODE_BYTE_LIMITS.length) - 1] : SIZE_SAFETY_LIMIT;
  const maxEntries = fill > 0 ? fill : Infinity;
  let nodes = 0;
  let totalBytes = 0;
  let nodeBytes = LISTPACK_EMPTY_BYTES;
  let nodeEntries = 0;
  for (const element of list) {
    const size = ListpackBuilder.encodedSize(element);
    if (nodeEntries > 0 && (nodeBytes + size > maxBytes || nodeEntries >= maxEntries)) {
      nodes++;
      totalBytes += nodeBytes;
      nodeBytes = LISTPACK_EMPTY_BYTES;
      nodeEntries = 0;
    }
    nodeBytes += size;
    nodeEntries++;
  }
  if (nodeEntries > 0) {
    nodes++;
    totalBytes += nodeBytes;
  }
  const compressed = client.server.config.getInt('list-compress-depth') !== 0 ? 1 : 0;
  const average = nodes === 0 ? 0 : length / nodes;
  return ` ql_nodes:${nodes} ql_avg_node:${average.toFixed(2)} ql_listpack_max:${fill} ql_compressed:${compressed} ql_uncompressed_size:${totalBytes}`;
}

export function debugObject(client: CommandContext, key: string): void {
  // Like Redis, the key is looked up without expiring it.
  const value: Value | undefined = client.db.data.get(key);
  if (value === undefined) return client.reply.error(ERR_NO_SUCH_KEY);
  const config = client.server.config;
  const serialized = createDumpPayload(value, config.getBool('rdbcompression'), encodingPolicy(client)).length - DUMP_OVERHEAD;
  const lru = Math.floor(client.server.clock.now() / 1000) & LRU_CLOCK_MAX;
  const extra = isList(value) ? quicklistFields(client, value, value.length) : '';
  client.reply.simple(
    `Value at:${standInAddress(key)} refcount:${refcountOf(client, value)} encoding:${encodingOf(client, value, key)} serializedlength:${serialized} lru:${lru} lru_seconds_idle:0${extra}`,
  );
}
