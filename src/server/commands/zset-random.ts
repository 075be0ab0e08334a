// ZRANDMEMBER key [count [WITHSCORES]], as Redis 7.0's zrandmemberCommand: a negative count
// allows repeats, a positive one returns distinct members, and a count covering the whole set
// returns it entirely in descending order (Redis walks sorted sets from the tail there).

import type { CommandContext } from '../context';
import { isZSet, type ZSetValue } from '../keyspace/values';
import { lookupTyped, syntaxError, WRONGTYPE } from './util';
import { ERR_NOT_INTEGER } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { LONG_MAX } from './collection-args';
import { distinctSample, randomIndex } from '../keyspace/random-pick';

const ERR_COUNT_RANGE = `ERR value is out of range, value must between -${LONG_MAX} and ${LONG_MAX}`;
const ERR_VALUE_OUT_OF_RANGE = 'ERR value is out of range';
/** WITHSCORES doubles the reply length, so Redis halves the allowed count. */
const WITHSCORES_COUNT_LIMIT = LONG_MAX / 2n;

export function zrandmember(client: CommandContext, args: string[]): void {
  if (args.length >= 3) {
    const count = parseInt64(args[2]);
    if (count === null) return client.reply.error(ERR_NOT_INTEGER);
    if (count < -LONG_MAX) return client.reply.error(ERR_COUNT_RANGE);
    if (args.length > 4 || (args.length === 4 && args[3].toLowerCase() !== 'withscores')) return syntaxError(client);
    const withScores = args.length === 4;
    if (withScores && (count < -WITHSCORES_COUNT_LIMIT || count > WITHSCORES_COUNT_LIMIT)) {
      return client.reply.error(ERR_VALUE_OUT_OF_RANGE);
    }
    return zrandmemberWithCount(client, args[1], count, withScores);
  }
  const zset = lookupTyped(client, args[1], isZSet);
  if (zset === WRONGTYPE) return;
  if (!zset) return client.reply.nullBulk();
  client.reply.bulk((zset.at(randomIndex(zset.size)) as [string, number])[0]);
}

function replyMember(client: CommandContext, entry: readonly [string, number], withScores: boolean): void {
  if (!withScores) return client.reply.bulk(entry[0]);
  if (client.reply.resp === 3) client.reply.arrayHeader(2);
  client.reply.bulk(entry[0]);
  client.reply.double(entry[1]);
}

function zrandmemberWithCount(client: CommandContext, key: string, requested: number | bigint, withScores: boolean): void {
  const zset: ZSetValue | undefined | typeof WRONGTYPE = lookupTyped(client, key, isZSet);
  if (zset === WRONGTYPE) return;
  if (!zset || requested === 0 || requested === 0n) return client.reply.arrayHeader(0);
  const unique = requested > 0;
  const count = Number(unique ? requested : -requested);
  const size = zset.size;
  const flatten = withScores && client.reply.resp === 2;
  if (!unique || count === 1) {
    client.reply.arrayHeader(flatten ? count * 2 : count);
    for (let i = 0; i < count; i++) replyMember(client, zset.at(randomIndex(size)) as [string, number], withScores);
    return;
  }
  if (count >= size) {
    client.reply.arrayHeader(flatten ? size * 2 : size);
    zset.walk(size - 1, true, (member, score) => replyMember(client, [member, score], withScores));
    return;
  }
  const sample = distinctSample([...zset.entries()], count);
  client.reply.arrayHeader(flatten ? count * 2 : count);
  for (const entry of sample) replyMember(client, entry, withScores);
}
