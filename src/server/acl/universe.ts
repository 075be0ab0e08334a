// The commands ACL rules are written against: Redis 7.0's command table (as documented in
// command-docs.ts, plus the cluster commands it leaves out), whatever the node implements, so that
// rules, ACL CAT and the descriptions ACL LIST prints agree with redis-server's.

import type { CommandTable } from '../commands/table';
import { commandCategoryNames, documentedCommandCategories } from '../command-docs';

/** Redis's category table, in its order (ACL CAT, and the order descriptions try categories in). */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
] as const;

export interface AclCommand {
  /** 'get' or 'config|get'. */
  readonly name: string;
  readonly categories: ReadonlySet<string>;
  readonly parent: AclCommand | null;
  readonly subcommands: AclCommand[];
  /** no_auth commands (AUTH, HELLO...) are never refused by command rules. */
  readonly noAuth: boolean;
}

const CLUSTER_ADMIN_SUBCOMMANDS = [
  'addslots', 'addslotsrange', 'bumpepoch', 'count-failure-reports', 'delslots', 'delslotsrange', 'failover',
  'flushslots', 'forget', 'meet', 'replicas', 'replicate', 'reset', 'saveconfig', 'set-config-epoch', 'setslot', 'slaves',
];
const CLUSTER_OTHER_SUBCOMMANDS = ['countkeysinslot', 'getkeysinslot', 'help', 'info', 'keyslot', 'links', 'myid', 'nodes', 'shards', 'slots'];

/** Commands redis-server 7.0.15 has in standalone mode that command-docs.ts does not describe. */
function undocumentedCommands(): Array<{ name: string; categories: string[]; flags: string[] }> {
  const out = [
    { name: 'asking', categories: ['fast', 'connection'], flags: [] },
    { name: 'readonly', categories: ['fast', 'connection'], flags: [] },
    { name: 'readwrite', categories: ['fast', 'connection'], flags: [] },
    { name: 'cluster', categories: ['slow'], flags: [] },
  ];
  for (const sub of CLUSTER_ADMIN_SUBCOMMANDS) out.push({ name: `cluster|${sub}`, categories: ['admin', 'slow', 'dangerous'], flags: [] });
  for (const sub of CLUSTER_OTHER_SUBCOMMANDS) out.push({ name: `cluster|${sub}`, categories: ['slow'], flags: [] });
  return out;
}

export class CommandUniverse {
  /** Top-level commands, each followed in walks by its subcommands. */
  readonly topLevel: AclCommand[] = [];
  private readonly byName = new Map<string, AclCommand>();

  /** table: the node's own commands, added when Redis's table lacks them (null: Redis's only). */
  constructor(table: CommandTable | null) {
    const entries = [...documentedCommandCategories(), ...undocumentedCommands()];
    const known = new Set(entries.map((e) => e.name));
    for (const cmd of table?.all() ?? []) {
      if (!known.has(cmd.name)) entries.push({ name: cmd.name, categories: commandCategoryNames(cmd), flags: cmd.flags.includes('noauth') ? ['no_auth'] : [] });
      for (const sub of Object.values(cmd.subcommands ?? {})) {
        if (!known.has(sub.name)) entries.push({ name: sub.name, categories: commandCategoryNames(sub as never), flags: [] });
      }
    }
    for (const entry of entries.filter((e) => !e.name.includes('|'))) this.add(entry, null);
    for (const entry of entries.filter((e) => e.name.includes('|'))) {
      const parent = this.byName.get(entry.name.split('|')[0]);
      if (parent) this.add(entry, parent);
    }
  }

  private add(entry: { name: string; categories: string[]; flags: string[] }, parent: AclCommand | null): void {
    const command: AclCommand = {
      name: entry.name,
      categories: new Set(entry.categories),
      parent,
      subcommands: [],
      noAuth: entry.flags.includes('no_auth'),
    };
    this.byName.set(entry.name, command);
    if (parent) parent.subcommands.push(command);
    else this.topLevel.push(command);
  }

  /** 'get', 'config|get' (case-insensitive), as Redis's ACLLookupCommand. */
  lookup(name: string): AclCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Every command then its subcommands. */
  *walk(): IterableIterator<AclCommand> {
    for (const cmd of this.topLevel) {
      yield cmd;
      yield* cmd.subcommands;
    }
  }
}
