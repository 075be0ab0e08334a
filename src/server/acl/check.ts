// Whether a user may run a command with these arguments: Redis's ACLCheckAllUserCommandPerm over
// the user's selectors, with the keys found by the command's key specs and the channels of the
// pub/sub commands.

import type { CompiledCommand } from '../commands/table';
import { commandKeysWithFlags } from '../command-docs';
import type { Selector } from './selector';
import type { AclUser } from './user';
import type { CommandUniverse } from './universe';

export type Denial = { reason: 'command' | 'key' | 'channel'; argIndex: number };

const RANK = { command: 1, key: 2, channel: 4 } as const;

interface KeyRef {
  index: number;
  read: boolean;
  write: boolean;
}

function keyRefs(cmd: CompiledCommand, args: string[]): KeyRef[] {
  // SET and BITFIELD have variable flags: their own procedures tell what this call does.
  if (cmd.name === 'set') {
    const get = args.slice(3).some((arg) => arg.toLowerCase() === 'get');
    return [{ index: 1, read: get, write: true }];
  }
  if (cmd.name === 'bitfield') return [{ index: 1, read: true, write: !bitfieldReadOnly(args) }];
  return commandKeysWithFlags(cmd, args).map(({ index, flags }) => ({
    index,
    read: flags.includes('access'),
    write: flags.includes('insert') || flags.includes('delete') || flags.includes('update'),
  }));
}

function bitfieldReadOnly(args: string[]): boolean {
  for (let i = 2; i < args.length; i++) {
    const remaining = args.length - i - 1;
    const arg = args[i].toLowerCase();
    if (arg === 'get' && remaining >= 2) i += 2;
    else if ((arg === 'set' || arg === 'incrby') && remaining >= 3) return false;
    else if (arg === 'overflow' && remaining >= 1) i += 1;
    else return false;
  }
  return true;
}

function channelRefs(name: string, args: string[]): Array<{ index: number; pattern: boolean }> {
  if (name === 'publish' || name === 'spublish') return args.length > 1 ? [{ index: 1, pattern: false }] : [];
  if (name === 'subscribe' || name === 'ssubscribe' || name === 'psubscribe') {
    return args.slice(1).map((_, i) => ({ index: i + 1, pattern: name === 'psubscribe' }));
  }
  return [];
}

function checkSelector(selector: Selector, universeCmd: ReturnType<CommandUniverse['lookup']>, cmd: CompiledCommand, args: string[], keys: () => KeyRef[]): Denial | null {
  if (universeCmd && !selector.allowsCommand(universeCmd, args)) return { reason: 'command', argIndex: 0 };
  if (!selector.allKeys) {
    for (const ref of keys()) {
      if (!selector.allowsKey(args[ref.index], ref.read, ref.write)) return { reason: 'key', argIndex: ref.index };
    }
  }
  if (!selector.allChannels) {
    for (const ref of channelRefs(cmd.name, args)) {
      if (!selector.allowsChannel(args[ref.index], ref.pattern)) return { reason: 'channel', argIndex: ref.index };
    }
  }
  return null;
}

/** null when allowed; else the denial Redis reports (the worst, then the last argument). */
export function checkCommand(user: AclUser, universe: CommandUniverse, cmd: CompiledCommand, args: string[]): Denial | null {
  // The common case (the default user): nothing to look up.
  if (user.selectors.some((s) => s.allCommands && s.allKeys && s.allChannels)) return null;
  const universeCmd = universe.lookup(cmd.name);
  let cached: KeyRef[] | null = null;
  const keys = () => (cached ??= keyRefs(cmd, args));
  let relevant: Denial = { reason: 'command', argIndex: 0 };
  for (const selector of user.selectors) {
    const denial = checkSelector(selector, universeCmd, cmd, args, keys);
    if (!denial) return null;
    if (RANK[denial.reason] > RANK[relevant.reason] || (denial.reason === relevant.reason && denial.argIndex > relevant.argIndex)) {
      relevant = denial;
    }
  }
  return relevant;
}
