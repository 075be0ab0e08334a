// LMPOP, ZMPOP, BLMPOP and BZMPOP's shared tail: numkeys key [key ...] <where> [COUNT count],
// with Redis 7.0's checks in its order (numkeys, a where present, the where, then COUNT once).

import type { CommandContext } from '../context';
import { syntaxError } from './util';
import { LONG_MAX, rangeLongArg } from './collection-args';

const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_COUNT_POSITIVE = 'ERR count should be greater than 0';

/** Parses from args[first] (numkeys) on; `parseWhere` replies its own error. Count defaults to 1. */
export interface MpopArgs<W> {
  keys: string[];
  where: W;
  count: number;
}

export function parseMpop<W>(client: CommandContext, args: string[], first: number, parseWhere: (text: string) => W | null): MpopArgs<W> | null {
  const numkeys = rangeLongArg(client, args[first], 1n, LONG_MAX, ERR_NUMKEYS);
  if (numkeys === null) return null;
  const whereIndex = first + numkeys + 1;
  if (whereIndex >= args.length) {
    syntaxError(client);
    return null;
  }
  const where = parseWhere(args[whereIndex]);
  if (where === null) return null;
  let count = -1;
  for (let i = whereIndex + 1; i < args.length; i++) {
    if (count === -1 && args[i].toLowerCase() === 'count' && i + 1 < args.length) {
      const parsed = rangeLongArg(client, args[++i], 1n, LONG_MAX, ERR_COUNT_POSITIVE);
      if (parsed === null) return null;
      count = parsed;
    } else {
      syntaxError(client);
      return null;
    }
  }
  return { keys: args.slice(first + 1, whereIndex), where, count: count === -1 ? 1 : count };
}

/** ZMPOP and BZMPOP's MIN|MAX; a syntax error otherwise. */
export function parseMinMax(client: CommandContext, text: string): 'min' | 'max' | null {
  const lower = text.toLowerCase();
  if (lower === 'min' || lower === 'max') return lower;
  syntaxError(client);
  return null;
}
