// Connection commands: PING, ECHO, AUTH, HELLO, SELECT, QUIT, RESET.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { errWrongArity, ERR_AUTH_NO_PASSWORD, ERR_DB_INDEX, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGPASS } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { REDIS_COMPAT_VERSION } from '../version';

const ERR_HELLO_NOAUTH =
  'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';
const ERR_NOPROTO = 'NOPROTO unsupported protocol version';
const ERR_PROTOVER = 'ERR Protocol version is not an integer or out of range';

function ping(client: CommandContext, args: string[]): void {
  if (args.length > 2) return client.reply.error(errWrongArity('ping'));
  if (client.inPubSub && client.reply.resp === 2) {
    client.reply.arrayHeader(2);
    client.reply.bulk('pong');
    client.reply.bulk(args.length > 1 ? args[1] : '');
    return;
  }
  if (args.length > 1) client.reply.bulk(args[1]);
  else client.reply.simple('PONG');
}

function auth(client: CommandContext, args: string[]): void {
  if (args.length > 3) return client.reply.error(ERR_SYNTAX);
  const server = client.server;
  if (args.length === 2 && server.acl.defaultUserHasNoPassword()) return client.reply.error(ERR_AUTH_NO_PASSWORD);
  const user = args.length === 3 ? args[1] : 'default';
  const password = args[args.length - 1];
  if (server.acl.authenticate(client, user, password, args[0])) {
    client.reply.ok();
  } else {
    server.logger.verbose(`AUTH failed for user '${user}' from ${client.address}`);
    client.reply.error(ERR_WRONGPASS);
  }
}

function hello(client: CommandContext, args: string[]): void {
  let version = client.reply.resp as number;
  if (args.length >= 2) {
    const parsed = parseInt64(args[1]);
    if (parsed === null || typeof parsed === 'bigint') return client.reply.error(ERR_PROTOVER);
    if (parsed < 2 || parsed > 3) return client.reply.error(ERR_NOPROTO);
    version = parsed;
  }
  let authUser: string | null = null;
  let authPassword = '';
  let setName: string | null = null;
  for (let i = 2; i < args.length; i++) {
    const option = args[i].toLowerCase();
    const more = args.length - i - 1;
    if (option === 'auth' && more >= 2) {
      authUser = args[i + 1];
      authPassword = args[i + 2];
      i += 2;
    } else if (option === 'setname' && more >= 1) {
      setName = args[i + 1];
      i += 1;
    } else {
      return client.reply.error(`ERR Syntax error in HELLO option '${args[i]}'`);
    }
  }
  if (authUser !== null) {
    if (!client.server.acl.authenticate(client, authUser, authPassword, args[0])) return client.reply.error(ERR_WRONGPASS);
  }
  if (!client.authenticated) return client.reply.error(ERR_HELLO_NOAUTH);
  if (setName !== null) {
    if (/[^\x21-\x7e]/.test(setName)) {
      return client.reply.error('ERR Client names cannot contain spaces, newlines or special characters.');
    }
    client.name = setName;
  }
  client.reply.resp = version as 2 | 3;
  const reply = client.reply;
  reply.mapHeader(7);
  reply.bulk('server');
  reply.bulk('redis');
  reply.bulk('version');
  reply.bulk(REDIS_COMPAT_VERSION);
  reply.bulk('proto');
  reply.integer(version);
  reply.bulk('id');
  reply.integer(client.id);
  reply.bulk('mode');
  reply.bulk('standalone');
  reply.bulk('role');
  reply.bulk(client.server.replication.isReplica() ? 'replica' : 'master');
  reply.bulk('modules');
  reply.arrayHeader(0);
}

const ERR_SELECT_INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';

function select(client: CommandContext, args: string[]): void {
  const index = parseInt64(args[1]);
  if (index === null) return client.reply.error(ERR_NOT_INTEGER);
  if (typeof index === 'bigint' || index > 2147483647 || index < -2147483648) return client.reply.error(ERR_SELECT_INT_RANGE);
  if (index < 0 || index >= client.server.dbs.length) return client.reply.error(ERR_DB_INDEX);
  client.dbIndex = index;
  client.reply.ok();
}

function reset(client: CommandContext): void {
  const server = client.server;
  client.multi = null;
  client.multiError = false;
  server.unwatchAll(client);
  server.pubsub.removeClient(client);
  // Client-side caching and MONITOR end too, and replies come back on (clearClientConnectionState).
  server.tracking.disable(client);
  server.monitors.remove(client);
  client.replyMode = 'on';
  client.reply.muted = false;
  client.dbIndex = 0;
  client.reply.resp = 2;
  client.name = '';
  client.user = 'default';
  client.authenticated = server.acl.newClientAuthenticated();
  client.reply.simple('RESET');
}

export const connectionCommands: CommandSpec[] = [
  command('ping', -1, ['fast', 'pubsub'], ping),
  command('echo', 2, ['fast'], (client, args) => client.reply.bulk(args[1])),
  command('auth', -2, ['noscript', 'loading', 'stale', 'fast', 'noauth'], auth),
  command('hello', -1, ['noscript', 'loading', 'stale', 'fast', 'noauth'], hello),
  command('select', 2, ['loading', 'stale', 'fast'], select),
  // Answered by the dispatcher before lookup; the entry gives COMMAND INFO its metadata.
  command('quit', -1, ['noscript', 'loading', 'stale', 'fast', 'noauth', 'pubsub'], (client) => {
    client.reply.ok();
    client.closeAfterReply = true;
  }),
  command('reset', 1, ['noscript', 'loading', 'stale', 'fast', 'noauth', 'pubsub'], reset),
];
