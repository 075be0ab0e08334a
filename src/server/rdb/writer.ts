// Writes the keyspace as an RDB version 10 file, the way Redis 7.0's rdbSaveRio lays it out:
// magic, aux fields, then per non-empty database SELECTDB + RESIZEDB and its keys, then EOF and
// the CRC-64. Output is produced in chunks so a save of millions of keys never builds one giant
// buffer, and the async form hands control back to the event loop regularly so the node keeps
// serving clients while a full sync or BGSAVE is under way.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Deque } from '../keyspace/deque';
import { Stream } from '../keyspace/stream';
import { writeStream } from './stream-writer';
import type { SortedSet } from '../keyspace/sorted-set';
import type { Value } from '../keyspace/values';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  RDB_MAGIC,
  RDB_OPCODE_AUX,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_WRITE_VERSION,
} from './constants';
import { RdbEncoder } from './encoder';
import { encodeIntset } from './intset';
import { ListpackBuilder } from './listpack';
import { listpackScoreText } from './score-text';
import { forEachZsetMember, forEachZsetMemberDescending, zsetSize } from './zset-adapter';

/** One key as the writer receives it. */
export interface RdbEntry {
  readonly key: string;
  readonly value: Value;
  /** Absolute expiry in unix milliseconds, or undefined for no TTL. */
  readonly expireMs: number | undefined;
}

/** One database of a point-in-time view (keyspace/snapshot.ts's DbSnapshot fits this shape). */
export interface RdbDatabase {
  readonly index: number;
  /** Key count; written as the RESIZEDB hint, databases with 0 are skipped. */
  readonly size: number;
  /** Keys with a TTL; written as the RESIZEDB hint. */
  readonly expiresCount: number;
  entries(): Iterable<RdbEntry>;
}

export interface RdbReplicationInfo {
  /** The db the replication stream has selected (-1 when none: written as 0, like Redis). */
  readonly streamDb: number;
  /** 40 hex chars. */
  readonly replId: string;
  readonly offset: number;
}

export interface RdbAuxInfo {
  /** Default 7.0.15: what this node claims to be. */
  readonly redisVersion?: string;
  /** Seconds since the epoch; default: now. */
  readonly ctime?: number;
  /** Bytes; default: process heap in use. */
  readonly usedMem?: number;
  /** Written as repl-stream-db / repl-id / repl-offset when present (Redis writes them when it has an rdbSaveInfo). */
  readonly replication?: RdbReplicationInfo;
  /** True for the base file of a multi-part AOF. */
  readonly aofBase?: boolean;
}

export interface RdbSource {
  readonly databases: Iterable<RdbDatabase>;
  readonly aux?: RdbAuxInfo;
  /** Function libraries' code, written after the aux fields as Redis's rdbSaveFunctions does. */
  readonly functions?: readonly string[];
}

export interface RdbWriterOptions {
  /** LZF-compress strings longer than 20 bytes (rdbcompression). Default true. */
  readonly compression?: boolean;
  /** Output chunk size in bytes. Default 64 KiB. */
  readonly chunkSize?: number;
  /** The async writer yields to the event loop after this much uninterrupted work. Default 10 ms. */
  readonly sliceMs?: number;
  /**
   * Hashes and sorted sets within these limits are written as one listpack, as Redis writes its
   * listpack-encoded values (smaller files, faster loads); bigger ones field by field.
   * Defaults: Redis's hash-/zset-max-listpack-entries 128 and -value 64.
   */
  readonly listpackLimits?: ListpackLimits;
}

export interface ListpackLimits {
  readonly hashEntries: number;
  readonly hashValue: number;
  readonly zsetEntries: number;
  readonly zsetValue: number;
}

const DEFAULT_LISTPACK_LIMITS: ListpackLimits = { hashEntries: 128, hashValue: 64, zsetEntries: 128, zsetValue: 64 };

/**
 * Which compact encoding a collection is written in. A saved file judges by content against the
 * listpack limits; DUMP follows the encoding the key actually has, as Redis's rdbSaveObject does.
 */
