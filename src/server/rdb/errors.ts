// Every way an RDB payload can be refused. Messages follow Redis's own wording where Redis has one
// (rdb.c's rdbReportCorruptRDB texts); the reader appends the byte offset.

export class RdbError extends Error {
  override readonly name = 'RdbError';

  constructor(
    /** The problem, without the offset. */
    readonly reason: string,
    /** Absolute byte offset in the RDB stream where the problem was found. */
    readonly offset: number,
  ) {
    super(`${reason} (at byte offset ${offset})`);
  }
}

/** A problem inside an embedded structure (listpack, ziplist, intset, LZF data), at an offset inside it. */
export class CorruptBlobError extends Error {
  override readonly name = 'CorruptBlobError';

  constructor(
    readonly reason: string,
    readonly offsetInBlob: number,
  ) {
    super(`${reason} (byte ${offsetInBlob} of the encoded value)`);
  }
}

export const RDB_ERR_BAD_SIGNATURE = 'Wrong signature trying to load DB from file';
export const RDB_ERR_BAD_VERSION = (version: string) => `Can't handle RDB format version ${version}`;
export const RDB_ERR_UNEXPECTED_EOF = 'Unexpected EOF reading RDB file';
export const RDB_ERR_DATA_AFTER_END = 'Data written after the end of the RDB payload';
export const RDB_ERR_CHECKSUM = (expected: string, got: string) =>
  `Wrong RDB checksum expected: (${expected}) but got (${got})`;
export const RDB_ERR_UNKNOWN_LENGTH_ENCODING = (byte: number) => `Unknown length encoding ${byte >> 6} in rdbLoadLen()`;
export const RDB_ERR_UNKNOWN_STRING_ENCODING = (code: number) => `Unknown RDB string encoding type ${code}`;
export const RDB_ERR_LENGTH_TOO_LARGE = (length: number | bigint) => `Length ${length} is too large`;
export const RDB_ERR_INVALID_LZF = 'Invalid LZF compressed string';
export const RDB_ERR_UNKNOWN_TYPE = (type: number) => `Unknown RDB encoding type ${type}`;
export const RDB_ERR_UNSUPPORTED_TYPE = (type: number, name: string) =>
  `RDB type ${type} (${name}) is not supported by this node`;
export const RDB_ERR_MODULE_AUX = 'The RDB file contains AUX module data this node cannot load (modules are not supported)';
export const RDB_ERR_FUNCTIONS = 'The RDB file contains function libraries, which this node does not support';
export const RDB_ERR_QUICKLIST_CONTAINER = 'Quicklist integrity check failed.';
export const RDB_ERR_EMPTY_QUICKLIST_NODE = 'Quicklist node with empty data';
export const RDB_ERR_LISTPACK = 'Listpack integrity check failed.';
export const RDB_ERR_ZIPLIST = 'Ziplist integrity check failed.';
export const RDB_ERR_INTSET = 'Intset integrity check failed.';
export const RDB_ERR_BAD_DOUBLE = 'Invalid double value';
export const RDB_ERR_ZSET_NAN = 'Zset with NAN score detected';
export const RDB_ERR_DUP_SET = 'Duplicate set members detected';
export const RDB_ERR_DUP_ZSET = 'Duplicate zset fields detected';
export const RDB_ERR_DUP_HASH = 'Duplicate hash fields detected';
export const RDB_ERR_ODD_PAIRS = 'Encoded hash or sorted set has an odd number of elements';
export const RDB_ERR_STRING_TOO_LONG = (length: number) => `String of ${length} bytes is longer than this node can hold`;
