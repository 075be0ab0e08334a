// CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO: the commands of client-side caching
// (tracking.ts), with Redis 7.0's option checks in its order and its error texts.

import type { CommandContext } from '../context';
import { ERR_SYNTAX } from '../errors';
import type { TrackingOptions } from '../tracking';
import { intArg } from './util';

const ERR_ONE_REDIRECT = 'ERR A client can only redirect to a single other client';
const ERR_NO_SUCH_REDIRECT = 'ERR The client ID you want redirect to does not exist';
const ERR_PREFIX_NEEDS_BCAST = 'ERR PREFIX option requires BCAST mode to be enabled';
const ERR_SWITCH_BCAST = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
const ERR_BCAST_OPTIN = 'ERR OPTIN and OPTOUT are not compatible with BCAST';
const ERR_OPTIN_OPTOUT = "ERR You can't specify both OPTIN mode and OPTOUT mode";
const ERR_SWITCH_OPTIN = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
const ERR_CACHING_NOT_TRACKING = 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled';
const ERR_CACHING_YES = 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.';
const ERR_CACHING_NO = 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.';

/** Redis's check: two prefixes overlap when one starts the other. */
const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

function prefixCollision(existing: readonly string[], requested: readonly string[]): string | null {
  for (let i = 0; i < requested.length; i++) {
    for (const current of existing) {
      if (overlaps(current, requested[i])) return `ERR Prefix '${requested[i]}' overlaps with an existing prefix '${current}'. Prefixes for a single client must not overlap.`;
    }
    for (let j = i + 1; j < requested.length; j++) {
      if (overlaps(requested[i], requested[j])) return `ERR Prefix '${requested[i]}' overlaps with another provided prefix '${requested[j]}'. Prefixes for a single client must not overlap.`;
    }
  }
  return null;
}

/** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
export function clientTracking(client: CommandContext, args: string[]): void {
  const options: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  const prefixes: string[] = [];
  for (let j = 3; j < args.length; j++) {
    const option = args[j].toLowerCase();
    const more = args.length - 1 - j;
    if (option === 'redirect' && more > 0) {
      j++;
      if (options.redirect !== 0) return client.reply.error(ERR_ONE_REDIRECT);
      const id = intArg(client, args[j]);
      if (id === null) return;
      if (!client.server.clients.has(id)) return client.reply.error(ERR_NO_SUCH_REDIRECT);
      options.redirect = id;
    } else if (option === 'bcast') {
      options.bcast = true;
    } else if (option === 'optin') {
      options.optin = true;
    } else if (option === 'optout') {
      options.optout = true;
    } else if (option === 'noloop') {
      options.noloop = true;
    } else if (option === 'prefix' && more > 0) {
      prefixes.push(args[++j]);
    } else {
      return client.reply.error(ERR_SYNTAX);
    }
  }
  const tracking = client.server.tracking;
  const mode = args[2].toLowerCase();
  if (mode === 'on') {
    const current = tracking.stateOf(client);
    if (!options.bcast && prefixes.length > 0) return client.reply.error(ERR_PREFIX_NEEDS_BCAST);
    if (current && current.bcast !== options.bcast) return client.reply.error(ERR_SWITCH_BCAST);
    if (options.bcast && (options.optin || options.optout)) return client.reply.error(ERR_BCAST_OPTIN);
    if (options.optin && options.optout) return client.reply.error(ERR_OPTIN_OPTOUT);
    if (current && ((options.optin && current.optout) || (options.optout && current.optin))) return client.reply.error(ERR_SWITCH_OPTIN);
    if (options.bcast) {
      const collision = prefixCollision(current?.prefixes ?? [], prefixes);
      if (collision) return client.reply.error(collision);
    }
    tracking.enable(client, { ...options, prefixes });
  } else if (mode === 'off') {
    tracking.disable(client);
  } else {
    return client.reply.error(ERR_SYNTAX);
  }
  client.reply.ok();
}

/** CLIENT CACHING YES|NO: the next command is (OPTIN) or is not (OPTOUT) tracked. */
export function clientCaching(client: CommandContext, args: string[]): void {
  const tracking = client.server.tracking;
  const state = tracking.stateOf(client);
  if (!state) return client.reply.error(ERR_CACHING_NOT_TRACKING);
  const answer = args[2].toLowerCase();
  if (answer === 'yes') {
    if (!state.optin) return client.reply.error(ERR_CACHING_YES);
  } else if (answer === 'no') {
    if (!state.optout) return client.reply.error(ERR_CACHING_NO);
  } else {
    return client.reply.error(ERR_SYNTAX);
  }
  tracking.setCaching(client);
  client.reply.ok();
}

/** CLIENT GETREDIR: -1 when not tracking, 0 without a redirect. */
export function clientGetRedir(client: CommandContext): void {
  client.reply.integer(client.server.tracking.stateOf(client)?.redirect ?? -1);
}

export function clientTrackingInfo(client: CommandContext): void {
  const state = client.server.tracking.stateOf(client);
  const flags = [state ? 'on' : 'off'];
  if (state?.bcast) flags.push('bcast');
  if (state?.optin) flags.push('optin', ...(state.caching ? ['caching-yes'] : []));
  if (state?.optout) flags.push('optout', ...(state.caching ? ['caching-no'] : []));
  if (state?.noloop) flags.push('noloop');
  if (state?.brokenRedirect) flags.push('broken_redirect');
  const reply = client.reply;
  reply.mapHeader(3);
  reply.bulk('flags');
  reply.setHeader(flags.length);
  for (const flag of flags) reply.bulk(flag);
  reply.bulk('redirect');
  reply.integer(state ? state.redirect : -1);
  reply.bulk('prefixes');
  reply.bulkArray(state?.prefixes ?? []);
}