export interface EncodingPolicy {
  hashAsListpack(hash: Map<string, string>): boolean;
  zsetAsListpack(zset: SortedSet): boolean;
  setAsIntset(set: Set<string>): boolean;
}

export interface RdbWriteSummary {
  readonly keys: number;
  readonly bytes: number;
}

export const DEFAULT_REDIS_VERSION = '7.0.15';
const DEFAULT_CHUNK_SIZE = 64 * 1024;
const DEFAULT_SLICE_MS = 10;
/** How many keys between looks at the clock. */
const KEYS_PER_CHECKPOINT = 64;
/** Quicklist node size limit, as Redis's default list-max-listpack-size -2 (8 KiB). */
const LIST_NODE_MAX_BYTES = 8192;
/** Listpack headers count at most 65535 entries. */
const LIST_NODE_MAX_ENTRIES = 65535;

/**
 * Produces the RDB file as a stream of chunks. Between chunks, and at least every sliceMs of
 * encoding, control returns to the event loop. The source must not change while this runs
 * (give it a snapshot). The generator's return value is a summary.
 *
 *   for await (const chunk of writeRdb(source)) if (!socket.write(chunk)) await once(socket, 'drain');
 */
export async function* writeRdb(source: RdbSource, options: RdbWriterOptions = {}): AsyncGenerator<Buffer, RdbWriteSummary, undefined> {
  const encoder = new RdbEncoder(options.chunkSize ?? DEFAULT_CHUNK_SIZE, options.compression ?? true);
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const serializer = new RdbSerializer(encoder, options.listpackLimits ?? DEFAULT_LISTPACK_LIMITS);
  let sliceStart = performance.now();
  for (const _ of serializer.run(source)) {
    for (const chunk of encoder.take()) yield chunk;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  for (const chunk of encoder.take()) yield chunk;
  return { keys: serializer.keys, bytes: encoder.bytesOut };
}

/**
 * Push form of writeRdb: hands every chunk to sink, waiting when sink returns a promise (backpressure).
 *
 *   await pipeRdb(source, (chunk) => { for (const r of replicas) r.write(chunk); });
 */
export async function pipeRdb(
  source: RdbSource,
  sink: (chunk: Buffer) => void | Promise<void>,
  options: RdbWriterOptions = {},
): Promise<RdbWriteSummary> {
  const chunks = writeRdb(source, options);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value;
    const pending = sink(next.value);
    if (pending) await pending;
  }
}

/** The whole RDB file in one buffer, synchronously: for tests, DEBUG RELOAD-style uses and small datasets. */
export function writeRdbToBuffer(source: RdbSource, options: RdbWriterOptions = {}): Buffer {
  const encoder = new RdbEncoder(options.chunkSize ?? DEFAULT_CHUNK_SIZE, options.compression ?? true);
  const serializer = new RdbSerializer(encoder, options.listpackLimits ?? DEFAULT_LISTPACK_LIMITS);
  const chunks: Buffer[] = [];
  for (const _ of serializer.run(source)) chunks.push(...encoder.take());
  chunks.push(...encoder.take());
  return Buffer.concat(chunks);
}

/** Adapts plain maps (a Db's data and expires) to RdbDatabase, for callers without a snapshot. */
export function databaseFromMaps(index: number, data: ReadonlyMap<string, Value>, expires: ReadonlyMap<string, number>): RdbDatabase {
  return {
    index,
    size: data.size,
    expiresCount: expires.size,
    *entries() {
      for (const [key, value] of data) yield { key, value, expireMs: expires.get(key) };
    },
  };
}

/**
 * Writes one value as a DUMP payload holds it: the type byte, then the value, with no key
 * (Redis's rdbSaveObjectType + rdbSaveObject).
 */
export function writeTypedValue(out: RdbEncoder, value: Value, policy: EncodingPolicy): void {
  new RdbSerializer(out, DEFAULT_LISTPACK_LIMITS, policy).writeValue(undefined, value);
}

