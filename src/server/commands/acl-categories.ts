// ACL categories as COMMAND INFO lists them: the command's own categories plus those Redis
// derives from its flags (setImplicitACLCategories), in Redis's category table order.

import type { CommandFlag } from './table';

const CATEGORY_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
];

/** explicit: the categories of the command's JSON definition, without '@' (e.g. 'string', 'dangerous'). */
export function aclCategories(flags: readonly CommandFlag[], explicit: readonly string[]): string[] {
  const categories = new Set(explicit);
  if (flags.includes('write')) categories.add('write');
  if (flags.includes('readonly')) categories.add('read');
  if (flags.includes('admin')) {
    categories.add('admin');
    categories.add('dangerous');
  }
  if (flags.includes('fast')) categories.add('fast');
  if (!categories.has('fast')) categories.add('slow');
  return CATEGORY_ORDER.filter((name) => categories.has(name)).map((name) => '@' + name);
}
