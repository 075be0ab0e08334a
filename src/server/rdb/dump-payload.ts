// The DUMP / RESTORE payload: one value serialised as in an RDB file (type byte, then the value,
// no key), then a footer of the RDB version (2 bytes, little endian) and a CRC-64 of everything
// before the checksum (8 bytes, little endian), as Redis's createDumpPayload lays it out.
// Serialising and parsing reuse the RDB writer and reader.

import type { Value } from '../keyspace/values';
import { RDB_MAGIC, RDB_OPCODE_EOF, RDB_TYPE_SET_LISTPACK, RDB_WRITE_VERSION } from './constants';
import { Crc64 } from './crc64';
import { RdbEncoder } from './encoder';
import { RdbReader } from './reader';
import { writeTypedValue, type EncodingPolicy } from './writer';
import type { ZSetLimits } from './zset-adapter';

const FOOTER_LENGTH = 10;
const CRC_LENGTH = 8;
const CHUNK_SIZE = 16 * 1024;

/** The payload of DUMP for one value. compression: rdbcompression (LZF on strings over 20 bytes). */
export function createDumpPayload(value: Value, compression: boolean, policy: EncodingPolicy): Buffer {
  const encoder = new RdbEncoder(CHUNK_SIZE, compression);
  writeTypedValue(encoder, value, policy);
  return withDumpFooter(encoder);
}

/** What the encoder holds, then the RDB version and the CRC-64 of everything before it (DUMP's and FUNCTION DUMP's footer). */
export function withDumpFooter(encoder: RdbEncoder): Buffer {
  encoder.flush();
  const body = encoder.take();
  const version = Buffer.allocUnsafe(2);
  version.writeUInt16LE(RDB_WRITE_VERSION, 0);
  body.push(version);
  const crc = new Crc64();
  for (const part of body) crc.update(part);
  body.push(crc.digestBytes());
  return Buffer.concat(body);
}

/**
 * Redis's verifyDumpPayload: at least the footer, an RDB version this node's Redis (7.0) can
 * read, and a matching checksum.
 */
export function verifyDumpPayload(payload: Buffer): boolean {
  if (payload.length < FOOTER_LENGTH) return false;
  const footer = payload.length - FOOTER_LENGTH;
  if (payload.readUInt16LE(footer) > RDB_WRITE_VERSION) return false;
  const crc = new Crc64();
  crc.update(payload, 0, payload.length - CRC_LENGTH);
  return crc.matches(payload, payload.length - CRC_LENGTH);
}

/** Thrown from the reader's callback to stop it right after the value: what follows is not parsed. */
class ValueRead {
  constructor(readonly value: Value) {}
}

/**
 * The value of a verified payload, or null when it does not decode (Redis's "Bad data format"):
 * corrupt encodings, types Redis 7.0 does not know (7.2's listpack sets), types this node does not
 * hold (modules), and empty collections. Streams decode, with their consumer groups.
 */
export function decodeDumpPayload(payload: Buffer, zsetLimits: ZSetLimits): Value | null {
  if (payload.length === 0) return null;
  const type = payload[0];
  // rdbLoadObjectType of 7.0: opcodes and 7.2's types (from the listpack set on) are not values.
  if (type >= RDB_TYPE_SET_LISTPACK) return null;
  // Like Redis, the value is read from the whole buffer, footer included: an RDB file holding it
  // under an empty key is what the reader understands.
  const header = Buffer.from(`${RDB_MAGIC}${String(RDB_WRITE_VERSION).padStart(4, '0')}`, 'latin1');
  const file = Buffer.concat([header, Buffer.of(type, 0), payload.subarray(1), Buffer.of(RDB_OPCODE_EOF), Buffer.alloc(CRC_LENGTH)]);
  const reader: RdbReader = new RdbReader(
    {
      onEntry: (_db, _key, value) => {
        // An empty collection was skipped and the reader went on into the footer: refuse that.
        if (reader.emptyKeysSkipped > 0) throw new ValueRead('');
        throw new ValueRead(value);
      },
    },
    { zsetLimits },
  );
  try {
    reader.write(file);
    reader.end();
  } catch (outcome) {
    if (outcome instanceof ValueRead && reader.emptyKeysSkipped === 0) return outcome.value;
  }
  return null;
}
