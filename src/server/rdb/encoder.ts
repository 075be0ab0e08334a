// Low-level RDB output: fills fixed-size chunks with the encodings of rdb.c (lengths, strings with
// integer and LZF encodings, binary doubles) and keeps the running CRC-64 of everything emitted.
// Completed chunks wait in `ready` until the driver (writer.ts) hands them on.

import { parseInt64 } from '../resp/numbers';
import { latin1Write } from './bytes';
import { Crc64 } from './crc64';
import { lzfCompress } from './lzf';
import {
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_6BITLEN,
  RDB_ENCVAL,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
} from './constants';

/** Redis does not try LZF on 20 bytes or less: nothing that short compresses. */
const LZF_MIN_LENGTH = 21;
/** Strings up to this many chars are copied char by char; longer ones with a native write. */
const SHORT_STRING = 24;
/** Scratch buffers above this size are dropped after use rather than kept for the whole save. */
const MAX_KEPT_SCRATCH = 1 << 20;

export class RdbEncoder {
  private buf: Buffer;
  private pos = 0;
  private readonly crc = new Crc64();
  private scratch = Buffer.allocUnsafe(4096);
  private compressed = Buffer.allocUnsafe(4096);
  /** Chunks completed and not yet taken. */
  ready: Buffer[] = [];
  /** Bytes moved to `ready` so far. */
  bytesOut = 0;

  constructor(
    private readonly chunkSize: number,
    private readonly compression: boolean,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** Takes the completed chunks. */
  take(): Buffer[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Ends the current chunk (if it holds anything) and moves it to `ready`. */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.emit(chunk);
    this.buf = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
  }

  private emit(chunk: Buffer): void {
    this.crc.update(chunk);
    this.ready.push(chunk);
    this.bytesOut += chunk.length;
  }

  /** Writes the EOF opcode's trailing checksum; everything before it is covered by the CRC. */
  finishWithChecksum(): void {
    this.flush();
    const digest = this.crc.digestBytes();
    this.ready.push(digest);
    this.bytesOut += digest.length;
  }

  private room(bytes: number): void {
    if (this.pos + bytes > this.buf.length) {
      this.flush();
      if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
    }
  }

  byte(value: number): void {
    if (this.pos >= this.buf.length) this.flush();
    this.buf[this.pos++] = value;
  }

  /**
   * Raw bytes. Big ones become chunks of their own: without a copy when the caller hands over
   * ownership, else copied (the caller may reuse its buffer).
   */
  bytes(data: Buffer, owned = false): void {
    if (data.length > this.chunkSize >>> 1) {
      this.flush();
      this.emit(owned ? data : Buffer.from(data));
      return;
    }
    this.room(data.length);
    data.copy(this.buf, this.pos);
    this.pos += data.length;
  }

  /** rdbSaveLen. */
  length(value: number): void {
    this.room(9);
    const buf = this.buf;
    if (value < 0x40) {
      buf[this.pos++] = (RDB_6BITLEN << 6) | value;
    } else if (value < 0x4000) {
      buf[this.pos++] = (RDB_14BITLEN << 6) | (value >>> 8);
      buf[this.pos++] = value & 0xff;
    } else if (value <= 0xffffffff) {
      buf[this.pos++] = RDB_32BITLEN;
      buf.writeUInt32BE(value, this.pos);
      this.pos += 4;
    } else {
      buf[this.pos++] = RDB_64BITLEN;
      buf.writeBigUInt64BE(BigInt(value), this.pos);
      this.pos += 8;
    }
  }

  /** A little-endian signed 64-bit integer (EXPIRETIME_MS). */
  int64(value: number): void {
    this.room(8);
    this.buf.writeBigInt64LE(BigInt(value), this.pos);
    this.pos += 8;
  }

  /** A binary little-endian double (ZSET_2 scores). */
  double(value: number): void {
    this.room(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** rdbSaveRawString for a latin1 string: integer encoding, else LZF, else verbatim. */
  string(text: string): void {
    const n = text.length;
    if (n <= 11 && n > 0) {
      const value = int32Value(text);
      if (value !== null) {
        this.integer(value);
        return;
      }
    }
    if (this.compression && n >= LZF_MIN_LENGTH) {
      const raw = this.scratchFor(n);
      latin1Write(raw, text, 0);
      if (this.tryLzf(raw, n)) return;
      this.length(n);
      this.bytesFrom(raw, n);
      return;
    }
    this.length(n);
    if (n <= SHORT_STRING) {
      this.room(n);
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
      this.pos = p;
    } else if (this.pos + n <= this.buf.length) {
      this.pos += latin1Write(this.buf, text, this.pos);
    } else if (n > this.chunkSize >>> 1) {
      this.flush();
      this.emit(Buffer.from(text, 'latin1'));
    } else {
      this.room(n);
      this.pos += latin1Write(this.buf, text, this.pos);
    }
  }

  /** rdbSaveRawString for bytes that are never integers (listpacks): LZF, else verbatim. */
  blob(data: Buffer): void {
    if (this.compression && data.length >= LZF_MIN_LENGTH && this.tryLzf(data, data.length)) return;
    this.length(data.length);
    this.bytes(data);
  }

  private integer(value: number): void {
    this.room(5);
    const buf = this.buf;
    if (value >= -128 && value <= 127) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      buf[this.pos++] = value & 0xff;
    } else if (value >= -32768 && value <= 32767) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      buf.writeInt16LE(value, this.pos);
      this.pos += 2;
    } else {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      buf.writeInt32LE(value, this.pos);
      this.pos += 4;
    }
  }

  /** Writes data[0, n) LZF-compressed when that saves at least 4 bytes, as Redis requires. */
  private tryLzf(data: Buffer, n: number): boolean {
    const limit = n - 4;
    if (this.compressed.length < limit) this.compressed = Buffer.allocUnsafe(limit);
    const compressedLength = lzfCompress(data, 0, n, this.compressed, 0, limit);
    if (compressedLength === 0) {
      this.releaseScratch();
      return false;
    }
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.length(compressedLength);
    this.length(n);
    this.bytesFrom(this.compressed, compressedLength);
    this.releaseScratch();
    return true;
  }

  private bytesFrom(source: Buffer, n: number): void {
    if (n > this.chunkSize >>> 1) {
      this.flush();
      // The scratch buffer is reused, so the chunk needs its own copy.
      this.emit(Buffer.from(source.subarray(0, n)));
      return;
    }
    this.room(n);
    source.copy(this.buf, this.pos, 0, n);
    this.pos += n;
  }

  private scratchFor(n: number): Buffer {
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(n);
    return this.scratch;
  }

  private releaseScratch(): void {
    if (this.scratch.length > MAX_KEPT_SCRATCH) this.scratch = Buffer.allocUnsafe(4096);
    if (this.compressed.length > MAX_KEPT_SCRATCH) this.compressed = Buffer.allocUnsafe(4096);
  }
}

/**
 * The value of a string Redis would store with an INT8/16/32 encoding (rdbTryIntegerEncoding:
 * string2ll rules, no '+', no leading zeros, then a 32-bit range check); null otherwise.
 */
export function int32Value(text: string): number | null {
  const value = parseInt64(text);
  return typeof value === 'number' && value >= -2147483648 && value <= 2147483647 ? value : null;
}
