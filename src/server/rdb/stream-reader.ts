// Streams from Redis's RDB: type 15 (RDB 9, Redis 5-6.2), 19 (RDB 10, 7.0) and 21 (RDB 11,
// 7.2). Each rax node is a master ID and a listpack decoded back into entries, tombstones
// included, so the node structure (and what "~" trimming later removes) is what Redis had.
// Consumer groups come back with their PELs and consumers.

import { Stream, type StreamId } from '../keyspace/stream';
import { RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_3 } from './constants';
import { decodeListpack } from './listpack';
import { ConsumerGroup, pelKey, type Consumer, type PendingEntry } from '../keyspace/stream-groups';

/** The reader's primitives a stream is made of. */
export interface StreamSource {
  length(): number;
  length64(): bigint;
  string(): string;
  /** A raw string's bytes, copied. */
  blob(): Buffer;
  /** rdbLoadMillisecondTime: 8 bytes little endian. */
  millis(): number;
  /** Bytes written raw (rdbWriteRaw), copied. */
  raw(length: number): Buffer;
  corrupt(reason: string): Error;
}

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

function readId(source: StreamSource): StreamId {
  return { ms: source.length64(), seq: source.length64() };
}

export function readStream(source: StreamSource, type: number): Stream {
  const stream = new Stream();
  const nodes = source.length();
  for (let n = 0; n < nodes; n++) {
    const key = source.blob();
    if (key.length !== 16) throw source.corrupt('Stream node key entry is not the size of a stream ID');
    const master: StreamId = { ms: key.readBigUInt64BE(0), seq: key.readBigUInt64BE(8) };
    const lp = source.blob();
    const elements: string[] = [];
    decodeListpack(lp, elements);
    if (elements.length === 0) throw source.corrupt('Empty listpack inside stream');
    let p = 2; // live and deleted counts: recomputed from the flags
    const masterCount = Number(elements[p++]);
    const masterFields = elements.slice(p, p + masterCount);
    p += masterCount + 1;
    const entries: { id: StreamId; fields: string[]; deleted: boolean }[] = [];
    while (p < elements.length) {
      const flags = Number(elements[p++]);
      const id = {
        ms: BigInt.asUintN(64, master.ms + BigInt(elements[p++])),
        seq: BigInt.asUintN(64, master.seq + BigInt(elements[p++])),
      };
      const fields: string[] = [];
      if (flags & FLAG_SAMEFIELDS) {
        for (const field of masterFields) fields.push(field, elements[p++]);
      } else {
        const count = Number(elements[p++]);
        for (let i = 0; i < count; i++) fields.push(elements[p++], elements[p++]);
      }
      p++; // the entry's element count, for walking backwards
      if (p > elements.length) throw source.corrupt('Stream listpack entry truncated');
      entries.push({ id, fields, deleted: (flags & FLAG_DELETED) !== 0 });
    }
    stream.loadNode(master, masterFields, entries, lp.length);
  }
  stream.length = source.length();
  stream.lastId = readId(source);
  if (type !== RDB_TYPE_STREAM_LISTPACKS) {
    readId(source); // first ID: recomputed from the entries
    stream.maxDeletedId = readId(source);
    stream.entriesAdded = source.length64();
  } else {
    // Redis 7.0 derives these for older files the same way (streamGetEdgeID and the length).
    stream.entriesAdded = BigInt(stream.length);
  }
  const groups = source.length();
  for (let g = 0; g < groups; g++) {
    const name = source.string();
    const lastId = readId(source);
    // Older files have no counter: 7.0 estimates it from the group's last ID.
    const entriesRead = type !== RDB_TYPE_STREAM_LISTPACKS ? BigInt.asIntN(64, source.length64()) : stream.estimateDistance(lastId);
    if (stream.groups.has(name)) throw source.corrupt('Duplicated consumer group name');
    const group = new ConsumerGroup(name, lastId, entriesRead);
    stream.groups.set(name, group);
    const pending = source.length();
    const unowned = new Map<string, PendingEntry>();
    for (let i = 0; i < pending; i++) {
      const raw = source.raw(16);
      const id = { ms: raw.readBigUInt64BE(0), seq: raw.readBigUInt64BE(8) };
      const deliveryTime = source.millis();
      const deliveryCount = source.length();
      const key = pelKey(id);
      // The owner is filled in from the consumers' PELs below.
      const entry = { id, consumer: null as unknown as Consumer, deliveryTime, deliveryCount };
      group.pending.set(key, entry);
      unowned.set(key, entry);
    }
    const consumers = source.length();
    for (let c = 0; c < consumers; c++) {
      const consumer = group.createConsumer(source.string(), 0);
      if (consumer === null) throw source.corrupt('Duplicate stream consumer detected.');
      consumer.seenTime = source.millis();
      if (type === RDB_TYPE_STREAM_LISTPACKS_3) source.millis();
      const owned = source.length();
      for (let i = 0; i < owned; i++) {
        const raw = source.raw(16);
        const key = pelKey({ ms: raw.readBigUInt64BE(0), seq: raw.readBigUInt64BE(8) });
        const entry = unowned.get(key);
        if (entry === undefined) throw source.corrupt('Consumer entry not found in group global PEL');
        unowned.delete(key);
        entry.consumer = consumer;
        consumer.pending.set(key, entry);
      }
    }
    if (unowned.size > 0) throw source.corrupt('Stream group PEL entries without a consumer');
  }
  return stream;
}
