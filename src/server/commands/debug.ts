// DEBUG: the subcommands Redis's own tests and rctl's tests rely on (SLEEP, SET-ACTIVE-EXPIRE,
// PAUSE-CRON, RELOAD, LOADAOF, OBJECT, PROTOCOL, SET-DISABLE-DENY-SCRIPTS), behind
// enable-debug-command as in Redis 7.0.

import type { CommandContext } from '../context';
import { parseDouble } from '../resp/numbers';
import { replySubcommandSyntaxError } from '../command-docs';
import { debugObject } from './debug-object';
import { debugDigest } from './debug-digest';

const ERR_DEBUG_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

function debugAllowed(client: CommandContext): boolean {
  const setting = client.server.config.get('enable-debug-command');
  if (setting === 'yes') return true;
  return setting === 'local' && client.isLocal;
}

/**
 * DEBUG SLEEP blocks the whole server, which is what tests use it for. DEBUG SET-ACTIVE-EXPIRE
 * stops the cron's sweep (Redis's own tests, and a switch that must not let keys expire while
 * writes are held, use it); lazy expiry still hides and deletes keys that are due. DEBUG
 * PAUSE-CRON stops the whole cron.
 */
export function debug(client: CommandContext, args: string[]): void {
  if (!debugAllowed(client)) return client.reply.error(ERR_DEBUG_NOT_ALLOWED);
  const sub = args[1].toLowerCase();
  if (sub === 'sleep' && args.length === 3) {
    const seconds = parseDouble(args[2]);
    if (seconds === null) return client.reply.error('ERR value is not a valid float');
    const ms = Math.max(0, seconds * 1000);
    if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return client.reply.ok();
  }
  if (sub === 'set-active-expire' && args.length === 3) {
    // Redis reads the flag with atoi: anything but a number that is not 0 switches the sweep off.
    client.server.activeExpireEnabled = (Number.parseInt(args[2], 10) || 0) !== 0;
    return client.reply.ok();
  }
  if (sub === 'protocol' && args.length === 3) return debugProtocol(client, args[2].toLowerCase());
  if (sub === 'reload') return debugReload(client, args);
  if ((sub === 'digest' && args.length === 2) || sub === 'digest-value') return debugDigest(client, args);
  if (sub === 'set-disable-deny-scripts' && args.length === 3) {
    client.server.disableDenyScripts = (Number.parseInt(args[2], 10) || 0) !== 0;
    return client.reply.ok();
  }
  if (sub === 'loadaof' && args.length === 2) return debugLoadAof(client);
  if (sub === 'object' && args.length === 3) return debugObject(client, args[2]);
  if (sub === 'pause-cron' && args.length === 3) {
    client.server.cronPaused = (Number.parseInt(args[2], 10) || 0) !== 0;
    return client.reply.ok();
  }
  replySubcommandSyntaxError(client, args);
}

function debugReload(client: CommandContext, args: string[]): void {
  const options = { merge: false, noflush: false, nosave: false };
  for (const option of args.slice(2)) {
    const name = option.toLowerCase();
    if (name === 'merge' || name === 'noflush' || name === 'nosave') options[name] = true;
    else return client.reply.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  const error = client.server.persistence.debugReload(options);
  if (error !== null) return client.reply.error(error);
  client.reply.ok();
}

/** DEBUG PROTOCOL <type>: one reply of each RESP type, for clients' (and scripts') protocol tests. */
function debugProtocol(client: CommandContext, type: string): void {
  const reply = client.reply;
  const three = () => {
    for (let j = 0; j < 3; j++) reply.integer(j);
  };
  switch (type) {
    case 'string': return reply.bulk('Hello World');
    case 'integer': return reply.integer(12345);
    case 'double': return reply.double(3.141);
    case 'bignum': return reply.resp === 3 ? reply.raw('(1234567999999999999999999999999999999\r\n') : reply.bulk('1234567999999999999999999999999999999');
    case 'null': return reply.nullBulk();
    case 'array':
      reply.arrayHeader(3);
      return three();
    case 'set':
      reply.setHeader(3);
      return three();
    case 'map':
      reply.mapHeader(3);
      for (let j = 0; j < 3; j++) {
        reply.integer(j);
        reply.boolean(j === 1);
      }
      return;
    case 'attrib':
      if (reply.resp === 3) reply.raw('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n');
      return reply.bulk('Some real reply following the attribute');
    case 'push':
      if (reply.resp < 3) return reply.error('ERR RESP2 is not supported by this command');
      reply.pushing(() => {
        reply.pushHeader(2);
        reply.bulk('server-cpu-usage');
        reply.integer(42);
      });
      return reply.bulk('Some real reply following the push reply');
    case 'true': return reply.boolean(true);
    case 'false': return reply.boolean(false);
    case 'verbatim': return reply.verbatim('This is a verbatim\nstring');
    default:
      return reply.error('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
  }
}

/** The node's own refusal: Redis reloads synchronously, even inside a transaction. */
const ERR_LOADAOF_IN_MULTI = 'ERR DEBUG LOADAOF cannot run inside MULTI on this node';

/** DEBUG LOADAOF: the client waits while the AOF replaces the dataset; nothing of it propagates. */
function debugLoadAof(client: CommandContext): void {
  const server = client.server;
  // Loading is asynchronous here: inside EXEC the reply could not wait for it.
  if (client.executingMulti) return client.reply.error(ERR_LOADAOF_IN_MULTI);
  client.blocked = true;
  void server.persistence.aof.reloadForDebug().then(
    () => {
      server.dirty = 0;
      if (client.closed) return;
      client.reply.ok();
      client.unblock();
    },
    (error: unknown) => {
      // Redis exits when the files it just wrote cannot be read back: the dataset is gone either way.
      server.logger.warning(`DEBUG LOADAOF failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
