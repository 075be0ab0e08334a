// The bitmap group, as Redis 7.0's bitops.c: SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP here,
// BITFIELD and BITFIELD_RO in bitfield.ts. Bitmaps are plain strings; bit 0 is the most
// significant bit of the first byte.

import type { CommandContext } from '../context';
import { ERR_BIT_VALUE, ERR_BITOP_NOT, ERR_BITPOS_BIT, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { command, type CommandFlag, type CommandSpec, type Handler } from './table';
import { aclCategories } from './acl-categories';
import { bitfield, bitfieldRo } from './bitfield';
import { bitOffsetArg, bitRange, bitTarget, parseUnit } from './bitmaps-args';
import { bytesOf, combineInto, firstBit, popcountByte, popcountOf, toLatin1, writableBytes, type BitOp } from './bit-math';
import { isString, lookupRead, lookupTyped, markDirty, notify, WRONGTYPE } from './util';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../keyspace-events';

function setbit(client: CommandContext, args: string[]): void {
  const key = args[1];
  const offset = bitOffsetArg(client, args[2]);
  if (offset === null) return;
  const on = parseInt64(args[3]);
  if (on !== 0 && on !== 1) return client.reply.error(ERR_BIT_VALUE);
  const target = bitTarget(client, key, offset);
  if (!target) return;
  const byte = Math.floor(offset / 8);
  const mask = 0x80 >> offset % 8;
  const grows = !target.existed || target.value.length <= byte;
  const current = byte < target.value.length ? target.value.charCodeAt(byte) : 0;
  const was = current & mask ? 1 : 0;
  // Like Redis, an unchanged bit of a string that did not grow is no write at all.
  if (grows || was !== on) {
    const bytes = writableBytes(target.value, byte + 1);
    bytes[byte] = on ? current | mask : current & ~mask;
    const value = toLatin1(bytes);
    if (target.existed) client.db.replace(key, value);
    else client.db.set(key, value);
    markDirty(client);
    notify(client, NOTIFY_STRING, 'setbit', key);
  }
  // Redis unshares the string before looking at the bit: even an unchanged one is raw after.
  client.db.markStringEncoding(key, 'raw');
  client.reply.integer(was);
}

function getbit(client: CommandContext, args: string[]): void {
  const offset = bitOffsetArg(client, args[2]);
  if (offset === null) return;
  const value = lookupTyped(client, args[1], isString);
  if (value === WRONGTYPE) return;
  const byte = Math.floor(offset / 8);
  if (value === undefined || byte >= value.length) return client.reply.integer(0);
  client.reply.integer(value.charCodeAt(byte) & (0x80 >> offset % 8) ? 1 : 0);
}

/** start and end of BITCOUNT/BITPOS, which reply ERR not an integer when either is not. */
function indexArg(client: CommandContext, text: string): bigint | null {
  const value = parseInt64(text);
  if (value === null) {
    client.reply.error(ERR_NOT_INTEGER);
    return null;
  }
  return BigInt(value);
}

/** Set bits in the inclusive bit range [first, last] of the string. */
function countBits(value: string, first: number, last: number): number {
  const firstByte = first >> 3;
  const lastByte = Math.floor(last / 8);
  const before = (0xff << (8 - (first % 8))) & 0xff;
  const after = (1 << (7 - (last % 8))) - 1;
  return (
    popcountOf(value, firstByte, lastByte) -
    popcountByte(value.charCodeAt(firstByte) & before) -
    popcountByte(value.charCodeAt(lastByte) & after)
  );
}

function bitcount(client: CommandContext, args: string[]): void {
  const value = lookupTyped(client, args[1], isString);
  if (value === WRONGTYPE) return;
  if (value === undefined) return client.reply.integer(0);
  if (args.length === 2) return client.reply.integer(value.length === 0 ? 0 : countBits(value, 0, value.length * 8 - 1));
  if (args.length > 5 || args.length === 3) return client.reply.error(ERR_SYNTAX);
  const start = indexArg(client, args[2]);
  if (start === null) return;
  const end = indexArg(client, args[3]);
  if (end === null) return;
  // Redis answers this before it looks at the unit.
  if (start < 0n && end < 0n && start > end) return client.reply.integer(0);
  const unitIsBit = args.length === 5 ? parseUnit(args[4]) : false;
  if (unitIsBit === null) return client.reply.error(ERR_SYNTAX);
  const range = bitRange(start, end, value.length, unitIsBit);
  client.reply.integer(range ? countBits(value, range[0], range[1]) : 0);
}

/** The first bit equal to `bit` within the inclusive bit range [first, last]; -1 when none is. */
function findBit(value: string, first: number, last: number, bit: 0 | 1): number {
  const bitAt = (pos: number) => (value.charCodeAt(pos >> 3) >> (7 - (pos % 8))) & 1;
  let pos = first;
  for (; pos <= last && pos % 8 !== 0; pos++) if (bitAt(pos) === bit) return pos;
  const lastWholeByte = Math.floor((last + 1) / 8) - 1;
  if (pos <= last && pos / 8 <= lastWholeByte) {
    const found = firstBit(value, pos / 8, lastWholeByte, bit);
    if (found !== -1) return pos + found;
    pos = (lastWholeByte + 1) * 8;
  }
  for (; pos <= last; pos++) if (bitAt(pos) === bit) return pos;
  return -1;
}

function bitpos(client: CommandContext, args: string[]): void {
  const bitArg = parseInt64(args[2]);
  if (bitArg === null) return client.reply.error(ERR_NOT_INTEGER);
  if (bitArg !== 0 && bitArg !== 1) return client.reply.error(ERR_BITPOS_BIT);
  const bit = bitArg;
  const value = lookupTyped(client, args[1], isString);
  if (value === WRONGTYPE) return;
  if (value === undefined) return client.reply.integer(bit ? -1 : 0);
  if (args.length > 6) return client.reply.error(ERR_SYNTAX);
  let start = 0n;
  let end = -1n;
  let unitIsBit = false;
  const endGiven = args.length >= 5;
  if (args.length >= 4) {
    const startArg = indexArg(client, args[3]);
    if (startArg === null) return;
    start = startArg;
    if (args.length === 6) {
      const unit = parseUnit(args[5]);
      if (unit === null) return client.reply.error(ERR_SYNTAX);
      unitIsBit = unit;
    }
    if (endGiven) {
      const endArg = indexArg(client, args[4]);
      if (endArg === null) return;
      end = endArg;
    }
  }
  const range = bitRange(start, end, value.length, unitIsBit);
  if (!range) return client.reply.integer(-1);
  const found = findBit(value, range[0], range[1], bit);
  if (found !== -1) return client.reply.integer(found);
  // No clear bit: the string reads as zero-padded on the right, unless the caller bounded the range.
  if (bit === 1 || endGiven) return client.reply.integer(-1);
  client.reply.integer((Math.floor(range[1] / 8) + 1) * 8);
}


function bitop(client: CommandContext, args: string[]): void {
  const op = args[1].toLowerCase();
  if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') return client.reply.error(ERR_SYNTAX);
  if (op === 'not' && args.length !== 4) return client.reply.error(ERR_BITOP_NOT);
  const sources: string[] = [];
  for (let i = 3; i < args.length; i++) {
    const value = lookupRead(client, args[i]);
    if (value !== undefined && !isString(value)) return client.reply.error(ERR_WRONGTYPE);
    sources.push(value ?? '');
  }
  const length = sources.reduce((max, source) => Math.max(max, source.length), 0);
  const dest = args[2];
  if (length === 0) {
    if (client.db.delete(dest)) {
      markDirty(client);
      notify(client, NOTIFY_GENERIC, 'del', dest);
    }
    return client.reply.integer(0);
  }
  client.db.set(dest, toLatin1(combine(op, sources, length)));
  client.db.markStringEncoding(dest, 'raw');
  markDirty(client);
  notify(client, NOTIFY_STRING, 'set', dest);
  client.reply.integer(length);
}

/** The result of a BITOP over the sources, shorter ones read as zero-padded. */
function combine(op: BitOp, sources: string[], length: number): Buffer {
  const result = writableBytes(sources[0], length);
  if (op === 'not') {
    combineInto(result, result, 'not');
    return result;
  }
  for (let s = 1; s < sources.length; s++) {
    const bytes = bytesOf(sources[s]);
    combineInto(result, bytes, op);
    if (op === 'and') result.fill(0, bytes.length);
  }
  return result;
}

function bitmapCommand(name: string, arity: number, flags: CommandFlag[], handler: Handler, keys: [number, number, number] = [1, 1, 1]): CommandSpec {
  return command(name, arity, flags, handler, keys, { categories: aclCategories(flags, ['bitmap']) });
}

export const bitmapsCommands: CommandSpec[] = [
  bitmapCommand('setbit', 4, ['write', 'denyoom'], setbit),
  bitmapCommand('getbit', 3, ['readonly', 'fast'], getbit),
  bitmapCommand('bitcount', -2, ['readonly'], bitcount),
  bitmapCommand('bitpos', -3, ['readonly'], bitpos),
  bitmapCommand('bitop', -4, ['write', 'denyoom'], bitop, [2, -1, 1]),
  bitmapCommand('bitfield', -2, ['write', 'denyoom'], bitfield),
  bitmapCommand('bitfield_ro', -2, ['readonly', 'fast'], bitfieldRo),
];
