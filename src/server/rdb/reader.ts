// Incremental RDB loader. Bytes are pushed in with write(chunk) as they arrive (from a replication
// socket or a file stream) and keys come out through callbacks as soon as each one is complete, so
// neither the file nor the dataset's encoded form is ever held whole.
//
// Parsing works in "units" (an opcode with its arguments, a key with a string or encoded value,
// one element of a plain collection, one quicklist node). A unit is parsed from the buffered bytes;
// if they run out mid-unit, the unit is rolled back and retried once at least the bytes it was
// missing have arrived, so a unit is decoded at most a couple of times whatever the chunking.
// Plain collections are built element by element across chunks, so a key with millions of
// elements never needs its whole encoding buffered.

import { constants as bufferConstants } from 'node:buffer';
import { Deque } from '../keyspace/deque';
import { readStream, type StreamSource } from './stream-reader';
import type { Value } from '../keyspace/values';
import { parseDouble } from '../resp/numbers';
import { latin1Slice } from './bytes';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_FIRST_CHECKSUM_VERSION,
  RDB_MAGIC,
  RDB_MAX_READ_VERSION,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_MODULE_PRE_GA,
  RDB_TYPE_NAMES,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants';
import { Crc64 } from './crc64';
import {
  CorruptBlobError,
  RDB_ERR_BAD_DOUBLE,
  RDB_ERR_BAD_SIGNATURE,
  RDB_ERR_BAD_VERSION,
  RDB_ERR_CHECKSUM,
  RDB_ERR_DATA_AFTER_END,
  RDB_ERR_DUP_HASH,
  RDB_ERR_DUP_SET,
  RDB_ERR_DUP_ZSET,
  RDB_ERR_EMPTY_QUICKLIST_NODE,
  RDB_ERR_FUNCTIONS,
  RDB_ERR_INTSET,
  RDB_ERR_INVALID_LZF,
  RDB_ERR_LENGTH_TOO_LARGE,
  RDB_ERR_LISTPACK,
  RDB_ERR_MODULE_AUX,
  RDB_ERR_ODD_PAIRS,
  RDB_ERR_QUICKLIST_CONTAINER,
  RDB_ERR_STRING_TOO_LONG,
  RDB_ERR_UNEXPECTED_EOF,
  RDB_ERR_UNKNOWN_LENGTH_ENCODING,
  RDB_ERR_UNKNOWN_STRING_ENCODING,
  RDB_ERR_UNKNOWN_TYPE,
  RDB_ERR_UNSUPPORTED_TYPE,
  RDB_ERR_ZIPLIST,
  RDB_ERR_ZSET_NAN,
  RdbError,
} from './errors';
import { decodeIntset } from './intset';
import { decodeListpack } from './listpack';
import { LZF_MAX_EXPANSION, lzfDecompress } from './lzf';
import { decodeZiplist } from './ziplist';
import { DEFAULT_ZSET_LIMITS, zsetFromMap, type ZSetLimits } from './zset-adapter';

export interface RdbHandlers {
  /** An AUX field (redis-ver, repl-id, ...), in file order. Unknown fields are reported too. */
  onAux?(name: string, value: string): void;
  onSelectDb?(db: number): void;
  /** RESIZEDB hint for the selected db: lets the loader pre-size. */
  onResizeDb?(keys: number, expires: number): void;
  /** A complete key. expireMs is absolute unix ms; keys already expired are reported too (the caller decides). */
  onEntry(db: number, key: string, value: Value, expireMs: number | undefined): void;
  /** A function library's code (RDB_OPCODE_FUNCTION2); without this handler such a file is refused. */
  onFunction?(code: string): void;
  /**
   * The payload ended. checksumOk is true when the CRC-64 was verified, false when the file carries
   * no checksum (saved with rdbchecksum no, or version < 5). A wrong checksum raises RdbError instead.
   */
  onEnd?(checksumOk: boolean): void;
}

export interface RdbReaderOptions {
  /** zset-max-listpack-* of the loading node, to give sorted sets the encoding Redis would. */
  readonly zsetLimits?: ZSetLimits;
}