class RdbSerializer {
  keys = 0;
  private listpack: ListpackBuilder | null = null;
  private readonly policy: EncodingPolicy;

  constructor(
    private readonly out: RdbEncoder,
    private readonly limits: ListpackLimits,
    policy?: EncodingPolicy,
  ) {
    this.policy = policy ?? {
      hashAsListpack: (hash) => this.hashFitsListpack(hash),
      zsetAsListpack: (zset) => this.zsetFitsListpack(zset),
      setAsIntset: () => false,
    };
  }

  /** Encodes everything; yields every few keys so the driver can drain chunks and pace itself. */
  *run(source: RdbSource): Generator<void, void, undefined> {
    const out = this.out;
    for (const ch of `${RDB_MAGIC}${String(RDB_WRITE_VERSION).padStart(4, '0')}`) out.byte(ch.charCodeAt(0));
    this.writeAux(source.aux ?? {});
    for (const code of source.functions ?? []) {
      out.byte(RDB_OPCODE_FUNCTION2);
      out.string(code);
    }
    for (const db of source.databases) {
      if (db.size === 0) continue;
      let opened = false;
      let sinceCheckpoint = 0;
      for (const entry of db.entries()) {
        if (isEmptyCollection(entry.value)) continue; // Redis would skip it on load anyway.
        if (!opened) {
          // Opened lazily: a snapshot's size may count keys deleted since, so a db can turn out empty.
          out.byte(RDB_OPCODE_SELECTDB);
          out.length(db.index);
          out.byte(RDB_OPCODE_RESIZEDB);
          out.length(db.size);
          out.length(db.expiresCount);
          opened = true;
        }
        this.writeEntry(entry.key, entry.value, entry.expireMs);
        this.keys++;
        // Back to the driver as soon as a chunk is complete (a big value must not pile up chunks)
        // or after a few keys (so it can look at the clock).
        if (++sinceCheckpoint === KEYS_PER_CHECKPOINT || out.ready.length > 0) {
          sinceCheckpoint = 0;
          yield;
        }
      }
      yield;
    }
    out.byte(RDB_OPCODE_EOF);
    out.finishWithChecksum();
  }

  private writeAux(aux: RdbAuxInfo): void {
    this.auxField('redis-ver', aux.redisVersion ?? DEFAULT_REDIS_VERSION);
    this.auxField('redis-bits', '64');
    this.auxField('ctime', String(aux.ctime ?? Math.floor(Date.now() / 1000)));
    this.auxField('used-mem', String(aux.usedMem ?? process.memoryUsage().heapUsed));
    if (aux.replication) {
      this.auxField('repl-stream-db', String(Math.max(0, aux.replication.streamDb)));
      this.auxField('repl-id', aux.replication.replId);
      this.auxField('repl-offset', String(aux.replication.offset));
    }
    this.auxField('aof-base', aux.aofBase ? '1' : '0');
  }

  private auxField(name: string, value: string): void {
    this.out.byte(RDB_OPCODE_AUX);
    this.out.string(name);
    this.out.string(value);
  }

  private writeEntry(key: string, value: Value, expireMs: number | undefined): void {
    if (expireMs !== undefined) {
      this.out.byte(RDB_OPCODE_EXPIRETIME_MS);
      this.out.int64(expireMs);
    }
    this.writeValue(key, value);
  }

  /** The type byte, the key (a file has one, a DUMP payload not), then the value. */
  writeValue(key: string | undefined, value: Value): void {
    const out = this.out;
    const start = (type: number) => {
      out.byte(type);
      if (key !== undefined) out.string(key);
    };
    if (typeof value === 'string') {
      start(RDB_TYPE_STRING);
      out.string(value);
    } else if (value instanceof Map) {
      this.writeHash(start, value);
    } else if (value instanceof Set) {
      if (this.policy.setAsIntset(value)) {
        start(RDB_TYPE_SET_INTSET);
        out.blob(encodeIntset(value));
        return;
      }
      start(RDB_TYPE_SET);
      out.length(value.size);
      for (const member of value) out.string(member);
    } else if (value instanceof Deque) {
      start(RDB_TYPE_LIST_QUICKLIST_2);
      this.writeQuicklist(value);
    } else if (value instanceof Stream) {
      writeStream(out, key, value);
    } else {
      this.writeZset(start, value);
    }
  }

