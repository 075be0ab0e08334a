// BITFIELD and BITFIELD_RO: integer fields of 1..64 bits (u1..u63, i1..i64) at any bit offset
// of a string. All operations are parsed before any runs, so a bad argument changes nothing.

import type { CommandContext } from '../context';
import { ERR_BITFIELD_OVERFLOW, ERR_BITFIELD_RO, ERR_BITFIELD_TYPE, ERR_NOT_INTEGER, ERR_SYNTAX } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { bitOffsetArg, bitTarget } from './bitmaps-args';
import { bytesOf, fitField, toLatin1, writableBytes, getSignedField, getUnsignedField, setField, type OverflowMode } from './bit-math';
import { isString, lookupTyped, markDirty, notify, WRONGTYPE } from './util';
import { NOTIFY_STRING } from '../keyspace-events';

interface FieldOp {
  kind: 'get' | 'set' | 'incrby';
  signed: boolean;
  bits: number;
  offset: number;
  /** The SET value or INCRBY increment. */
  operand: bigint;
  overflow: OverflowMode;
}

/** i<bits> or u<bits>: i1..i64, u1..u63 (a u64 could not be replied as a signed 64-bit integer). */
function parseType(text: string): { signed: boolean; bits: number } | null {
  const sign = text[0];
  if (sign !== 'i' && sign !== 'u') return null;
  const bits = parseInt64(text.slice(1));
  if (typeof bits !== 'number' || bits < 1 || bits > (sign === 'i' ? 64 : 63)) return null;
  return { signed: sign === 'i', bits };
}

/** All the operations, or null after replying the first argument error. */
function parseOps(client: CommandContext, args: string[]): FieldOp[] | null {
  const ops: FieldOp[] = [];
  let overflow: OverflowMode = 'wrap';
  for (let j = 2; j < args.length; j++) {
    const remaining = args.length - j - 1;
    const name = args[j].toLowerCase();
    let kind: FieldOp['kind'];
    if (name === 'get' && remaining >= 2) kind = 'get';
    else if (name === 'set' && remaining >= 3) kind = 'set';
    else if (name === 'incrby' && remaining >= 3) kind = 'incrby';
    else if (name === 'overflow' && remaining >= 1) {
      const mode = args[++j].toLowerCase();
      if (mode !== 'wrap' && mode !== 'sat' && mode !== 'fail') {
        client.reply.error(ERR_BITFIELD_OVERFLOW);
        return null;
      }
      overflow = mode;
      continue;
    } else {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
    const type = parseType(args[j + 1]);
    if (!type) {
      client.reply.error(ERR_BITFIELD_TYPE);
      return null;
    }
    const offset = bitOffsetArg(client, args[j + 2], type.bits);
    if (offset === null) return null;
    let operand = 0n;
    if (kind !== 'get') {
      const parsed = parseInt64(args[j + 3]);
      if (parsed === null) {
        client.reply.error(ERR_NOT_INTEGER);
        return null;
      }
      operand = BigInt(parsed);
    }
    ops.push({ kind, ...type, offset, operand, overflow });
    j += kind === 'get' ? 2 : 3;
  }
  return ops;
}

/** GET on a string that may be missing: reads the (at most nine) bytes the field spans. */
function readField(value: string | undefined, op: FieldOp): bigint {
  const byte = Math.floor(op.offset / 8);
  const bytes = value === undefined || byte >= value.length ? new Uint8Array(0) : bytesOf(value, byte, Math.min(byte + 8, value.length - 1));
  const offset = op.offset - byte * 8;
  return op.signed ? getSignedField(bytes, offset, op.bits) : getUnsignedField(bytes, offset, op.bits);
}

function bitfieldGeneric(client: CommandContext, args: string[], readOnlyCommand: boolean): void {
  const ops = parseOps(client, args);
  if (!ops) return;
  const key = args[1];
  const writes = ops.filter((op) => op.kind !== 'get');
  if (writes.length === 0) {
    const value = lookupTyped(client, key, isString);
    if (value === WRONGTYPE) return;
    client.reply.arrayHeader(ops.length);
    for (const op of ops) client.reply.integer(readField(value, op));
    return;
  }
  if (readOnlyCommand) return client.reply.error(ERR_BITFIELD_RO);
  const highestBit = writes.reduce((max, op) => Math.max(max, op.offset + op.bits - 1), 0);
  const target = bitTarget(client, key, highestBit);
  if (!target) return;
  const bytes = writableBytes(target.value, Math.floor(highestBit / 8) + 1);
  // Creating or growing the string is a change in itself, so every write that runs counts.
  const grew = !target.existed || bytes.length !== target.value.length;
  let changes = 0;
  client.reply.arrayHeader(ops.length);
  for (const op of ops) {
    const old = op.signed ? getSignedField(bytes, op.offset, op.bits) : getUnsignedField(bytes, op.offset, op.bits);
    if (op.kind === 'get') {
      client.reply.integer(old);
      continue;
    }
    // An unsigned SET sees a negative value as its 64-bit pattern, as Redis's uint64_t does.
    const stored =
      op.kind === 'incrby'
        ? fitField(old, op.operand, op.bits, op.signed, op.overflow)
        : fitField(op.signed ? op.operand : BigInt.asUintN(64, op.operand), 0n, op.bits, op.signed, op.overflow);
    if (stored === null) {
      client.reply.nullBulk();
      continue;
    }
    client.reply.integer(op.kind === 'incrby' ? stored : old);
    setField(bytes, op.offset, op.bits, stored);
    if (grew || stored !== old) changes++;
  }
  // Redis creates or pads the key even when every write failed, without counting it as a change.
  if (grew || changes > 0) {
    const value = toLatin1(bytes);
    if (target.existed) client.db.replace(key, value);
    else client.db.set(key, value);
    client.db.markStringEncoding(key, 'raw');
  }
  if (changes > 0) {
    markDirty(client, changes);
    notify(client, NOTIFY_STRING, 'setbit', key);
  }
}

export function bitfield(client: CommandContext, args: string[]): void {
  bitfieldGeneric(client, args, false);
}

export function bitfieldRo(client: CommandContext, args: string[]): void {
  bitfieldGeneric(client, args, true);
}
