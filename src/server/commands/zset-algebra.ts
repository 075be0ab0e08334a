// ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD, as Redis 7.0's
// zunionInterDiffGenericCommand. Plain sets are accepted as inputs with every score 1.
// Floating point sums depend on the order of the additions, so inputs are combined in Redis's
// order: smallest input first (a stable sort, like glibc's merge-sort qsort), per member.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isSet, isZSet, type SetValue, type ZSetValue } from '../keyspace/values';
import { SortedSet } from '../keyspace/sorted-set';
import { lookupRead, markDirty, notify, syntaxError } from './util';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../keyspace-events';
import { ERR_WRONGTYPE } from '../errors';
import { longArg, positiveLongArg } from './collection-args';
import { parseScore, replyEntries, zsetLimits } from './zset-args';

const ERR_WEIGHT_NOT_FLOAT = 'ERR weight value is not a float';
const ERR_LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
const errAtLeastOneKey = (command: string) => `ERR at least 1 input key is needed for '${command}' command`;

type Operation = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

interface Source {
  value: ZSetValue | SetValue | null;
  weight: number;
}

function sourceSize(source: Source): number {
  return source.value ? source.value.size : 0;
}

/** Score of a member in an input: sets give 1 to every member. */
function sourceScore(source: Source, member: string): number | undefined {
  const value = source.value;
  if (!value) return undefined;
  if (value instanceof Set) return value.has(member) ? 1 : undefined;
  return value.score(member);
}

/** The input's entries; Redis iterates sorted sets from the highest score down. */
function sourceEntries(source: Source): Array<[string, number]> {
  const value = source.value;
  if (!value) return [];
  if (value instanceof Set) return [...value].map((member): [string, number] => [member, 1]);
  return [...value.entries()].reverse();
}

function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    // +inf + -inf is NaN; Redis keeps 0 instead.
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/** weight * score, with NaN (0 * inf) turned into 0 as Redis does. */
function weighted(score: number, weight: number): number {
  const value = weight * score;
  return Number.isNaN(value) ? 0 : value;
}

interface Options {
  aggregate: Aggregate;
  withScores: boolean;
  limit: number;
}

function parseOptions(client: CommandContext, args: string[], from: number, sources: Source[], op: Operation, destination: string | null, cardinalityOnly: boolean): Options | null {
  const options: Options = { aggregate: 'sum', withScores: false, limit: 0 };
  let j = from;
  while (j < args.length) {
    const remaining = args.length - j;
    const option = args[j].toLowerCase();
    if (op !== 'diff' && !cardinalityOnly && remaining >= sources.length + 1 && option === 'weights') {
      j++;
      for (const source of sources) {
        const weight = parseScore(args[j++]);
        if (weight === null) {
          client.reply.error(ERR_WEIGHT_NOT_FLOAT);
          return null;
        }
        source.weight = weight;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && option === 'aggregate') {
      const how = args[j + 1].toLowerCase();
      if (how !== 'sum' && how !== 'min' && how !== 'max') {
        syntaxError(client);
        return null;
      }
      options.aggregate = how;
      j += 2;
    } else if (destination === null && !cardinalityOnly && option === 'withscores') {
      options.withScores = true;
      j++;
    } else if (cardinalityOnly && remaining >= 2 && option === 'limit') {
      const limit = positiveLongArg(client, args[j + 1], ERR_LIMIT_NEGATIVE);
      if (limit === null) return null;
      options.limit = limit;
      j += 2;
    } else {
      syntaxError(client);
      return null;
    }
  }
  return options;
}

function intersect(sources: Source[], options: Options, cardinalityOnly: boolean): { entries: Map<string, number>; cardinality: number } {
  const entries = new Map<string, number>();
  let cardinality = 0;
  const [first, ...rest] = sources;
  if (sourceSize(first) === 0) return { entries, cardinality };
  for (const [member, score] of sourceEntries(first)) {
    let total = weighted(score, first.weight);
    let inAll = true;
    for (const other of rest) {
      // The same key given twice is not looked up again: Redis reuses the score it iterates.
      const found = other.value === first.value ? score : sourceScore(other, member);
      if (found === undefined) {
        inAll = false;
        break;
      }
      total = aggregate(total, found * other.weight, options.aggregate);
    }
    if (!inAll) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (options.limit > 0 && cardinality >= options.limit) break;
    } else {
      entries.set(member, total);
    }
  }
  return { entries, cardinality };
}

