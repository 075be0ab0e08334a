// The strings group, as Redis 7.0's t_string.c: the table entries (arity, flags, key positions
// and ACL categories as COMMAND INFO reports them). Handlers live in the strings-* modules.

import { command, type CommandFlag, type CommandSpec, type Handler } from './table';
import { aclCategories } from './acl-categories';
import { stringSetHandlers as set } from './strings-set';
import { stringNumericHandlers as numeric } from './strings-numeric';
import { stringRangeHandlers as range } from './strings-range';

function stringCommand(name: string, arity: number, flags: CommandFlag[], handler: Handler, keys: [number, number, number] = [1, 1, 1]): CommandSpec {
  return command(name, arity, flags, handler, keys, { categories: aclCategories(flags, ['string']) });
}

export const stringsCommands: CommandSpec[] = [
  stringCommand('get', 2, ['readonly', 'fast'], set.get),
  stringCommand('set', -3, ['write', 'denyoom'], set.set),
  stringCommand('setnx', 3, ['write', 'denyoom', 'fast'], set.setnx),
  stringCommand('setex', 4, ['write', 'denyoom'], set.setex),
  stringCommand('psetex', 4, ['write', 'denyoom'], set.setex),
  stringCommand('getex', -2, ['write', 'fast'], set.getex),
  stringCommand('getdel', 2, ['write', 'fast'], set.getdel),
  stringCommand('getset', 3, ['write', 'denyoom', 'fast'], set.getset),
  stringCommand('mget', -2, ['readonly', 'fast'], set.mget, [1, -1, 1]),
  stringCommand('mset', -3, ['write', 'denyoom'], set.mset, [1, -1, 2]),
  stringCommand('msetnx', -3, ['write', 'denyoom'], set.mset, [1, -1, 2]),
  stringCommand('incr', 2, ['write', 'denyoom', 'fast'], numeric.incr),
  stringCommand('decr', 2, ['write', 'denyoom', 'fast'], numeric.decr),
  stringCommand('incrby', 3, ['write', 'denyoom', 'fast'], numeric.incrby),
  stringCommand('decrby', 3, ['write', 'denyoom', 'fast'], numeric.decrby),
  stringCommand('incrbyfloat', 3, ['write', 'denyoom', 'fast'], numeric.incrbyfloat),
  stringCommand('append', 3, ['write', 'denyoom', 'fast'], range.append),
  stringCommand('strlen', 2, ['readonly', 'fast'], range.strlen),
  stringCommand('getrange', 4, ['readonly'], range.getrange),
  stringCommand('substr', 4, ['readonly'], range.getrange),
  stringCommand('setrange', 4, ['write', 'denyoom'], range.setrange),
  stringCommand('lcs', -3, ['readonly'], range.lcs, [1, 2, 1]),
];
