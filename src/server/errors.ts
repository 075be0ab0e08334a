// Every error reply the node sends, worded exactly as Redis 7.0 words it.
// Replies are written without the leading '-' and trailing CRLF; the writer adds them.

export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
/** To clients blocked on keys when the node turns into a replica (7.0's disconnectAllBlockedClients). */
export const ERR_UNBLOCKED_ROLE_CHANGE = 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)';
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_OUT_OF_RANGE = 'ERR index out of range';
export const ERR_INCR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_INCR_NAN = 'ERR increment would produce NaN or Infinity';
export const ERR_HASH_NOT_INTEGER = 'ERR hash value is not an integer';
export const ERR_HASH_NOT_FLOAT = 'ERR hash value is not a float';
export const ERR_DB_INDEX = 'ERR DB index is out of range';
export const ERR_INVALID_DB_INDEX = 'ERR invalid DB index';
export const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
// RESTORE (cluster.c restoreCommand).
export const ERR_BUSYKEY = 'BUSYKEY Target key name already exists.';
export const ERR_BAD_DATA_FORMAT = 'ERR Bad data format';
export const ERR_INVALID_TTL = 'ERR Invalid TTL value, must be >= 0';
export const ERR_INVALID_IDLETIME = 'ERR Invalid IDLETIME value, must be >= 0';
export const ERR_INVALID_FREQ = 'ERR Invalid FREQ value, must be >= 0 and <= 255';
export const ERR_DUMP_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
export const ERR_INVALID_EXPIRE = (command: string) => `ERR invalid expire time in '${command}' command`;
export const ERR_NOAUTH = 'NOAUTH Authentication required.';
export const ERR_WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const ERR_AUTH_NO_PASSWORD =
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const ERR_READONLY = "READONLY You can't write against a read only replica.";
export const ERR_EXEC_ABORT = 'EXECABORT Transaction discarded because of previous errors.';
export const ERR_MULTI_NESTED = 'ERR MULTI calls can not be nested';
export const ERR_EXEC_WITHOUT_MULTI = 'ERR EXEC without MULTI';
export const ERR_DISCARD_WITHOUT_MULTI = 'ERR DISCARD without MULTI';
export const ERR_WATCH_IN_MULTI = 'ERR WATCH inside MULTI is not allowed';
export const ERR_MIN_MAX_NOT_FLOAT = 'ERR min or max is not a float';
export const ERR_MIN_MAX_NOT_VALID_STRING = 'ERR min or max not valid string range item';
export const ERR_SCORE_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_ZADD_NX_XX = 'ERR XX and NX options at the same time are not compatible';
export const ERR_ZADD_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';
export const ERR_ZADD_INCR_PAIR = 'ERR INCR option supports a single increment-element pair';
export const ERR_NAN_RESULT = 'ERR resulting score is not a number (NaN)';
export const ERR_POSITIVE = (what: string) => `ERR ${what} must be positive`;
export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
export const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
export const ERR_BITPOS_BIT = 'ERR The bit argument must be 1 or 0.';
export const ERR_BITOP_NOT = 'ERR BITOP NOT must be called with a single source key.';
export const ERR_BITFIELD_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
export const ERR_BITFIELD_OVERFLOW = 'ERR Invalid OVERFLOW type specified';
export const ERR_BITFIELD_RO = 'ERR BITFIELD_RO only supports the GET subcommand';
export const ERR_OFFSET_OUT_OF_RANGE = 'ERR offset is out of range';
export const ERR_INVALID_CURSOR = 'ERR invalid cursor';
export const ERR_UNKNOWN_TYPE = (name: string) => `ERR unknown type name '${name}'`;
export const ERR_PUBSUB_CONTEXT = (command: string) =>
  `ERR Can't execute '${command}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
export const ERR_NO_CONFIG_FILE = 'ERR The server is running without a config file';
export const ERR_LOADING = 'LOADING Redis is loading the dataset in memory';
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";
export const ERR_MAX_CLIENTS = 'ERR max number of clients reached';

export function errUnknownCommand(name: string, args: readonly string[]): string {
  // Redis truncates the shown arguments at 128 bytes in total and quotes each one.
  let argsText = '';
  for (const arg of args) {
    if (argsText.length >= 128) break;
    const room = 128 - argsText.length;
    argsText += `'${arg.slice(0, room)}' `;
  }
  return `ERR unknown command '${sanitize(name.slice(0, 128))}', with args beginning with: ${sanitize(argsText)}`;
}

export function errUnknownSubcommand(sub: string, command: string): string {
  return `ERR unknown subcommand '${sanitize(sub.slice(0, 128))}'. Try ${command.toUpperCase()} HELP.`;
}

export function errWrongArity(command: string): string {
  return `ERR wrong number of arguments for '${command}' command`;
}

/** Redis replaces CR and LF with spaces in error texts so a reply can never break the protocol. */
export function sanitize(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}
export const ERR_HLL_WRONGTYPE = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
export const ERR_HLL_CORRUPTED = 'INVALIDOBJ Corrupted HLL object detected';
