// The keys (generic) group, as Redis 7.0's db.c, expire.c and object.c: the table entries
// (arity, flags, key positions and ACL categories as COMMAND INFO reports them).
// Handlers live in the keys-* modules.

import { command, type CommandFlag, type CommandSpec, type Handler } from './table';
import { aclCategories } from './acl-categories';
import { ERR_SYNTAX } from '../errors';
import { keyBasicHandlers as basic } from './keys-basic';
import { keyMoveHandlers as moving } from './keys-move';
import { keyExpireHandlers as expiry } from './keys-expire';
import { objectHandlers as object } from './keys-object';
import { keyDumpHandlers as dumping } from './keys-dump';

type KeyRange = [first: number, last: number, step: number];

function keyCommand(name: string, arity: number, flags: CommandFlag[], handler: Handler, keys?: KeyRange, dangerous = false): CommandSpec {
  return command(name, arity, flags, handler, keys, { categories: aclCategories(flags, dangerous ? ['keyspace', 'dangerous'] : ['keyspace']) });
}

const ONE_KEY: KeyRange = [1, 1, 1];
const ALL_KEYS: KeyRange = [1, -1, 1];
const TWO_KEYS: KeyRange = [1, 2, 1];
const OBJECT_KEY: KeyRange = [2, 2, 1];

const objectContainer = command('object', -2, [], (client) => client.reply.error(ERR_SYNTAX), undefined, {
  categories: ['@slow'],
  subcommands: {
    encoding: keyCommand('object|encoding', 3, ['readonly'], object.encoding, OBJECT_KEY),
    refcount: keyCommand('object|refcount', 3, ['readonly'], object.refcount, OBJECT_KEY),
    idletime: keyCommand('object|idletime', 3, ['readonly'], object.idletime, OBJECT_KEY),
    freq: keyCommand('object|freq', 3, ['readonly'], object.freq, OBJECT_KEY),
    help: keyCommand('object|help', 2, ['loading', 'stale'], object.help),
  },
});

export const keysCommands: CommandSpec[] = [
  keyCommand('del', -2, ['write'], basic.del, ALL_KEYS),
  keyCommand('unlink', -2, ['write', 'fast'], basic.del, ALL_KEYS),
  keyCommand('exists', -2, ['readonly', 'fast'], basic.countExisting, ALL_KEYS),
  keyCommand('touch', -2, ['readonly', 'fast'], basic.countExisting, ALL_KEYS),
  keyCommand('type', 2, ['readonly', 'fast'], basic.type, ONE_KEY),
  keyCommand('keys', 2, ['readonly'], basic.keys, undefined, true),
  keyCommand('scan', -2, ['readonly'], basic.scan),
  keyCommand('randomkey', 1, ['readonly'], basic.randomkey),
  keyCommand('dbsize', 1, ['readonly', 'fast'], basic.dbsize),
  keyCommand('rename', 3, ['write'], moving.rename, TWO_KEYS),
  keyCommand('renamenx', 3, ['write', 'fast'], moving.rename, TWO_KEYS),
  keyCommand('move', 3, ['write', 'fast'], moving.move, ONE_KEY),
  keyCommand('copy', -3, ['write', 'denyoom'], moving.copy, TWO_KEYS),
  keyCommand('swapdb', 3, ['write', 'fast'], moving.swapdb, undefined, true),
  keyCommand('flushdb', -1, ['write'], moving.flush, undefined, true),
  keyCommand('flushall', -1, ['write'], moving.flush, undefined, true),
  keyCommand('expire', -3, ['write', 'fast'], expiry.expire, ONE_KEY),
  keyCommand('pexpire', -3, ['write', 'fast'], expiry.pexpire, ONE_KEY),
  keyCommand('expireat', -3, ['write', 'fast'], expiry.expireat, ONE_KEY),
  keyCommand('pexpireat', -3, ['write', 'fast'], expiry.pexpireat, ONE_KEY),
  keyCommand('ttl', 2, ['readonly', 'fast'], expiry.ttl, ONE_KEY),
  keyCommand('pttl', 2, ['readonly', 'fast'], expiry.pttl, ONE_KEY),
  keyCommand('expiretime', 2, ['readonly', 'fast'], expiry.expiretime, ONE_KEY),
  keyCommand('pexpiretime', 2, ['readonly', 'fast'], expiry.pexpiretime, ONE_KEY),
  keyCommand('persist', 2, ['write', 'fast'], expiry.persist, ONE_KEY),
  keyCommand('dump', 2, ['readonly'], dumping.dump, ONE_KEY),
  keyCommand('restore', -4, ['write', 'denyoom'], dumping.restore, ONE_KEY, true),
  objectContainer,
];