  private writeHash(start: (type: number) => void, hash: Map<string, string>): void {
    const out = this.out;
    if (this.policy.hashAsListpack(hash)) {
      start(RDB_TYPE_HASH_LISTPACK);
      const builder = this.listpackBuilder();
      for (const [field, value] of hash) {
        builder.append(field);
        builder.append(value);
      }
      out.blob(builder.finish());
      return;
    }
    start(RDB_TYPE_HASH);
    out.length(hash.size);
    for (const [field, value] of hash) {
      out.string(field);
      out.string(value);
    }
  }

  private writeZset(start: (type: number) => void, zset: SortedSet): void {
    const out = this.out;
    if (this.policy.zsetAsListpack(zset)) {
      start(RDB_TYPE_ZSET_LISTPACK);
      // Listpack sorted sets must be in (score, member) order: Redis relies on it.
      const builder = this.listpackBuilder();
      forEachZsetMember(zset, (member, score) => {
        builder.append(member);
        builder.append(listpackScoreText(score));
      });
      out.blob(builder.finish());
      return;
    }
    start(RDB_TYPE_ZSET_2);
    out.length(zsetSize(zset));
    forEachZsetMemberDescending(zset, (member, score) => {
      out.string(member);
      out.double(score);
    });
  }

  private listpackBuilder(): ListpackBuilder {
    const builder = (this.listpack ??= new ListpackBuilder());
    builder.reset();
    return builder;
  }

  private hashFitsListpack(hash: Map<string, string>): boolean {
    const { hashEntries, hashValue } = this.limits;
    if (hash.size > hashEntries) return false;
    for (const [field, value] of hash) if (field.length > hashValue || value.length > hashValue) return false;
    return true;
  }

  private zsetFitsListpack(zset: SortedSet): boolean {
    const { zsetEntries, zsetValue } = this.limits;
    if (zsetSize(zset) > zsetEntries) return false;
    let fits = true;
    forEachZsetMember(zset, (member) => {
      if (member.length > zsetValue) fits = false;
      return fits;
    });
    return fits;
  }

  /** A list as quicklist v2: the node count, then each node as a packed listpack of up to 8 KiB. */
  private writeQuicklist(list: Deque<string>): void {
    // First pass: node boundaries, because the node count comes before the nodes.
    const nodeSizes: number[] = [];
    let nodeBytes = 7; // header + terminator
    let nodeEntries = 0;
    for (const element of list) {
      const size = ListpackBuilder.encodedSize(element);
      if (nodeEntries > 0 && (nodeBytes + size > LIST_NODE_MAX_BYTES || nodeEntries === LIST_NODE_MAX_ENTRIES)) {
        nodeSizes.push(nodeEntries);
        nodeBytes = 7;
        nodeEntries = 0;
      }
      nodeBytes += size;
      nodeEntries++;
    }
    if (nodeEntries > 0) nodeSizes.push(nodeEntries);

    const out = this.out;
    out.length(nodeSizes.length);
    const builder = this.listpackBuilder();
    let node = 0;
    for (const element of list) {
      builder.append(element);
      if (builder.count === nodeSizes[node]) {
        out.length(QUICKLIST_NODE_CONTAINER_PACKED);
        out.blob(builder.finish());
        builder.reset();
        node++;
      }
    }
  }
}

function isEmptyCollection(value: Value): boolean {
  if (typeof value === 'string') return false;
  if (value instanceof Deque) return value.length === 0;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  // An empty stream is a key like any other (XADD MAXLEN 0, XDEL of its last entry).
  if (value instanceof Stream) return false;
  return zsetSize(value) === 0;
}
