// ACL: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, LOG, SAVE, LOAD, GENPASS, DRYRUN, HELP.
// The users and the checks live in ../acl; this module only parses and replies.

import { randomBytes } from 'node:crypto';
import type { CommandContext } from '../context';
import { command, type CommandFlag, type CommandSpec } from './table';
import type { Acl } from '../acl/acl';
import { replyHelp, replySubcommandSyntaxError } from '../command-docs';
import { parseInt64 } from '../resp/numbers';
import { ERR_NOT_INTEGER } from '../errors';
import { hasSpaces } from '../acl/user';
import { describeCommandRules } from '../acl/describe-commands';
import { ACL_CATEGORIES } from '../acl/universe';
import type { Selector } from '../acl/selector';

const ADMIN: CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const PLAIN: CommandFlag[] = ['noscript', 'loading', 'stale'];

const ERR_NO_ACLFILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';
const ERR_ACL_SAVE = 'ERR There was an error trying to save the ACLs. Please check the server logs for more information';
const GENPASS_MAX_BITS = 4096;

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

function setUser(acl: Acl, client: CommandContext, args: string[]): void {
  const name = args[2];
  if (hasSpaces(name)) return client.reply.error("ERR Usernames can't contain spaces or null characters");
  const error = acl.setUser(name, args.slice(3), client);
  if (error) client.reply.error('ERR ' + error);
  else client.reply.ok();
}

function delUser(acl: Acl, client: CommandContext, args: string[]): void {
  const names = args.slice(2);
  if (names.includes('default')) return client.reply.error("ERR The 'default' user cannot be removed");
  client.reply.integer(acl.deleteUsers(names, client));
}

function writeSelector(client: CommandContext, selector: Selector): void {
  const reply = client.reply;
  reply.bulk('commands');
  reply.bulk(describeCommandRules(selector));
  reply.bulk('keys');
  reply.bulk(selector.describeKeys());
  reply.bulk('channels');
  reply.bulk(selector.describeChannels());
}

function getUser(acl: Acl, client: CommandContext, args: string[]): void {
  const user = acl.getUser(args[2]);
  const reply = client.reply;
  if (!user) return reply.nullBulk();
  reply.mapHeader(6);
  reply.bulk('flags');
  const flags = user.flagNames();
  reply.setHeader(flags.length);
  for (const flag of flags) reply.bulk(flag);
  reply.bulk('passwords');
  reply.arrayHeader(user.passwords.length);
  for (const hash of user.passwords) reply.bulk(hash);
  writeSelector(client, user.root);
  reply.bulk('selectors');
  reply.arrayHeader(user.selectors.length - 1);
  for (const selector of user.selectors.slice(1)) {
    reply.mapHeader(3);
    writeSelector(client, selector);
  }
}

function list(acl: Acl, client: CommandContext, justNames: boolean): void {
  const names = acl.userNames();
  client.reply.arrayHeader(names.length);
  for (const name of names) client.reply.bulk(justNames ? name : `user ${name} ${acl.getUser(name)!.describe()}`);
}

function cat(acl: Acl, client: CommandContext, args: string[]): void {
  const reply = client.reply;
  if (args.length === 2) {
    reply.arrayHeader(ACL_CATEGORIES.length);
    for (const category of ACL_CATEGORIES) reply.bulk(category);
    return;
  }
  const category = args[2].toLowerCase();
  if (!(ACL_CATEGORIES as readonly string[]).includes(category)) {
    return reply.error(`ERR Unknown category '${args[2].slice(0, 128)}'`);
  }
  const names = [...acl.universe.walk()].filter((cmd) => cmd.categories.has(category)).map((cmd) => cmd.name);
  reply.arrayHeader(names.length);
  for (const name of names) reply.bulk(name);
}

