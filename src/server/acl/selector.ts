// One set of permissions (Redis's aclSelector): the commands it may run, the keys it may read or
// write and the channels it may use. A user has a root selector plus any "(...)" selectors.

import { globMatch } from '../glob';
import { ACL_CATEGORIES, type AclCommand, type CommandUniverse } from './universe';

/** Why a rule was refused; each maps to Redis's ACLSetUserStringError text. */
export type RuleError = 'unknown' | 'syntax' | 'keys-after-all' | 'channels-after-all' | 'no-such-password' | 'bad-hash' | 'first-arg-of-subcommand';

export const RULE_ERROR_TEXT: Record<RuleError, string> = {
  unknown: 'Unknown command or category name in ACL',
  syntax: 'Syntax error',
  'keys-after-all':
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  'channels-after-all':
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  'no-such-password': 'The password you are trying to remove from the user does not exist',
  'bad-hash': 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  'first-arg-of-subcommand': 'Allowing first-arg of a subcommand is not supported',
};

export interface KeyPattern {
  pattern: string;
  read: boolean;
  write: boolean;
}

/** isspace() or NUL, as Redis's ACLStringHasSpaces. */
export function hasSpaces(text: string): boolean {
  return /[\s\0]/.test(text);
}

export class Selector {
  allKeys = false;
  patterns: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];
  /** SELECTOR_FLAG_ALLCOMMANDS: cleared by any command taken away. */
  allCommands = false;
  /** The reserved bit only +@all sets: the description then starts from +@all. */
  futureCommands = false;
  readonly allowed = new Set<string>();
  /** +select|0 style first arguments of otherwise refused commands, by command name. */
  readonly firstArgs = new Map<string, string[]>();

  constructor(readonly universe: CommandUniverse, allChannelsByDefault: boolean) {
    this.allChannels = allChannelsByDefault;
  }

  clone(): Selector {
    const copy = new Selector(this.universe, this.allChannels);
    copy.allKeys = this.allKeys;
    copy.patterns = this.patterns.map((p) => ({ ...p }));
    copy.channels = [...this.channels];
    copy.allCommands = this.allCommands;
    copy.futureCommands = this.futureCommands;
    for (const name of this.allowed) copy.allowed.add(name);
    for (const [name, args] of this.firstArgs) copy.firstArgs.set(name, [...args]);
    return copy;
  }

  /** Applies one rule; null when understood, else why not (nothing changes then). */
  apply(op: string): RuleError | null {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || lower === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (lower === 'allchannels' || lower === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      for (const cmd of this.universe.walk()) this.allowed.add(cmd.name);
      this.allCommands = true;
      this.futureCommands = true;
      this.firstArgs.clear();
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.allowed.clear();
      this.allCommands = false;
      this.futureCommands = false;
      this.firstArgs.clear();
    } else if (op[0] === '~' || op[0] === '%') {
      return this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) return 'channels-after-all';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'syntax';
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const category = lower.slice(2);
      if (!this.universeHasCategory(category)) return 'unknown';
      this.setCategory(category, op[0] === '+');
    } else if (op[0] === '+') {
      return this.allowCommand(op.slice(1));
    } else if (op[0] === '-') {
      const cmd = this.universe.lookup(op.slice(1));
      if (!cmd) return 'unknown';
      this.changePerm(cmd, false);
    } else {
      return 'syntax';
    }
    return null;
  }

  private universeHasCategory(category: string): boolean {
    return (ACL_CATEGORIES as readonly string[]).includes(category);
  }

  private addKeyPattern(op: string): RuleError | null {
    if (this.allKeys) return 'keys-after-all';
    let read = true;
    let write = true;
    let offset = 1;
    if (op[0] === '%') {
      read = write = false;
      for (; offset < op.length; offset++) {
        const c = op[offset].toUpperCase();
        if (c === 'R' && !read) read = true;
        else if (c === 'W' && !write) write = true;
        else if (op[offset] === '~' && (read || write)) {
          offset++;
          break;
        } else return 'syntax';
      }
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return 'syntax';
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing) {
      existing.read ||= read;
      existing.write ||= write;
    } else {
      this.patterns.push({ pattern, read, write });
    }
    this.allKeys = false;
    return null;
  }

  private allowCommand(spec: string): RuleError | null {
    const bar = spec.lastIndexOf('|');
    if (bar === -1) {
      const cmd = this.universe.lookup(spec);
      if (!cmd) return 'unknown';
      this.changePerm(cmd, true);
      return null;
    }
    const cmd = this.universe.lookup(spec.slice(0, bar));
    if (!cmd) return 'unknown';
    if (cmd.parent) return 'first-arg-of-subcommand';
    const sub = spec.slice(bar + 1);
    if (sub === '') return 'syntax';
    if (cmd.subcommands.length > 0) {
      const subcommand = this.universe.lookup(spec);
      if (!subcommand) return 'unknown';
      this.changePerm(subcommand, true);
      return null;
    }
    const list = this.firstArgs.get(cmd.name) ?? [];
    if (!list.some((arg) => arg.toLowerCase() === sub.toLowerCase())) list.push(sub);
    this.firstArgs.set(cmd.name, list);
    return null;
  }

  private setBit(name: string, allow: boolean): void {
    if (allow) this.allowed.add(name);
    else {
      this.allowed.delete(name);
      this.allCommands = false;
    }
  }

  /** ACLChangeSelectorPerm: the command and all its subcommands; its first arguments are forgotten. */
  changePerm(cmd: AclCommand, allow: boolean): void {
    this.setBit(cmd.name, allow);
    this.firstArgs.delete(cmd.name);
    for (const sub of cmd.subcommands) this.setBit(sub.name, allow);
  }

  setCategory(category: string, allow: boolean): void {
    for (const cmd of this.universe.topLevel) {
      if (cmd.categories.has(category)) this.changePerm(cmd, allow);
      for (const sub of cmd.subcommands) if (sub.categories.has(category)) this.changePerm(sub, allow);
    }
  }

  // --- checks --------------------------------------------------------------------------------

  /** Whether the command itself (not its keys or channels) may run. */
  allowsCommand(cmd: AclCommand, args: readonly string[]): boolean {
    if (this.allCommands || cmd.noAuth || this.allowed.has(cmd.name)) return true;
    const firstArgs = this.firstArgs.get(cmd.name);
    if (!firstArgs || args.length < 2) return false;
    const arg = args[cmd.parent ? 2 : 1];
    return arg !== undefined && firstArgs.some((allowed) => allowed.toLowerCase() === arg.toLowerCase());
  }

  allowsKey(key: string, needRead: boolean, needWrite: boolean): boolean {
    if (this.allKeys) return true;
    return this.patterns.some((p) => (!needRead || p.read) && (!needWrite || p.write) && globMatch(p.pattern, key));
  }

  /** A PSUBSCRIBE pattern must be granted literally; a channel is matched against the patterns. */
  allowsChannel(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return channelAllowedBy(this.channels, channel, isPattern);
  }

  // --- description ---------------------------------------------------------------------------

  describeKeys(): string {
    if (this.allKeys) return '~*';
    return this.patterns.map(describePattern).join(' ');
  }

  describeChannels(): string {
    if (this.allChannels) return '&*';
    return this.channels.map((c) => '&' + c).join(' ');
  }
}

export function channelAllowedBy(channels: readonly string[], channel: string, isPattern: boolean): boolean {
  return channels.some((pattern) => (isPattern ? pattern === channel : globMatch(pattern, channel)));
}

function describePattern(p: KeyPattern): string {
  if (p.read && p.write) return '~' + p.pattern;
  return (p.read ? '%R~' : '%W~') + p.pattern;
}

