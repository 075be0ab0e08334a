// Numbers of the RDB file format, as defined by Redis's rdb.h (7.0 writes version 10, 7.2 writes 11).

export const RDB_MAGIC = 'REDIS';
/** The version this node writes: Redis 7.0's. */
export const RDB_WRITE_VERSION = 10;
/** The newest version this node reads: Redis 7.2's. */
export const RDB_MAX_READ_VERSION = 11;
/** Checksums were added in version 5; older files end right after the EOF opcode. */
export const RDB_FIRST_CHECKSUM_VERSION = 5;

// Length encoding: the two high bits of the first byte.
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

// Special string encodings (RDB_ENCVAL followed by these six bits).
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

// Value types.
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE_PRE_GA = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
export const RDB_TYPE_SET_LISTPACK = 20;
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;

// Opcodes, read where a value type would be.
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

// Quicklist 2 node containers.
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** Names for error messages, the way redis-check-rdb names the types. */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  [RDB_TYPE_STRING]: 'string',
  [RDB_TYPE_LIST]: 'list-linked',
  [RDB_TYPE_SET]: 'set-hashtable',
  [RDB_TYPE_ZSET]: 'zset-v1',
  [RDB_TYPE_HASH]: 'hash-hashtable',
  [RDB_TYPE_ZSET_2]: 'zset-v2',
  [RDB_TYPE_MODULE_PRE_GA]: 'module-pre-release',
  [RDB_TYPE_MODULE_2]: 'module-value',
  [RDB_TYPE_HASH_ZIPMAP]: 'hash-zipmap',
  [RDB_TYPE_LIST_ZIPLIST]: 'list-ziplist',
  [RDB_TYPE_SET_INTSET]: 'set-intset',
  [RDB_TYPE_ZSET_ZIPLIST]: 'zset-ziplist',
  [RDB_TYPE_HASH_ZIPLIST]: 'hash-ziplist',
  [RDB_TYPE_LIST_QUICKLIST]: 'quicklist',
  [RDB_TYPE_STREAM_LISTPACKS]: 'stream',
  [RDB_TYPE_HASH_LISTPACK]: 'hash-listpack',
  [RDB_TYPE_ZSET_LISTPACK]: 'zset-listpack',
  [RDB_TYPE_LIST_QUICKLIST_2]: 'quicklist-v2',
  [RDB_TYPE_STREAM_LISTPACKS_2]: 'stream-v2',
  [RDB_TYPE_SET_LISTPACK]: 'set-listpack',
  [RDB_TYPE_STREAM_LISTPACKS_3]: 'stream-v3',
};
