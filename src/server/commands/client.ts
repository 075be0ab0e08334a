// CLIENT subcommands: ID, SETNAME, GETNAME, INFO, LIST, KILL, PAUSE, UNPAUSE, REPLY, NO-EVICT,
// GETREDIR, TRACKINGINFO and HELP, with Redis 7.0's replies and error texts.
// UNBLOCK ends waits on keys (the blocking pops), not WAIT. Client-side caching (TRACKING,
// CACHING) is not modelled.

import type { ClientIdentity, CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { ERR_NOT_INTEGER, ERR_SYNTAX } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { replyHelp, replySubcommandSyntaxError } from '../command-docs';
import { clientCaching, clientGetRedir, clientTracking, clientTrackingInfo } from './client-tracking';

export const ERR_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';
const ERR_NO_SUCH_CLIENT = 'ERR No such client';
const ERR_INVALID_CLIENT_ID = 'ERR Invalid client ID';
const ERR_CLIENT_ID_POSITIVE = 'ERR client-id should be greater than 0';
const ERR_PAUSE_MODE = 'ERR CLIENT PAUSE mode must be WRITE or ALL';
const ERR_TIMEOUT_NOT_INTEGER = 'ERR timeout is not an integer or out of range';
const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
const ERR_UNBLOCK_REASON = 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR';
export const ERR_UNBLOCKED_BY_CLIENT = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
const errUnknownClientType = (name: string) => `ERR Unknown client type '${name}'`;
const errNoSuchUser = (name: string) => `ERR No such user '${name}'`;

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

export type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

/** Redis's getClientType: the master link, then replicas, then subscribers. */
export function clientType(client: ClientIdentity): ClientType {
  if (client.isMasterLink) return 'master';
  if (client.isReplica) return 'slave';
  if (client.inPubSub) return 'pubsub';
  return 'normal';
}

/** Redis's getClientTypeByName ('replica' is an alias of 'slave'); null for unknown names. */
export function clientTypeByName(name: string): ClientType | null {
  const lower = name.toLowerCase();
  if (lower === 'normal' || lower === 'slave' || lower === 'pubsub' || lower === 'master') return lower;
  if (lower === 'replica') return 'slave';
  return null;
}

/** Names are printable ASCII without spaces so CLIENT LIST lines can be split on spaces. */
export function isValidClientName(name: string): boolean {
  return !/[^\x21-\x7e]/.test(name);
}

function setName(client: CommandContext, args: string[]): void {
  if (!isValidClientName(args[2])) return client.reply.error(ERR_CLIENT_NAME);
  client.name = args[2];
  client.reply.ok();
}

function getName(client: CommandContext): void {
  if (client.name === '') client.reply.nullBulk();
  else client.reply.bulk(client.name);
}

function info(client: CommandContext): void {
  client.reply.verbatim(client.describe() + '\n');
}

function list(client: CommandContext, args: string[]): void {
  const clients = client.server.clients;
  let selected: ClientIdentity[];
  if (args.length === 4 && args[2].toLowerCase() === 'type') {
    const type = clientTypeByName(args[3]);
    if (type === null) return client.reply.error(errUnknownClientType(args[3]));
    selected = [...clients.values()].filter((c) => clientType(c) === type);
  } else if (args.length > 3 && args[2].toLowerCase() === 'id') {
    selected = [];
    for (let i = 3; i < args.length; i++) {
      const id = parseInt64(args[i]);
      if (id === null) return client.reply.error(ERR_INVALID_CLIENT_ID);
      const found = typeof id === 'number' ? clients.get(id) : undefined;
      if (found) selected.push(found);
    }
  } else if (args.length !== 2) {
    return client.reply.error(ERR_SYNTAX);
  } else {
    selected = [...clients.values()];
  }
  client.reply.verbatim(selected.map((c) => c.describe() + '\n').join(''));
}

interface KillFilter {
  addr: string | null;
  laddr: string | null;
  type: ClientType | null;
  id: number | null;
  user: string | null;
  skipMe: boolean;
}

/** Parses the new-style option pairs; replies with the error and returns null when invalid. */
function parseKillFilter(client: CommandContext, args: string[]): KillFilter | null {
  const filter: KillFilter = { addr: null, laddr: null, type: null, id: null, user: null, skipMe: true };
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i].toLowerCase();
    const value = args[i + 1];
    if (value === undefined) {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
    if (option === 'id') {
      const id = parseInt64(value);
      if (id === null || id < 1) {
        client.reply.error(ERR_CLIENT_ID_POSITIVE);
        return null;
      }
      filter.id = Number(id);
    } else if (option === 'type') {
      filter.type = clientTypeByName(value);
      if (filter.type === null) {
        client.reply.error(errUnknownClientType(value));
        return null;
      }
    } else if (option === 'addr') {
      filter.addr = value;
    } else if (option === 'laddr') {
      filter.laddr = value;
    } else if (option === 'user') {
      if (!client.server.acl.getUser(value)) {
        client.reply.error(errNoSuchUser(value));
        return null;
      }
      filter.user = value;
    } else if (option === 'skipme') {
      const answer = value.toLowerCase();
      if (answer !== 'yes' && answer !== 'no') {
        client.reply.error(ERR_SYNTAX);
        return null;
      }
      filter.skipMe = answer === 'yes';
    } else {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  return filter;
}

function kill(client: CommandContext, args: string[]): void {
  const oldForm = args.length === 3;
  let filter: KillFilter | null;
  if (oldForm) {
    // CLIENT KILL addr: the old form may kill the caller itself.
    filter = { addr: args[2], laddr: null, type: null, id: null, user: null, skipMe: false };
  } else {
    filter = parseKillFilter(client, args);
    if (!filter) return;
  }
  let killed = 0;
  let killSelf = false;
  for (const other of [...client.server.clients.values()]) {
    if (filter.addr !== null && other.address !== filter.addr) continue;
    if (filter.laddr !== null && `${other.localAddress}:${other.localPort}` !== filter.laddr) continue;
    if (filter.type !== null && clientType(other) !== filter.type) continue;
    if (filter.id !== null && other.id !== filter.id) continue;
    if (filter.user !== null && other.user !== filter.user) continue;
    if (other === client && filter.skipMe) continue;
    if (other === client) killSelf = true;
    else other.close();
    killed++;
  }
  if (oldForm) {
    if (killed === 0) client.reply.error(ERR_NO_SUCH_CLIENT);
    else client.reply.ok();
  } else {
    client.reply.integer(killed);
  }
  // The caller goes only after its reply is queued, as Redis's CLIENT_CLOSE_AFTER_REPLY.
  if (killSelf) client.closeAfterReply = true;
}

function pause(client: CommandContext, args: string[]): void {
  if (args.length > 4) return replySubcommandSyntaxError(client, args);
  let mode: 'all' | 'write' = 'all';
  if (args.length === 4) {
    const given = args[3].toLowerCase();
    if (given !== 'write' && given !== 'all') return client.reply.error(ERR_PAUSE_MODE);
    mode = given;
  }
  const timeout = parseInt64(args[2]);
  if (timeout === null) return client.reply.error(ERR_TIMEOUT_NOT_INTEGER);
  if (timeout < 0) return client.reply.error(ERR_TIMEOUT_NEGATIVE);
  client.server.pause.pause(mode, Number(timeout));
  client.reply.ok();
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: the reason is checked before the id, as in 7.0. */
function unblock(client: CommandContext, args: string[]): void {
  if (args.length > 4) return replySubcommandSyntaxError(client, args);
  let asError = false;
  if (args.length === 4) {
    const reason = args[3].toLowerCase();
    if (reason !== 'timeout' && reason !== 'error') return client.reply.error(ERR_UNBLOCK_REASON);
    asError = reason === 'error';
  }
  const id = parseInt64(args[2]);
  if (id === null) return client.reply.error(ERR_NOT_INTEGER);
  const target = client.server.clients.get(Number(id));
  const ended = target !== undefined && client.server.blocking.end(target as CommandContext, asError ? { kind: 'error', text: ERR_UNBLOCKED_BY_CLIENT } : { kind: 'timeout' });
  client.reply.integer(ended ? 1 : 0);
}

function unpause(client: CommandContext): void {
  client.server.pause.unpause();
  client.reply.ok();
}

/** CLIENT REPLY ON|OFF|SKIP: the client's reply mode, applied by the dispatcher around each command. */
function reply(client: CommandContext, args: string[]): void {
  const mode = args[2].toLowerCase();
  if (mode === 'on') {
    client.replyMode = 'on';
    client.reply.muted = false;
    client.reply.ok();
  } else if (mode === 'off') {
    client.replyMode = 'off';
    client.reply.muted = true;
  } else if (mode === 'skip') {
    // SKIP's own reply is not sent; the next command's reply is skipped too.
    client.reply.muted = true;
    if (client.replyMode !== 'off') client.replyMode = 'skip';
  } else {
    client.reply.error(ERR_SYNTAX);
  }
}

function noEvict(client: CommandContext, args: string[]): void {
  const mode = args[2].toLowerCase();
  if (mode !== 'on' && mode !== 'off') return client.reply.error(ERR_SYNTAX);
  // Recorded (CLIENT LIST's e flag); the node evicts no client under maxmemory-clients yet.
  client.noEvict = mode === 'on';
  client.reply.ok();
}

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;
const PLAIN = ['noscript', 'loading', 'stale'] as const;

export const clientCommands: CommandSpec[] = [
  command('client', -2, [], () => {}, undefined, {
    subcommands: {
      id: command('client|id', 2, PLAIN, (client) => client.reply.integer(client.id)),
      setname: command('client|setname', 3, PLAIN, setName),
      getname: command('client|getname', 2, PLAIN, getName),
      info: command('client|info', 2, PLAIN, info),
      list: command('client|list', -2, ADMIN, list),
      kill: command('client|kill', -3, ADMIN, kill),
      pause: command('client|pause', -3, ADMIN, pause),
      unpause: command('client|unpause', 2, ADMIN, unpause),
      unblock: command('client|unblock', -3, ADMIN, unblock),
      reply: command('client|reply', 3, PLAIN, reply),
      'no-evict': command('client|no-evict', 3, ADMIN, noEvict),
      tracking: command('client|tracking', -3, PLAIN, clientTracking),
      caching: command('client|caching', 3, PLAIN, clientCaching),
      getredir: command('client|getredir', 2, PLAIN, clientGetRedir),
      trackinginfo: command('client|trackinginfo', 2, PLAIN, clientTrackingInfo),
      help: command('client|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, CLIENT_HELP)),
    },
  }),
];