function genpass(client: CommandContext, args: string[]): void {
  let bits = 256;
  if (args.length === 3) {
    const parsed = parseInt64(args[2]);
    if (parsed === null || typeof parsed === 'bigint') return client.reply.error(ERR_NOT_INTEGER);
    bits = parsed;
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    return client.reply.error(
      `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`,
    );
  }
  const chars = Math.floor((bits + 3) / 4);
  client.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

function log(acl: Acl, client: CommandContext, args: string[]): void {
  const reply = client.reply;
  let count = 10;
  if (args.length === 3) {
    if (args[2].toLowerCase() === 'reset') {
      acl.log.reset();
      return reply.ok();
    }
    const parsed = parseInt64(args[2]);
    if (parsed === null || typeof parsed === 'bigint') return reply.error(ERR_NOT_INTEGER);
    count = Math.max(0, parsed);
  }
  const entries = acl.log.entries.slice(0, count);
  const now = client.server.clock.now();
  reply.arrayHeader(entries.length);
  for (const entry of entries) {
    reply.mapHeader(7);
    reply.bulk('count');
    reply.integer(entry.count);
    reply.bulk('reason');
    reply.bulk(entry.reason);
    reply.bulk('context');
    reply.bulk(entry.context);
    reply.bulk('object');
    reply.bulk(entry.object);
    reply.bulk('username');
    reply.bulk(entry.username);
    reply.bulk('age-seconds');
    reply.double((now - entry.ctime) / 1000);
    reply.bulk('client-info');
    reply.bulk(entry.clientInfo);
  }
}

function aclFile(client: CommandContext): string | null {
  const file = client.server.config.get('aclfile');
  if (file === '') {
    client.reply.error(ERR_NO_ACLFILE);
    return null;
  }
  return file;
}

function load(acl: Acl, client: CommandContext): void {
  const file = aclFile(client);
  if (file === null) return;
  const errors = acl.loadFile(file, client);
  if (errors === null) client.reply.ok();
  else client.reply.error('ERR ' + errors);
}

function save(acl: Acl, client: CommandContext): void {
  const file = aclFile(client);
  if (file === null) return;
  if (acl.saveFile(file)) client.reply.ok();
  else client.reply.error(ERR_ACL_SAVE);
}

function dryRun(acl: Acl, client: CommandContext, args: string[]): void {
  const user = acl.getUser(args[2]);
  if (!user) return client.reply.error(`ERR User '${args[2]}' not found`);
  const commandArgs = args.slice(3);
  const cmd = acl.resolveCommand(commandArgs);
  if (!cmd) return client.reply.error(`ERR Command '${commandArgs[0]}' not found`);
  const argc = commandArgs.length;
  if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) {
    return client.reply.error(`ERR wrong number of arguments for '${cmd.name}' command`);
  }
  const verdict = acl.dryRun(user, cmd, commandArgs);
  if (verdict === null) client.reply.ok();
  else client.reply.bulk(verdict);
}

/** Subcommands whose argument count the handler checks itself (Redis's aclCommand answers a syntax error). */
function exactly(counts: number[], handler: (client: CommandContext, args: string[]) => void) {
  return (client: CommandContext, args: string[]) => (counts.includes(args.length) ? handler(client, args) : replySubcommandSyntaxError(client, args));
}

/** ACL's handlers, given the node's ACL (commands reach it only through here and AclControl). */
export function aclCommands(getAcl: () => Acl): CommandSpec[] {
  const withAcl = (handler: (acl: Acl, client: CommandContext, args: string[]) => void) => (client: CommandContext, args: string[]) => handler(getAcl(), client, args);
  return [
    command('acl', -2, [], () => {}, undefined, {
      subcommands: {
        setuser: command('acl|setuser', -3, ADMIN, withAcl(setUser)),
        deluser: command('acl|deluser', -3, ADMIN, withAcl(delUser)),
        getuser: command('acl|getuser', 3, ADMIN, withAcl(getUser)),
        list: command('acl|list', 2, ADMIN, (client) => list(getAcl(), client, false)),
        users: command('acl|users', 2, ADMIN, (client) => list(getAcl(), client, true)),
        whoami: command('acl|whoami', 2, PLAIN, (client) => client.reply.bulk(client.user)),
        cat: command('acl|cat', -2, PLAIN, exactly([2, 3], withAcl(cat))),
        log: command('acl|log', -2, ADMIN, exactly([2, 3], withAcl(log))),
        save: command('acl|save', 2, ADMIN, (client) => save(getAcl(), client)),
        load: command('acl|load', 2, ADMIN, (client) => load(getAcl(), client)),
        genpass: command('acl|genpass', -2, PLAIN, exactly([2, 3], genpass)),
        dryrun: command('acl|dryrun', -4, ADMIN, withAcl(dryRun)),
        help: command('acl|help', 2, ['loading', 'stale'], (client, args) => replyHelp(client, args, ACL_HELP)),
      },
    }),
  ];
}
