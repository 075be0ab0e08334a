// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP.
//
// We don't keep Redis's object headers. Collections know their encoding (keyspace/encodings.ts,
// SortedSet); strings are judged by their content with Redis 7.0's rules, unless the Db marked
// the key (raw after APPEND/SETRANGE/bit commands, embstr after INCRBYFLOAT). IDLETIME and FREQ read
// the per-key access field memory/ keeps; OBJECT itself does not count as an access (Redis's
// LOOKUP_NOTOUCH).

import type { CommandContext } from '../context';
import type { Value } from '../keyspace/values';
import { isHash, isList, isSet, isStream } from '../keyspace/values';
import { parseInt64 } from '../resp/numbers';
import { hashEncoding, setEncoding } from '../keyspace/encodings';
import { lookupRead } from './util';

const ERR_LFU_IDLETIME =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const ERR_LFU_FREQ =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44;
/** Redis shares the integer objects 0..9999 (OBJ_SHARED_INTEGERS)... */
const SHARED_INTEGERS = 10000;
/** ...and reports their refcount as OBJ_SHARED_REFCOUNT. */
const SHARED_REFCOUNT = 2147483647;
/** Redis's LFU_INIT_VAL: the counter of a key created and not read much since. */
const LFU_INITIAL_COUNTER = 5;

const HELP_LINES = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** Strings Redis stores as a C long (tryObjectEncoding: at most 20 chars, string2l). */
function isIntEncodable(text: string): boolean {
  return text.length <= 20 && parseInt64(text) !== null;
}

export function encodingOf(client: CommandContext, value: Value, key: string): string {
  const config = client.server.config;
  if (typeof value === 'string') {
    const marked = client.db.stringEncodingOf(key);
    if (marked === 'raw' || (marked === 'embstr' && value.length <= EMBSTR_SIZE_LIMIT)) return marked;
    if (isIntEncodable(value)) return 'int';
    return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }
  if (isList(value)) return 'quicklist';
  if (isHash(value)) return hashEncoding(value, config);
  if (isSet(value)) return setEncoding(value, config);
  if (isStream(value)) return 'stream';
  return value.encoding;
}

/** Policies that keep per-object LRU/LFU data, and so never share integer objects. */
function evictionTracksObjects(client: CommandContext): boolean {
  const config = client.server.config;
  return config.getInt('maxmemory') !== 0 && /lru|lfu/.test(config.get('maxmemory-policy'));
}

function lfuPolicy(client: CommandContext): boolean {
  return client.server.config.get('maxmemory-policy').includes('lfu');
}

/** The key's value for OBJECT, or undefined after replying null. */
function lookupOrNull(client: CommandContext, key: string): Value | undefined {
  const value = client.server.memory.withoutTouch(() => lookupRead(client, key));
  if (value === undefined) client.reply.nullBulk();
  return value;
}

function encoding(client: CommandContext, args: string[]): void {
  const value = lookupOrNull(client, args[2]);
  if (value !== undefined) client.reply.bulk(encodingOf(client, value, args[2]));
}

export function refcountOf(client: CommandContext, value: Value): number {
  const shared =
    typeof value === 'string' && isIntEncodable(value) && !evictionTracksObjects(client) && Number(value) >= 0 && Number(value) < SHARED_INTEGERS;
  return shared ? SHARED_REFCOUNT : 1;
}

function refcount(client: CommandContext, args: string[]): void {
  const value = lookupOrNull(client, args[2]);
  if (value === undefined) return;
  client.reply.integer(refcountOf(client, value));
}

function idletime(client: CommandContext, args: string[]): void {
  const value = lookupOrNull(client, args[2]);
  if (value === undefined) return;
  if (lfuPolicy(client)) return client.reply.error(ERR_LFU_IDLETIME);
  client.reply.integer(client.server.memory.idleSeconds(client.db, args[2]) ?? 0);
}

function freq(client: CommandContext, args: string[]): void {
  const value = lookupOrNull(client, args[2]);
  if (value === undefined) return;
  if (!lfuPolicy(client)) return client.reply.error(ERR_LFU_FREQ);
  client.reply.integer(client.server.memory.frequency(client.db, args[2]) ?? LFU_INITIAL_COUNTER);
}

/** Redis's addReplyHelp: a header naming the command as typed (uppercased), the lines, then HELP. */
function help(client: CommandContext, args: string[]): void {
  const lines = [`${args[0].toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...HELP_LINES, 'HELP', '    Prints this help.'];
  client.reply.arrayHeader(lines.length);
  for (const line of lines) client.reply.simple(line);
}

export const objectHandlers = { encoding, refcount, idletime, freq, help };
