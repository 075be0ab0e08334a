// The trimming options XADD and XTRIM share (streamParseAddOrTrimArgsOrReply of Redis 7.0):
// MAXLEN|MINID [=|~] threshold [LIMIT count], plus NOMKSTREAM and the ID for XADD. Error texts
// and their order are Redis's.

import type { CommandContext } from '../context';
import { ERR_SYNTAX } from '../errors';
import { MIN_ID, type StreamId } from '../keyspace/stream';
import { parseStreamId } from './stream-ids';
import { intArg } from './util';

export interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  approx: boolean;
  maxlen: number;
  minid: StreamId;
  limit: number;
  /** Index of the threshold argument, for rewriting it in what is propagated. */
  thresholdAt: number;
  noMkStream: boolean;
  /** The explicit ID (XADD), or null for '*'. */
  id: StreamId | null;
  seqGiven: boolean;
  /** Where the ID argument is (XADD). */
  idAt: number;
}

const ERR_BOTH = 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible';

/** Parses from args[2]; returns null after replying an error. */
export function parseTrimArgs(client: CommandContext, args: string[], xadd: boolean): TrimArgs | null {
  const parsed: TrimArgs = {
    strategy: 'none', approx: false, maxlen: 0, minid: MIN_ID, limit: 0, thresholdAt: 0,
    noMkStream: false, id: null, seqGiven: true, idAt: 0,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < args.length; i++) {
    const moreArgs = args.length - 1 - i;
    const option = args[i];
    const lower = option.toLowerCase();
    if (xadd && option === '*') break;
    if ((lower === 'maxlen' || lower === 'minid') && moreArgs > 0) {
      if (parsed.strategy !== 'none') {
        client.reply.error(ERR_BOTH);
        return null;
      }
      parsed.approx = false;
      const next = args[i + 1];
      if (moreArgs >= 2 && next === '~') {
        parsed.approx = true;
        i++;
      } else if (moreArgs >= 2 && next === '=') {
        i++;
      }
      if (lower === 'maxlen') {
        const maxlen = intArg(client, args[i + 1]);
        if (maxlen === null) return null;
        if (maxlen < 0) {
          client.reply.error('ERR The MAXLEN argument must be >= 0.');
          return null;
        }
        parsed.maxlen = maxlen;
      } else {
        const minid = parseStreamId(client, args[i + 1], 0n, true);
        if (minid === null) return null;
        parsed.minid = minid.id;
      }
      i++;
      parsed.strategy = lower;
      parsed.thresholdAt = i;
    } else if (lower === 'limit' && moreArgs > 0) {
      const limit = intArg(client, args[i + 1]);
      if (limit === null) return null;
      if (limit < 0) {
        client.reply.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      parsed.limit = limit;
      limitGiven = true;
      i++;
    } else if (xadd && lower === 'nomkstream') {
      parsed.noMkStream = true;
    } else if (xadd) {
      const id = parseStreamId(client, option, 0n, true, true);
      if (id === null) return null;
      parsed.id = id.id;
      parsed.seqGiven = id.seqGiven;
      break;
    } else {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  parsed.idAt = i;
  if (parsed.limit !== 0 && parsed.strategy === 'none') {
    client.reply.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && parsed.strategy === 'none') {
    client.reply.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  // What our master sends was rewritten to exact thresholds: it is applied without a limit.
  if (client.isMasterLink) {
    parsed.limit = 0;
  } else if (limitGiven) {
    if (!parsed.approx) {
      client.reply.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
  } else if (parsed.approx) {
    const limit = 100 * client.server.config.getInt('stream-node-max-entries');
    parsed.limit = limit <= 0 || limit > 1 << 30 ? 10000 : limit;
  } else {
    parsed.limit = 0;
  }
  return parsed;
}