export interface RdbReadSummary {
  readonly version: number;
  readonly keys: number;
  readonly emptyKeysSkipped: number;
  /** Bytes of the RDB payload, up to and including the checksum. */
  readonly bytes: number;
  readonly checksumOk: boolean;
}

const HEADER_LENGTH = 9;
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;
const MAX_BLOB_LENGTH = Math.min(bufferConstants.MAX_LENGTH, 2 ** 32);
const EMPTY = Buffer.alloc(0);
const MAX_KEPT_SCRATCH = 1 << 20;

/** Thrown (never escapes) when a unit needs bytes that have not arrived yet. Not an Error: no stack to capture. */
const NEED_MORE = { needMore: true };

const STATE_HEADER = 0;
const STATE_TOP = 1;
const STATE_COLLECTION = 2;
const STATE_CHECKSUM = 3;
const STATE_DONE = 4;

export class RdbReader {
  // Buffered input: buf[committed, buf.length) is unparsed, pending holds chunks not merged in yet.
  private buf: Buffer = EMPTY;
  private pos = 0;
  private committed = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Unparsed bytes the current unit needs before another attempt can succeed. */
  private need = 0;
  private needEnd = 0;

  private readonly crc = new Crc64();
  /** Bytes of buf before this index are already in the CRC. */
  private crcPos = 0;
  private crcClosed = false;

  private state = STATE_HEADER;
  private failure: unknown = null;
  private inHandler = false;

  private db = 0;
  private expireMs: number | undefined = undefined;

  // The plain collection being read element by element.
  private collectionType = 0;
  private collectionKey = '';
  private collectionRemaining = 0;
  private list: Deque<string> | null = null;
  private set: Set<string> | null = null;
  private hash: Map<string, string> | null = null;
  private zset: Map<string, number> | null = null;

  private readonly items: string[] = [];
  private lzfScratch = Buffer.allocUnsafe(4096);
  private readonly zsetLimits: ZSetLimits;

  /** RDB format version from the header (0 until read). */
  version = 0;
  /** Keys seen per RDB value type (index: the type byte), for diagnostics and tests. */
  readonly typeCounts = new Array<number>(32).fill(0);
  /** LZF-compressed strings decoded so far. */
  lzfStrings = 0;
  /** LZF strings decoded by the unit in progress: counted only if the unit completes. */
  private unitLzfStrings = 0;
  keys = 0;
  emptyKeysSkipped = 0;
  checksumOk = false;

  constructor(
    private readonly handlers: RdbHandlers,
    options: RdbReaderOptions = {},
  ) {
    this.zsetLimits = options.zsetLimits ?? DEFAULT_ZSET_LIMITS;
  }

  /** True once the EOF opcode and checksum have been read. */
  get done(): boolean {
    return this.state === STATE_DONE;
  }

  /** Bytes of the stream fully parsed so far; once done, the exact size of the RDB payload. */
  get bytesConsumed(): number {
    return this.base + this.committed;
  }