function unite(sources: Source[], options: Options): Map<string, number> {
  const entries = new Map<string, number>();
  for (const source of sources) {
    for (const [member, score] of sourceEntries(source)) {
      const value = weighted(score, source.weight);
      const current = entries.get(member);
      entries.set(member, current === undefined ? value : aggregate(current, value, options.aggregate));
    }
  }
  return entries;
}

function subtract(sources: Source[]): Map<string, number> {
  const entries = new Map<string, number>();
  const [first, ...rest] = sources;
  for (const [member, score] of sourceEntries(first)) {
    if (rest.some((other) => other.value === first.value || sourceScore(other, member) !== undefined)) continue;
    entries.set(member, score);
  }
  return entries;
}

function sortedEntries(entries: Map<string, number>): Array<[string, number]> {
  return [...entries].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function zsetOperation(client: CommandContext, args: string[], destination: string | null, numkeysIndex: number, op: Operation, cardinalityOnly: boolean): void {
  const name = args[0].toLowerCase();
  const setCount = longArg(client, args[numkeysIndex]);
  if (setCount === null) return;
  if (setCount < 1) return client.reply.error(errAtLeastOneKey(name));
  if (setCount > args.length - (numkeysIndex + 1)) return syntaxError(client);
  const sources: Source[] = [];
  for (let i = 0; i < setCount; i++) {
    const value = lookupRead(client, args[numkeysIndex + 1 + i]);
    if (value !== undefined && !isZSet(value) && !isSet(value)) return client.reply.error(ERR_WRONGTYPE);
    sources.push({ value: value ?? null, weight: 1 });
  }
  const options = parseOptions(client, args, numkeysIndex + 1 + setCount, sources, op, destination, cardinalityOnly);
  if (!options) return;
  // Array.prototype.sort is stable, as glibc's qsort is for inputs of this size.
  if (op !== 'diff') sources.sort((a, b) => sourceSize(a) - sourceSize(b));

  let entries: Map<string, number>;
  if (op === 'inter') {
    const result = intersect(sources, options, cardinalityOnly);
    if (cardinalityOnly) return client.reply.integer(result.cardinality);
    entries = result.entries;
  } else if (op === 'union') {
    entries = unite(sources, options);
  } else {
    entries = subtract(sources);
  }

  if (destination === null) return replyEntries(client, sortedEntries(entries), options.withScores);
  if (entries.size === 0) {
    client.reply.integer(0);
    if (client.db.delete(destination)) {
      markDirty(client);
      notify(client, NOTIFY_GENERIC, 'del', destination);
    }
    return;
  }
  const result = SortedSet.fromEntries(entries, zsetLimits(client));
  client.db.set(destination, result);
  markDirty(client);
  notify(client, NOTIFY_ZSET, `z${op}store`, destination);
  client.reply.integer(result.size);
}

const STORE_FLAGS = ['write', 'denyoom'] as const;
const READ = ['readonly'] as const;
const cats = (...names: string[]) => ({ categories: names });
const STORE_KEYS: [number, number, number] = [1, 1, 1];
const NO_KEYS: [number, number, number] = [0, 0, 0];

export const zsetAlgebraCommands: CommandSpec[] = [
  command('zunionstore', -4, STORE_FLAGS, (c, a) => zsetOperation(c, a, a[1], 2, 'union', false), STORE_KEYS, cats('@write', '@sortedset', '@slow')),
  command('zinterstore', -4, STORE_FLAGS, (c, a) => zsetOperation(c, a, a[1], 2, 'inter', false), STORE_KEYS, cats('@write', '@sortedset', '@slow')),
  command('zdiffstore', -4, STORE_FLAGS, (c, a) => zsetOperation(c, a, a[1], 2, 'diff', false), STORE_KEYS, cats('@write', '@sortedset', '@slow')),
  command('zunion', -3, READ, (c, a) => zsetOperation(c, a, null, 1, 'union', false), NO_KEYS, cats('@read', '@sortedset', '@slow')),
  command('zinter', -3, READ, (c, a) => zsetOperation(c, a, null, 1, 'inter', false), NO_KEYS, cats('@read', '@sortedset', '@slow')),
  command('zdiff', -3, READ, (c, a) => zsetOperation(c, a, null, 1, 'diff', false), NO_KEYS, cats('@read', '@sortedset', '@slow')),
  command('zintercard', -3, READ, (c, a) => zsetOperation(c, a, null, 1, 'inter', true), NO_KEYS, cats('@read', '@sortedset', '@slow')),
];
