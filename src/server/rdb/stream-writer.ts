// Streams as Redis 7.0 saves them (RDB_TYPE_STREAM_LISTPACKS_2): the rax nodes, each as its
// 128-bit big-endian master ID and its listpack (master entry, then entries with IDs as deltas
// from the master, a SAMEFIELDS flag when an entry has the master's fields, DELETED for
// tombstones, and each entry's element count last), then length, last ID, first ID, maximum
// deleted ID, entries added and the consumer groups (name, last ID, entries read, the PEL with
// raw IDs, delivery times and counts, the consumers with their seen times and raw PEL IDs).

import { sameFields, type Stream, type StreamId } from '../keyspace/stream';
import { RDB_TYPE_STREAM_LISTPACKS_2 } from './constants';
import type { RdbEncoder } from './encoder';
import { sortedGroups, sortPending } from '../keyspace/stream-groups';
import { ListpackBuilder } from './listpack';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

/** rdbSaveLen of a 64-bit unsigned value. */
export function writeLength64(out: RdbEncoder, value: bigint): void {
  if (value <= 0xffffffffn) {
    out.length(Number(value));
    return;
  }
  out.byte(0x81);
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  out.bytes(bytes);
}

export function idBytes(id: StreamId): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(id.ms, 0);
  bytes.writeBigUInt64BE(id.seq, 8);
  return bytes;
}

function writeId(out: RdbEncoder, id: StreamId): void {
  writeLength64(out, id.ms);
  writeLength64(out, id.seq);
}

const delta = (a: bigint, b: bigint) => String(BigInt.asIntN(64, a - b));

/** The type byte, the key (absent from a DUMP payload), then the stream. */
export function writeStream(out: RdbEncoder, key: string | undefined, stream: Stream): void {
  out.byte(RDB_TYPE_STREAM_LISTPACKS_2);
  if (key !== undefined) out.string(key);
  const nodes = [...stream.storedNodes()];
  out.length(nodes.length);
  const lp = new ListpackBuilder();
  for (const { node, entries } of nodes) {
    lp.reset();
    lp.append(String(node.live));
    lp.append(String(node.deleted));
    lp.append(String(node.masterFields.length));
    for (const field of node.masterFields) lp.append(field);
    lp.append('0');
    for (const entry of entries) {
      const same = sameFields(entry.fields, node.masterFields);
      lp.append(String((same ? FLAG_SAMEFIELDS : 0) | (entry.deleted ? FLAG_DELETED : 0)));
      lp.append(delta(entry.id.ms, node.master.ms));
      lp.append(delta(entry.id.seq, node.master.seq));
      const numFields = entry.fields.length / 2;
      if (!same) lp.append(String(numFields));
      for (let i = 0; i < entry.fields.length; i += 2) {
        if (!same) lp.append(entry.fields[i]);
        lp.append(entry.fields[i + 1]);
      }
      lp.append(String(numFields + 3 + (same ? 0 : numFields + 1)));
    }
    out.blob(idBytes(node.master));
    out.blob(Buffer.from(lp.finish()));
  }
  out.length(stream.length);
  writeId(out, stream.lastId);
  const first = stream.edgeId(true);
  writeId(out, first ?? { ms: 0n, seq: 0n });
  writeId(out, stream.maxDeletedId);
  writeLength64(out, stream.entriesAdded);
  const groups = sortedGroups(stream.groups);
  out.length(groups.length);
  for (const group of groups) {
    out.string(group.name);
    writeId(out, group.lastId);
    writeLength64(out, BigInt.asUintN(64, group.entriesRead));
    const pending = group.sortedPending();
    out.length(pending.length);
    for (const entry of pending) {
      out.bytes(idBytes(entry.id));
      out.int64(entry.deliveryTime);
      out.length(entry.deliveryCount);
    }
    const consumers = group.sortedConsumers();
    out.length(consumers.length);
    for (const consumer of consumers) {
      out.string(consumer.name);
      out.int64(consumer.seenTime);
      const owned = sortPending(consumer.pending);
      out.length(owned.length);
      for (const entry of owned) out.bytes(idBytes(entry.id));
    }
  }
}