  /**
   * Feeds the next bytes. Returns how many bytes of this chunk belong to the RDB payload: all of
   * them, except in the chunk where the payload ends, where the rest (the replication stream, an
   * AOF tail...) is left to the caller. Returns 0 once done. Throws RdbError on corrupt input.
   * The reader may keep a reference to the chunk: do not modify it afterwards.
   */
  write(chunk: Buffer): number {
    if (this.failure) throw this.failure;
    if (this.state === STATE_DONE || chunk.length === 0) return 0;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.buf.length - this.committed + this.pendingBytes < this.need) return chunk.length;
    this.merge();
    this.parse();
    if (this.state !== STATE_DONE) return chunk.length;
    // The payload necessarily ended inside this chunk: earlier chunks were only buffered while
    // the unit in progress lacked bytes, and those bytes all belong to the payload.
    const leftover = this.buf.length - this.committed;
    this.base += this.committed;
    this.buf = EMPTY;
    this.pos = this.committed = 0;
    return chunk.length - leftover;
  }

  /** Declares the end of input. Throws RdbError when the payload is incomplete. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.state === STATE_DONE) return;
    const received = this.base + this.buf.length + this.pendingBytes;
    throw this.fail(new RdbError(RDB_ERR_UNEXPECTED_EOF, received));
  }

  private merge(): void {
    const start = this.committed;
    if (!this.crcClosed && start > this.crcPos) this.crc.update(this.buf, this.crcPos, start);
    const rest = this.buf.length - start;
    if (rest === 0 && this.pending.length === 1) {
      this.buf = this.pending[0];
    } else {
      const parts = rest === 0 ? this.pending : [this.buf.subarray(start), ...this.pending];
      this.buf = Buffer.concat(parts, rest + this.pendingBytes);
    }
    this.base += start;
    this.pos = this.committed = this.crcPos = 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
  }

  private parse(): void {
    try {
      for (;;) {
        const state = this.state;
        if (state === STATE_TOP) this.readTopLevel();
        else if (state === STATE_COLLECTION) this.readCollectionElements();
        else if (state === STATE_HEADER) this.readHeader();
        else if (state === STATE_CHECKSUM) this.readChecksum();
        else return;
        this.commit();
      }
    } catch (error) {
      if (error === NEED_MORE) {
        this.need = this.needEnd - this.committed;
        this.pos = this.committed;
        this.unitLzfStrings = 0;
        return;
      }
      throw this.fail(error);
    }
  }

  /** Marks everything parsed so far as final: a later lack of bytes rolls back only to here. */
  private commit(): void {
    this.committed = this.pos;
    if (this.unitLzfStrings !== 0) {
      this.lzfStrings += this.unitLzfStrings;
      this.unitLzfStrings = 0;
      // One huge compressed value should not pin its size in memory for the rest of the load.
      if (this.lzfScratch.length > MAX_KEPT_SCRATCH) this.lzfScratch = Buffer.allocUnsafe(4096);
    }
  }

  private fail(error: unknown): unknown {
    if (this.inHandler || error instanceof RdbError) {
      this.failure = error;
    } else {
      // A decoding path this reader did not anticipate: still report it as corrupt input.
      const message = error instanceof Error ? error.message : String(error);
      this.failure = new RdbError(`Corrupt RDB payload: ${message}`, this.base + this.committed);
    }
    this.inHandler = false;
    return this.failure;
  }

  private error(reason: string, at: number = this.pos): RdbError {
    return new RdbError(reason, this.base + at);
  }

  // ---------------------------------------------------------------------------------------------
  // Primitive reads. Each throws NEED_MORE when the buffered bytes end before the value does.

  private more(from: number, bytes: number): never {
    this.needEnd = from + bytes;
    throw NEED_MORE;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.more(this.pos, bytes);
  }

  private byte(): number {
    if (this.pos >= this.buf.length) this.more(this.pos, 1);
    return this.buf[this.pos++];
  }

  /** rdbLoadLen for a plain length (a count, a db number...): special encodings are corruption. */
  private readLength(): number {
    const at = this.pos;
    const first = this.byte();
    if (first < 0x40) return first;
    if (first < 0x80) return ((first & 0x3f) << 8) | this.byte();
    return this.readLongLength(first, at);
  }

  private readLongLength(first: number, at: number): number {
    if (first === 0x80) {
      this.ensure(4);
      const value = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return value;
    }
    if (first === 0x81) {
      this.ensure(8);
      const high = this.buf.readUInt32BE(this.pos);
      const low = this.buf.readUInt32BE(this.pos + 4);
      this.pos += 8;
      if (high >= 0x200000) throw this.error(RDB_ERR_LENGTH_TOO_LARGE((BigInt(high) << 32n) | BigInt(low)), at);
      return high * 0x100000000 + low;
    }
    throw this.error(RDB_ERR_UNKNOWN_LENGTH_ENCODING(first), at);
  }

  /** A string value in any of its encodings, as a latin1 JS string. */
  private readString(): string {
    const buf = this.buf;
    const pos = this.pos;
    if (pos >= buf.length) this.more(pos, 1);
    const first = buf[pos];
    if (first < 0x40) {
      const end = pos + 1 + first;
      if (end > buf.length) this.more(pos, 1 + first);
      this.pos = end;
      return latin1Slice(buf, pos + 1, end);
    }
    return this.readStringSlow();
  }

  private readStringSlow(): string {
    const at = this.pos;
    const first = this.byte();
    if (first >= 0xc0) {
      const encoding = first & 0x3f;
      if (encoding === RDB_ENC_LZF) {
        const data = this.readLzf(at);
        if (data.length > MAX_STRING_LENGTH) throw this.error(RDB_ERR_STRING_TOO_LONG(data.length), at);
        return latin1Slice(data, 0, data.length);
      }
      return String(this.readEncodedInteger(encoding, at));
    }
    const length = first < 0x80 ? ((first & 0x3f) << 8) | this.byte() : this.readLongLength(first, at);
    if (length > MAX_STRING_LENGTH) throw this.error(RDB_ERR_STRING_TOO_LONG(length), at);
    this.ensure(length);
    const start = this.pos;
    this.pos += length;
    return latin1Slice(this.buf, start, start + length);
  }

  /** A string value as bytes (for embedded encodings). Valid only until the next merge: decode at once. */
  private readBlob(): Buffer {
    const at = this.pos;
    const first = this.byte();
    if (first >= 0xc0) {
      const encoding = first & 0x3f;
      if (encoding === RDB_ENC_LZF) return this.readLzf(at);
      return Buffer.from(String(this.readEncodedInteger(encoding, at)), 'latin1');
    }
    const length = first < 0x40 ? first : first < 0x80 ? ((first & 0x3f) << 8) | this.byte() : this.readLongLength(first, at);
    if (length > MAX_BLOB_LENGTH) throw this.error(RDB_ERR_LENGTH_TOO_LARGE(length), at);
    this.ensure(length);
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, start + length);
  }

  private readEncodedInteger(encoding: number, at: number): number {
    if (encoding === RDB_ENC_INT8) {
      this.ensure(1);
      return this.buf.readInt8(this.pos++);
    }
    if (encoding === RDB_ENC_INT16) {
      this.ensure(2);
      const value = this.buf.readInt16LE(this.pos);
      this.pos += 2;
      return value;
    }
    if (encoding === RDB_ENC_INT32) {
      this.ensure(4);
      const value = this.buf.readInt32LE(this.pos);
      this.pos += 4;
      return value;
    }
    throw this.error(RDB_ERR_UNKNOWN_STRING_ENCODING(encoding), at);
  }

  private readLzf(at: number): Buffer {
    const compressedLength = this.readLength();
    const length = this.readLength();
    // Checked before waiting for or allocating anything: a bogus header must not cost memory.
    if (length > MAX_BLOB_LENGTH || length > compressedLength * LZF_MAX_EXPANSION || (compressedLength === 0) !== (length === 0)) {
      throw this.error(RDB_ERR_INVALID_LZF, at);
    }
    this.ensure(compressedLength);
    const start = this.pos;
    this.pos += compressedLength;
    this.unitLzfStrings++;
    // Decompressed data is decoded or copied into strings at once, so one scratch buffer serves all.
    if (this.lzfScratch.length < length) this.lzfScratch = Buffer.allocUnsafe(Math.max(length, this.lzfScratch.length * 2));
    try {
      return lzfDecompress(this.buf, start, start + compressedLength, length, this.lzfScratch);
    } catch (error) {
      if (error instanceof CorruptBlobError) throw this.error(`${RDB_ERR_INVALID_LZF}: ${error.message}`, at);
      throw error;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Units.

  private readHeader(): void {
    this.ensure(HEADER_LENGTH);
    const buf = this.buf;
    const start = this.pos;
    if (latin1Slice(buf, start, start + 5) !== RDB_MAGIC) throw this.error(RDB_ERR_BAD_SIGNATURE, start);
    const digits = latin1Slice(buf, start + 5, start + HEADER_LENGTH);
    const version = /^\d{4}$/.test(digits) ? Number(digits) : NaN;
    if (!(version >= 1 && version <= RDB_MAX_READ_VERSION)) throw this.error(RDB_ERR_BAD_VERSION(JSON.stringify(digits)), start + 5);
    this.version = version;
    this.pos = start + HEADER_LENGTH;
    this.state = STATE_TOP;
  }

  private readTopLevel(): void {
    const at = this.pos;
    const type = this.byte();
    if (type < 32) {
      this.readKeyValue(type, at);
      this.typeCounts[type]++;
      return;
    }
    switch (type) {
      case RDB_OPCODE_EXPIRETIME_MS: {
        this.ensure(8);
        const low = this.buf.readUInt32LE(this.pos);
        const high = this.buf.readInt32LE(this.pos + 4);
        this.pos += 8;
        this.expireMs = high * 0x100000000 + low;
        return;
      }
      case RDB_OPCODE_EXPIRETIME: {
        this.ensure(4);
        this.expireMs = this.buf.readInt32LE(this.pos) * 1000;
        this.pos += 4;
        return;
      }
      case RDB_OPCODE_SELECTDB: {
        const db = this.readLength();
        this.db = db;
        this.callHandler(() => this.handlers.onSelectDb?.(db));
        return;
      }
      case RDB_OPCODE_RESIZEDB: {
        const keys = this.readLength();
        const expires = this.readLength();
        this.callHandler(() => this.handlers.onResizeDb?.(keys, expires));
        return;
      }
      case RDB_OPCODE_AUX: {
        const name = this.readString();
        const value = this.readString();
        this.callHandler(() => this.handlers.onAux?.(name, value));
        return;
      }
      case RDB_OPCODE_IDLE:
        this.readLength(); // LRU idle seconds: this node keeps no LRU clock per key.
        return;
      case RDB_OPCODE_FREQ:
        this.byte(); // LFU counter: likewise.
        return;
      case RDB_OPCODE_EOF:
        this.crc.update(this.buf, this.crcPos, this.pos);
        this.crcPos = this.pos;
        this.crcClosed = true;
        if (this.version >= RDB_FIRST_CHECKSUM_VERSION) {
          this.state = STATE_CHECKSUM;
        } else {
          this.finish(false);
        }
        return;
      case RDB_OPCODE_MODULE_AUX:
        throw this.error(RDB_ERR_MODULE_AUX, at);
      case RDB_OPCODE_FUNCTION2: {
        const onFunction = this.handlers.onFunction;
        if (!onFunction) throw this.error(RDB_ERR_FUNCTIONS, at);
        const code = this.readString();
        this.callHandler(() => onFunction.call(this.handlers, code));
        return;
      }
      case RDB_OPCODE_FUNCTION_PRE_GA:
        throw this.error(RDB_ERR_FUNCTIONS, at);
      default:
        throw this.error(RDB_ERR_UNKNOWN_TYPE(type), at);
    }
  }

  private readChecksum(): void {
    this.ensure(8);
    const buf = this.buf;
    const at = this.pos;
    this.pos += 8;
    const stored = buf.readBigUInt64LE(at);
    if (stored === 0n) {
      this.finish(false);
    } else if (this.crc.matches(buf, at)) {
      this.finish(true);
    } else {
      throw this.error(RDB_ERR_CHECKSUM(this.crc.digest().toString(16), stored.toString(16)), at);
    }
  }

  private finish(checksumOk: boolean): void {
    this.checksumOk = checksumOk;
    this.state = STATE_DONE;
    this.callHandler(() => this.handlers.onEnd?.(checksumOk));
  }

  private readKeyValue(type: number, at: number): void {
    switch (type) {
      case RDB_TYPE_STRING: {
        const key = this.readString();
        const value = this.readString();
        this.emit(key, value);
        return;
      }
      case RDB_TYPE_LIST:
      case RDB_TYPE_SET:
      case RDB_TYPE_ZSET:
      case RDB_TYPE_ZSET_2:
      case RDB_TYPE_HASH:
      case RDB_TYPE_LIST_QUICKLIST:
      case RDB_TYPE_LIST_QUICKLIST_2:
        this.startCollection(type, this.readString(), this.readLength());
        return;
      case RDB_TYPE_LIST_ZIPLIST:
      case RDB_TYPE_SET_INTSET:
      case RDB_TYPE_ZSET_ZIPLIST:
      case RDB_TYPE_HASH_ZIPLIST:
      case RDB_TYPE_HASH_LISTPACK:
      case RDB_TYPE_ZSET_LISTPACK:
      case RDB_TYPE_SET_LISTPACK: {
        const key = this.readString();
        const blobAt = this.pos;
        const value = this.decodeEncodedValue(type, this.readBlob(), blobAt);
        if (value === null) this.skipEmptyKey();
        else this.emit(key, value);
        return;
      }
      case RDB_TYPE_STREAM_LISTPACKS:
      case RDB_TYPE_STREAM_LISTPACKS_2:
      case RDB_TYPE_STREAM_LISTPACKS_3: {
        const key = this.readString();
        this.emit(key, readStream(this.streamSource(), type));
        return;
      }
      case RDB_TYPE_HASH_ZIPMAP:
      case RDB_TYPE_MODULE_PRE_GA:
      case RDB_TYPE_MODULE_2:
        throw this.error(RDB_ERR_UNSUPPORTED_TYPE(type, RDB_TYPE_NAMES[type]), at);
      default:
        throw this.error(RDB_ERR_UNKNOWN_TYPE(type), at);
    }
  }

  /** The primitives stream-reader.ts reads a stream with. */
  private streamSource(): StreamSource {
    return {
      length: () => this.readLength(),
      length64: () => this.readLength64(),
      string: () => this.readString(),
      blob: () => Buffer.from(this.readBlob()),
      millis: () => {
        this.ensure(8);
        const value = Number(this.buf.readBigInt64LE(this.pos));
        this.pos += 8;
        return value;
      },
      raw: (length) => {
        this.ensure(length);
        const bytes = Buffer.from(this.buf.subarray(this.pos, this.pos + length));
        this.pos += length;
        return bytes;
      },
      corrupt: (reason) => this.error(reason),
    };
  }

  /** rdbLoadLen for 64-bit values (stream IDs, counters). */
  private readLength64(): bigint {
    const at = this.pos;
    const first = this.byte();
    if (first === 0x81) {
      this.ensure(8);
      const value = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return value;
    }
    this.pos = at;
    return BigInt(this.readLength());
  }

  private emit(key: string, value: Value): void {
    const expireMs = this.expireMs;
    this.expireMs = undefined;
    this.keys++;
    this.inHandler = true;
    this.handlers.onEntry(this.db, key, value, expireMs);
    this.inHandler = false;
  }

  /** Redis skips empty collections (older versions could save them) instead of failing the load. */
  private skipEmptyKey(): void {
    this.expireMs = undefined;
    this.emptyKeysSkipped++;
  }

  private callHandler(call: () => void): void {
    this.inHandler = true;
    call();
    this.inHandler = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Plain collections, element by element.

  private startCollection(type: number, key: string, count: number): void {
    if (count === 0) {
      this.skipEmptyKey();
      return;
    }
    this.collectionType = type;
    this.collectionKey = key;
    this.collectionRemaining = count;
    // No pre-sizing from the count: it is untrusted until the elements actually arrive.
    if (type === RDB_TYPE_SET) this.set = new Set();
    else if (type === RDB_TYPE_HASH) this.hash = new Map();
    else if (type === RDB_TYPE_ZSET || type === RDB_TYPE_ZSET_2) this.zset = new Map();
    else this.list = new Deque<string>();
    this.state = STATE_COLLECTION;
  }

  private readCollectionElements(): void {
    switch (this.collectionType) {
      case RDB_TYPE_LIST: {
        const list = this.list as Deque<string>;
        while (this.collectionRemaining > 0) {
          list.pushBack(this.readString());
          this.collectionRemaining--;
          this.commit();
        }
        break;
      }
      case RDB_TYPE_SET: {
        const set = this.set as Set<string>;
        while (this.collectionRemaining > 0) {
          const at = this.pos;
          const member = this.readString();
          const before = set.size;
          set.add(member);
          if (set.size === before) throw this.error(RDB_ERR_DUP_SET, at);
          this.collectionRemaining--;
          this.commit();
        }
        break;
      }
      case RDB_TYPE_HASH: {
        const hash = this.hash as Map<string, string>;
        while (this.collectionRemaining > 0) {
          const at = this.pos;
          const field = this.readString();
          const value = this.readString();
          const before = hash.size;
          hash.set(field, value);
          if (hash.size === before) throw this.error(RDB_ERR_DUP_HASH, at);
          this.collectionRemaining--;
          this.commit();
        }
        break;
      }
      case RDB_TYPE_ZSET:
      case RDB_TYPE_ZSET_2: {
        const zset = this.zset as Map<string, number>;
        const binary = this.collectionType === RDB_TYPE_ZSET_2;
        while (this.collectionRemaining > 0) {
          const at = this.pos;
          const member = this.readString();
          const score = binary ? this.readBinaryDouble() : this.readTextDouble();
          if (Number.isNaN(score)) throw this.error(RDB_ERR_ZSET_NAN, at);
          const before = zset.size;
          zset.set(member, score);
          if (zset.size === before) throw this.error(RDB_ERR_DUP_ZSET, at);
          this.collectionRemaining--;
          this.commit();
        }
        break;
      }
      default: {
        const list = this.list as Deque<string>;
        const v2 = this.collectionType === RDB_TYPE_LIST_QUICKLIST_2;
        while (this.collectionRemaining > 0) {
          this.readQuicklistNode(list, v2);
          this.collectionRemaining--;
          this.commit();
        }
      }
    }
    this.finishCollection();
  }

  private readQuicklistNode(list: Deque<string>, v2: boolean): void {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (v2) {
      const at = this.pos;
      container = this.readLength();
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        throw this.error(RDB_ERR_QUICKLIST_CONTAINER, at);
      }
    }
    const blobAt = this.pos;
    const blob = this.readBlob();
    if (blob.length === 0) throw this.error(RDB_ERR_EMPTY_QUICKLIST_NODE, blobAt);
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      list.pushBack(latin1Slice(blob, 0, blob.length));
      return;
    }
    const items = this.decodeItems(blob, blobAt, v2 ? decodeListpack : decodeZiplist, v2 ? RDB_ERR_LISTPACK : RDB_ERR_ZIPLIST);
    for (let i = 0; i < items.length; i++) list.pushBack(items[i]);
  }

  private finishCollection(): void {
    const key = this.collectionKey;
    let value: Value;
    switch (this.collectionType) {
      case RDB_TYPE_SET:
        value = this.set as Set<string>;
        break;
      case RDB_TYPE_HASH:
        value = this.hash as Map<string, string>;
        break;
      case RDB_TYPE_ZSET:
      case RDB_TYPE_ZSET_2:
        value = zsetFromMap(this.zset as Map<string, number>, this.zsetLimits);
        break;
      default:
        value = this.list as Deque<string>;
    }
    this.set = this.hash = this.zset = this.list = null;
    this.collectionKey = '';
    this.state = STATE_TOP;
    // Quicklists whose nodes were all empty end up empty, which Redis also skips.
    if (value instanceof Deque && value.length === 0) this.skipEmptyKey();
    else this.emit(key, value);
  }

  private readBinaryDouble(): number {
    this.ensure(8);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** rdbLoadDoubleValue: a length byte (253 NaN, 254 +inf, 255 -inf) then that many ASCII chars. */
  private readTextDouble(): number {
    const at = this.pos;
    const length = this.byte();
    if (length === 253) return NaN;
    if (length === 254) return Infinity;
    if (length === 255) return -Infinity;
    this.ensure(length);
    const text = latin1Slice(this.buf, this.pos, this.pos + length);
    this.pos += length;
    const value = parseDouble(text);
    if (value === null) throw this.error(RDB_ERR_BAD_DOUBLE, at);
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // Embedded encodings (ziplist, listpack, intset): decoded whole.

  private decodeItems(blob: Buffer, blobAt: number, decode: (blob: Buffer, out: string[]) => unknown, reason: string): string[] {
    const items = this.items;
    items.length = 0;
    try {
      decode(blob, items);
    } catch (error) {
      if (error instanceof CorruptBlobError) throw this.error(`${reason} ${error.message}`, blobAt);
      throw error;
    }
    return items;
  }

  /** Builds the value of a key stored in an embedded encoding; null when it is empty. */
  private decodeEncodedValue(type: number, blob: Buffer, blobAt: number): Value | null {
    switch (type) {
      case RDB_TYPE_LIST_ZIPLIST: {
        const items = this.decodeItems(blob, blobAt, decodeZiplist, RDB_ERR_ZIPLIST);
        return items.length === 0 ? null : Deque.from(items);
      }
      case RDB_TYPE_SET_INTSET:
      case RDB_TYPE_SET_LISTPACK: {
        const items =
          type === RDB_TYPE_SET_INTSET
            ? this.decodeItems(blob, blobAt, decodeIntset, RDB_ERR_INTSET)
            : this.decodeItems(blob, blobAt, decodeListpack, RDB_ERR_LISTPACK);
        if (items.length === 0) return null;
        const set = new Set(items);
        if (set.size !== items.length) throw this.error(RDB_ERR_DUP_SET, blobAt);
        return set;
      }
      case RDB_TYPE_HASH_ZIPLIST:
      case RDB_TYPE_HASH_LISTPACK: {
        const items =
          type === RDB_TYPE_HASH_ZIPLIST
            ? this.decodeItems(blob, blobAt, decodeZiplist, RDB_ERR_ZIPLIST)
            : this.decodeItems(blob, blobAt, decodeListpack, RDB_ERR_LISTPACK);
        if (items.length === 0) return null;
        if (items.length % 2 !== 0) throw this.error(RDB_ERR_ODD_PAIRS, blobAt);
        const hash = new Map<string, string>();
        for (let i = 0; i < items.length; i += 2) hash.set(items[i], items[i + 1]);
        if (hash.size * 2 !== items.length) throw this.error(RDB_ERR_DUP_HASH, blobAt);
        return hash;
      }
      default: {
        // RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_ZSET_LISTPACK: member, score, member, score...
        const items =
          type === RDB_TYPE_ZSET_ZIPLIST
            ? this.decodeItems(blob, blobAt, decodeZiplist, RDB_ERR_ZIPLIST)
            : this.decodeItems(blob, blobAt, decodeListpack, RDB_ERR_LISTPACK);
        if (items.length === 0) return null;
        if (items.length % 2 !== 0) throw this.error(RDB_ERR_ODD_PAIRS, blobAt);
        const members = new Map<string, number>();
        for (let i = 0; i < items.length; i += 2) {
          const score = parseDouble(items[i + 1]);
          if (score === null) throw this.error(RDB_ERR_BAD_DOUBLE, blobAt);
          members.set(items[i], score);
        }
        if (members.size * 2 !== items.length) throw this.error(RDB_ERR_DUP_ZSET, blobAt);
        return zsetFromMap(members, this.zsetLimits);
      }
    }
  }
}

/**
 * Reads a whole RDB payload from an iterable of chunks (a file stream, a buffer list).
 * Bytes after the payload are refused unless allowTrailingData (an RDB-preamble AOF continues
 * with commands): then reading stops at the payload's end.
 */
export async function readRdb(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  handlers: RdbHandlers,
  options: RdbReaderOptions & { readonly allowTrailingData?: boolean } = {},
): Promise<RdbReadSummary> {
  const reader = new RdbReader(handlers, options);
  for await (const chunk of chunks) {
    const used = reader.write(chunk);
    if (reader.done) {
      if (used < chunk.length && !options.allowTrailingData) throw new RdbError(RDB_ERR_DATA_AFTER_END, reader.bytesConsumed);
      if (options.allowTrailingData) break;
    }
  }
  reader.end();
  return summarize(reader);
}

/** Synchronous form of readRdb for a payload already in memory. */
export function readRdbBuffer(data: Buffer, handlers: RdbHandlers, options: RdbReaderOptions = {}): RdbReadSummary {
  const reader = new RdbReader(handlers, options);
  const used = reader.write(data);
  reader.end();
  if (used < data.length) throw new RdbError(RDB_ERR_DATA_AFTER_END, reader.bytesConsumed);
  return summarize(reader);
}

function summarize(reader: RdbReader): RdbReadSummary {
  return {
    version: reader.version,
    keys: reader.keys,
    emptyKeysSkipped: reader.emptyKeysSkipped,
    bytes: reader.bytesConsumed,
    checksumOk: reader.checksumOk,
  };
}
