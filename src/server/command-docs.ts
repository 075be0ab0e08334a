// COMMAND metadata and rendering: COMMAND / COMMAND INFO / DOCS / LIST / GETKEYS reply shapes of
// Redis 7.0, built from the node's command table plus the metadata below (flags, ACL categories,
// key specs, tips, group, since, summary) that the group modules' specs do not carry.
// Also the HELP and "unknown subcommand or wrong number of arguments" replies every container shares.

import type { CommandContext } from './context';
import type { CompiledCommand, CommandTable } from './commands/table';
import type { ReplyBuffer } from './resp/reply';
import { globMatch } from './glob';
import { parseInt64 } from './resp/numbers';
import { sortKeyPositions } from './commands/sort';
import { variableKeyFlags } from './variable-key-flags';

const ERR_GETKEYS_INVALID_COMMAND = 'ERR Invalid command specified';
const ERR_GETKEYS_NO_KEYS = 'ERR The command has no key arguments';
const ERR_GETKEYS_ARITY = 'ERR Invalid number of arguments specified for command';
const ERR_GETKEYS_INVALID_ARGS = 'ERR Invalid arguments specified for command';

// --- shared HELP / syntax error replies -----------------------------------------------------------

/** CONTAINER HELP: a header naming the command as typed (upper-cased), the lines, then HELP itself. */
export function replyHelp(client: CommandContext, args: string[], lines: readonly string[]): void {
  const reply = client.reply;
  reply.arrayHeader(lines.length + 3);
  reply.simple(`${args[0].toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) reply.simple(line);
  reply.simple('HELP');
  reply.simple('    Prints this help.');
}

/** Redis's addReplySubcommandSyntaxError: a known subcommand used with arguments it does not take. */
export function replySubcommandSyntaxError(client: CommandContext, args: string[]): void {
  client.reply.error(
    `ERR unknown subcommand or wrong number of arguments for '${args[1].slice(0, 128)}'. Try ${args[0].toUpperCase()} HELP.`,
  );
}

// --- metadata ------------------------------------------------------------------------------------

/**
 * Compact metadata of one command as redis-server 7.0.15 reports it:
 * a arity, f flags, k legacy [first, last, step], c ACL categories (without '@'), t tips,
 * ks key specs as 'flags|begin_search|find_keys[|notes]', g group, s since, x complexity, d summary,
 * df doc flags, dep deprecated since, rep replaced by, h history, args arguments. Space-separated lists.
 */
interface DocEntry {
  a: number;
  f?: string;
  k?: [number, number, number];
  c: string;
  t?: string;
  ks?: string[];
  g: string;
  s?: string;
  x?: string;
  d?: string;
  df?: string;
  dep?: string;
  rep?: string;
  h?: Array<[since: string, change: string]>;
  args?: DocArg[];
}

/** One documented argument: name, type, then k key spec index, t token, s since, ds deprecated since, f flags, a nested arguments. */
type DocArg = [name: string, type: string, extra?: { k?: number; t?: string; s?: string; ds?: string; f?: string; a?: DocArg[] }];

interface KeySpec {
  flags: string[];
  notes?: string;
  begin: { type: 'index'; index: number } | { type: 'keyword'; keyword: string; startfrom: number } | { type: 'unknown' };
  find:
    | { type: 'range'; lastkey: number; keystep: number; limit: number }
    | { type: 'keynum'; keynumidx: number; firstkey: number; keystep: number }
    | { type: 'unknown' };
}

const words = (text: string | undefined): string[] => (text ? text.split(' ') : []);

function parseKeySpec(text: string): KeySpec {
  const [flags, begin, find, ...notes] = text.split('|');
  const b = begin.split(' ');
  const f = find.split(' ');
  return {
    flags: words(flags),
    notes: notes.length > 0 ? notes.join('|') : undefined,
    begin:
      b[0] === 'index'
        ? { type: 'index', index: Number(b[1]) }
        : b[0] === 'keyword'
          ? { type: 'keyword', keyword: b[1], startfrom: Number(b[2]) }
          : { type: 'unknown' },
    find:
      f[0] === 'range'
        ? { type: 'range', lastkey: Number(f[1]), keystep: Number(f[2]), limit: Number(f[3]) }
        : f[0] === 'keynum'
          ? { type: 'keynum', keynumidx: Number(f[1]), firstkey: Number(f[2]), keystep: Number(f[3]) }
          : { type: 'unknown' },
  };
}

/** Redis's order of command flags in COMMAND INFO; the node's own flag names map onto it. */
const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];
const NODE_FLAG_NAMES: Record<string, string> = { noauth: 'no_auth', nomulti: 'no_multi' };

function docOf(cmd: CompiledCommand): DocEntry | undefined {
  return Object.prototype.hasOwnProperty.call(COMMAND_DOCS, cmd.name) ? COMMAND_DOCS[cmd.name] : undefined;
}

/** The names of Redis 7.0's commands (containers, not their subcommands). */
export function redisCommandNames(): string[] {
  return Object.keys(COMMAND_DOCS).filter((name) => !name.includes('|'));
}

/** The command's flags as COMMAND INFO shows them (Redis 7.0's names: admin, skip_monitor...). */
export function commandFlags(cmd: CompiledCommand): readonly string[] {
  return flagsOf(cmd);
}

function flagsOf(cmd: CompiledCommand): string[] {
  const doc = docOf(cmd);
  if (doc) return words(doc.f);
  const names = new Set(cmd.flags.map((flag) => NODE_FLAG_NAMES[flag] ?? flag));
  return FLAG_ORDER.filter((flag) => names.has(flag));
}

function categoriesOf(cmd: CompiledCommand): string[] {
  const doc = docOf(cmd);
  if (doc) return words(doc.c).map((c) => '@' + c);
  if (cmd.categories) return [...cmd.categories];
  const out: string[] = [];
  if (cmd.isWrite) out.push('@write');
  if (cmd.isReadonly) out.push('@read');
  if (cmd.flags.includes('admin')) out.push('@admin');
  out.push(cmd.flags.includes('fast') ? '@fast' : '@slow');
  if (cmd.flags.includes('admin')) out.push('@dangerous');
  return out;
}

function legacyKeysOf(cmd: CompiledCommand): [number, number, number] {
  return docOf(cmd)?.k ?? cmd.keys ?? [0, 0, 0];
}

function keySpecsOf(cmd: CompiledCommand): KeySpec[] {
  const doc = docOf(cmd);
  if (doc) return (doc.ks ?? []).map(parseKeySpec);
  if (!cmd.keys) return [];
  const [first, last, step] = cmd.keys;
  // A legacy range becomes one index/range spec, as Redis derives it for old-style commands.
  return [{ flags: [], begin: { type: 'index', index: first }, find: { type: 'range', lastkey: last < 0 ? last : last - first, keystep: step, limit: 0 } }];
}

// --- COMMAND INFO --------------------------------------------------------------------------------

function writeFlagSet(reply: ReplyBuffer, flags: readonly string[]): void {
  reply.setHeader(flags.length);
  for (const flag of flags) reply.simple(flag);
}

function writeKeySpec(reply: ReplyBuffer, spec: KeySpec): void {
  reply.mapHeader(spec.notes !== undefined ? 4 : 3);
  if (spec.notes !== undefined) {
    reply.bulk('notes');
    reply.bulk(spec.notes);
  }
  reply.bulk('flags');
  writeFlagSet(reply, spec.flags);
  reply.bulk('begin_search');
  reply.mapHeader(2);
  reply.bulk('type');
  reply.bulk(spec.begin.type);
  reply.bulk('spec');
  if (spec.begin.type === 'index') {
    reply.mapHeader(1);
    reply.bulk('index');
    reply.integer(spec.begin.index);
  } else if (spec.begin.type === 'keyword') {
    reply.mapHeader(2);
    reply.bulk('keyword');
    reply.bulk(spec.begin.keyword);
    reply.bulk('startfrom');
    reply.integer(spec.begin.startfrom);
  } else {
    reply.mapHeader(0);
  }
  reply.bulk('find_keys');
  reply.mapHeader(2);
  reply.bulk('type');
  reply.bulk(spec.find.type);
  reply.bulk('spec');
  if (spec.find.type === 'range') {
    reply.mapHeader(3);
    reply.bulk('lastkey');
    reply.integer(spec.find.lastkey);
    reply.bulk('keystep');
    reply.integer(spec.find.keystep);
    reply.bulk('limit');
    reply.integer(spec.find.limit);
  } else if (spec.find.type === 'keynum') {
    reply.mapHeader(3);
    reply.bulk('keynumidx');
    reply.integer(spec.find.keynumidx);
    reply.bulk('firstkey');
    reply.integer(spec.find.firstkey);
    reply.bulk('keystep');
    reply.integer(spec.find.keystep);
  } else {
    reply.mapHeader(0);
  }
}

/** One command's 10-element COMMAND INFO entry; subcommands nest as full entries. */
export function writeCommandInfo(reply: ReplyBuffer, cmd: CompiledCommand): void {
  const [first, last, step] = legacyKeysOf(cmd);
  reply.arrayHeader(10);
  reply.bulk(cmd.name);
  reply.integer(cmd.arity);
  writeFlagSet(reply, flagsOf(cmd));
  reply.integer(first);
  reply.integer(last);
  reply.integer(step);
  writeFlagSet(reply, categoriesOf(cmd));
  const tips = words(docOf(cmd)?.t);
  reply.setHeader(tips.length);
  for (const tip of tips) reply.bulk(tip);
  const specs = keySpecsOf(cmd);
  reply.setHeader(specs.length);
  for (const spec of specs) writeKeySpec(reply, spec);
  const subs = cmd.subcommands ? (Object.values(cmd.subcommands) as CompiledCommand[]) : [];
  if (cmd.subcommands) reply.arrayHeader(subs.length);
  else reply.setHeader(0);
  for (const sub of subs) writeCommandInfo(reply, sub);
}

// --- COMMAND DOCS --------------------------------------------------------------------------------

function writeDocArgs(reply: ReplyBuffer, args: readonly DocArg[]): void {
  reply.arrayHeader(args.length);
  for (const [name, type, extra = {}] of args) {
    const nested = type === 'oneof' || type === 'block';
    const fields = 2 + [extra.k, extra.t, extra.s, extra.ds, extra.f].filter((v) => v !== undefined).length + (nested ? 1 : 0);
    reply.mapHeader(fields);
    reply.bulk('name');
    reply.bulk(name);
    reply.bulk('type');
    reply.bulk(type);
    if (extra.k !== undefined) {
      reply.bulk('key_spec_index');
      reply.integer(extra.k);
    }
    const texts: Array<[string, string | undefined]> = [['token', extra.t], ['since', extra.s], ['deprecated_since', extra.ds]];
    for (const [field, value] of texts) {
      if (value === undefined) continue;
      reply.bulk(field);
      reply.bulk(value);
    }
    if (extra.f !== undefined) {
      reply.bulk('flags');
      writeFlagSet(reply, words(extra.f));
    }
    if (nested) {
      reply.bulk('arguments');
      writeDocArgs(reply, extra.a ?? []);
    }
  }
}

/** One command's docs map, in Redis's field order. */
export function writeCommandDocs(reply: ReplyBuffer, cmd: CompiledCommand): void {
  const doc = docOf(cmd);
  const subs = cmd.subcommands ? (Object.values(cmd.subcommands) as CompiledCommand[]) : null;
  const fields: Array<[string, string]> = [];
  if (doc?.d) fields.push(['summary', doc.d]);
  if (doc?.s) fields.push(['since', doc.s]);
  fields.push(['group', doc?.g ?? 'generic']);
  if (doc?.x) fields.push(['complexity', doc.x]);
  const docFlags = words(doc?.df);
  const optional = [docFlags.length > 0, doc?.dep, doc?.rep, doc?.h, doc?.args, subs].filter(Boolean).length;
  reply.mapHeader(fields.length + optional);
  for (const [name, value] of fields) {
    reply.bulk(name);
    reply.bulk(value);
  }
  if (docFlags.length > 0) {
    reply.bulk('doc_flags');
    writeFlagSet(reply, docFlags);
  }
  if (doc?.dep) {
    reply.bulk('deprecated_since');
    reply.bulk(doc.dep);
  }
  if (doc?.rep) {
    reply.bulk('replaced_by');
    reply.bulk(doc.rep);
  }
  if (doc?.h) {
    reply.bulk('history');
    reply.setHeader(doc.h.length);
    for (const [since, change] of doc.h) reply.bulkArray([since, change]);
  }
  if (doc?.args) {
    reply.bulk('arguments');
    writeDocArgs(reply, doc.args);
  }
  if (subs) {
    reply.bulk('subcommands');
    reply.mapHeader(subs.length);
    for (const sub of subs) {
      reply.bulk(sub.name);
      writeCommandDocs(reply, sub);
    }
  }
}

// --- lookups, LIST and GETKEYS -------------------------------------------------------------------

/** 'get' or 'config|get', case-insensitive, as Redis's lookupCommandBySds. */
export function lookupCommandByFullName(table: CommandTable, fullName: string): CompiledCommand | undefined {
  const parts = fullName.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const cmd = table.get(parts[0]);
  if (!cmd || parts.length === 1) return cmd;
  return cmd.subcommands?.[parts[1]] as CompiledCommand | undefined;
}

/** Every command then its subcommands, as COMMAND LIST walks them. */
export function allCommandsWithSubcommands(table: CommandTable): CompiledCommand[] {
  const out: CompiledCommand[] = [];
  for (const cmd of table.all()) {
    out.push(cmd);
    if (cmd.subcommands) out.push(...(Object.values(cmd.subcommands) as CompiledCommand[]));
  }
  return out;
}

export type CommandListFilter = { kind: 'module' | 'aclcat' | 'pattern'; arg: string } | null;

export function commandMatchesFilter(cmd: CompiledCommand, filter: CommandListFilter): boolean {
  if (filter === null) return true;
  if (filter.kind === 'module') return false;
  if (filter.kind === 'pattern') return globMatch(filter.arg, cmd.name, true);
  const wanted = '@' + filter.arg.toLowerCase();
  return categoriesOf(cmd).includes(wanted);
}

/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS: resolves the command, then walks its key specs over the
 * given arguments. Specs whose flags depend on the arguments (variable_flags, e.g. SET ... GET)
 * report their declared flags.
 */
export function commandGetKeys(table: CommandTable, client: CommandContext, commandArgs: string[], withFlags = false): void {
  let cmd = table.get(commandArgs[0].toLowerCase());
  if (cmd?.subcommands && commandArgs.length >= 2) cmd = cmd.subcommands[commandArgs[1].toLowerCase()] as CompiledCommand | undefined;
  if (!cmd) return client.reply.error(ERR_GETKEYS_INVALID_COMMAND);
  const specs = keySpecsOf(cmd).filter((spec) => !spec.flags.includes('not_key'));
  if (specs.length === 0) return client.reply.error(ERR_GETKEYS_NO_KEYS);
  const argc = commandArgs.length;
  if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) return client.reply.error(ERR_GETKEYS_ARITY);
  // SORT finds its STORE target with its own procedure, as Redis's sortGetKeys.
  const keys = cmd.name === 'sort' ? sortKeyPositions(commandArgs).map(({ index, flags }) => ({ key: commandArgs[index], flags })) : keysFromSpecs(specs, commandArgs);
  const variableFlags = variableKeyFlags(cmd.name, commandArgs);
  if (keys !== null && keys.length === 1 && variableFlags !== null) keys[0] = { key: keys[0].key, flags: variableFlags };
  if (keys === null || keys.length === 0) {
    if (flagsOf(cmd).includes('no_mandatory_keys')) return client.reply.arrayHeader(0);
    return client.reply.error(ERR_GETKEYS_INVALID_ARGS);
  }
  const reply = client.reply;
  reply.arrayHeader(keys.length);
  for (const { key, flags } of keys) {
    if (!withFlags) {
      reply.bulk(key);
      continue;
    }
    reply.arrayHeader(2);
    reply.bulk(key);
    writeFlagSet(reply, flags.filter((flag) => flag !== 'variable_flags'));
  }
}

/** The keys a command's arguments name (its key specs walked over them); none when they do not fit. */
export function commandKeys(cmd: CompiledCommand, args: string[]): string[] {
  const specs = keySpecsOf(cmd).filter((spec) => !spec.flags.includes('not_key'));
  if (specs.length === 0) return [];
  return (keysFromSpecs(specs, args) ?? []).map(({ key }) => key);
}

/** Positions named by the key specs, in spec order; null when the arguments contradict a spec. */
function keysFromSpecs(specs: KeySpec[], args: string[]): Array<{ key: string; flags: string[]; index: number }> | null {
  const argc = args.length;
  const keys: Array<{ key: string; flags: string[]; index: number }> = [];
  for (const spec of specs) {
    let first: number;
    if (spec.begin.type === 'index') {
      first = spec.begin.index;
    } else if (spec.begin.type === 'keyword') {
      const { keyword, startfrom } = spec.begin;
      const start = startfrom >= 0 ? startfrom : argc + startfrom;
      const step = startfrom >= 0 ? 1 : -1;
      let found = -1;
      for (let i = start; i > 0 && i < argc; i += step) {
        if (args[i].toLowerCase() === keyword.toLowerCase()) {
          found = i;
          break;
        }
      }
      if (found === -1) continue;
      first = found + 1;
    } else {
      continue;
    }
    let last: number;
    let step: number;
    if (spec.find.type === 'range') {
      const { lastkey, keystep, limit } = spec.find;
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit === 0) last = argc + lastkey;
      else last = first + Math.floor((argc - first) / limit) + lastkey;
    } else if (spec.find.type === 'keynum') {
      const numText = args[first + spec.find.keynumidx];
      const numkeys = numText === undefined ? null : parseInt64(numText);
      if (numkeys === null || typeof numkeys === 'bigint' || numkeys < 0) return null;
      step = spec.find.keystep;
      first += spec.find.firstkey;
      last = first + (numkeys - 1) * step;
    } else {
      continue;
    }
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < 1) return null;
      keys.push({ key: args[i], flags: spec.flags, index: i });
    }
  }
  return keys;
}

// --- data ----------------------------------------------------------------------------------------

// Observed from redis-server 7.0.15 (COMMAND INFO and COMMAND DOCS). Cluster, sentinel and module
// commands are left out.
const COMMAND_DOCS: Record<string, DocEntry> = {
  'acl': { a: -2, c: 'slow', g: 'server', s: '6.0.0', x: 'Depends on subcommand.', d: 'A container for Access List Control commands ' },
  'acl|cat': { a: -2, f: 'noscript loading stale', c: 'slow', g: 'server', s: '6.0.0', x: 'O(1) since the categories and commands are a fixed set.', d: 'List the ACL categories or the commands inside a category', args: [["categoryname","string",{"f":"optional"}]] },
  'acl|deluser': { a: -3, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(1) amortized time considering the typical user.', d: 'Remove the specified ACL users and the associated rules', args: [["username","string",{"f":"multiple"}]] },
  'acl|dryrun': { a: -4, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '7.0.0', x: 'O(1).', d: 'Returns whether the user can execute the given command without executing the command.', args: [["username","string"],["command","string"],["arg","string",{"f":"optional multiple"}]] },
  'acl|genpass': { a: -2, f: 'noscript loading stale', c: 'slow', g: 'server', s: '6.0.0', x: 'O(1)', d: 'Generate a pseudorandom secure password to use for ACL users', args: [["bits","integer",{"f":"optional"}]] },
  'acl|getuser': { a: 3, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N). Where N is the number of password, command and pattern rules that the user has.', d: 'Get the rules for a specific ACL user', h: [["6.2.0","Added Pub/Sub channel patterns."],["7.0.0","Added selectors and changed the format of key and channel patterns from a list to their rule representation."]], args: [["username","string"]] },
  'acl|help': { a: 2, f: 'loading stale', c: 'slow', g: 'server', s: '6.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'acl|list': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N). Where N is the number of configured users.', d: 'List the current ACL rules in ACL config file format' },
  'acl|load': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N). Where N is the number of configured users.', d: 'Reload the ACLs from the configured ACL file' },
  'acl|log': { a: -2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N) with N being the number of entries shown.', d: 'List latest events denied because of ACLs in place', args: [["operation","oneof",{"f":"optional","a":[["count","integer"],["reset","pure-token",{"t":"RESET"}]]}]] },
  'acl|save': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N). Where N is the number of configured users.', d: 'Save the current ACL rules in the configured ACL file' },
  'acl|setuser': { a: -3, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N). Where N is the number of rules provided.', d: 'Modify or create the rules for a specific ACL user', h: [["6.2.0","Added Pub/Sub channel patterns."],["7.0.0","Added selectors and key based permissions."]], args: [["username","string"],["rule","string",{"f":"optional multiple"}]] },
  'acl|users': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '6.0.0', x: 'O(N). Where N is the number of configured users.', d: 'List the username of all the configured ACL rules' },
  'acl|whoami': { a: 2, f: 'noscript loading stale', c: 'slow', g: 'server', s: '6.0.0', x: 'O(1)', d: 'Return the name of the user associated to the current connection' },
  'append': { a: 3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'string', s: '2.0.0', x: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.', d: 'Append a value to a key', args: [["key","key",{"k":0}],["value","string"]] },
  'auth': { a: -2, f: 'noscript loading stale fast no_auth allow_busy', c: 'fast connection', g: 'connection', s: '1.0.0', x: 'O(N) where N is the number of passwords defined for the user', d: 'Authenticate to the server', h: [["6.0.0","Added ACL style (username and password)."]], args: [["username","string",{"s":"6.0.0","f":"optional"}],["password","string"]] },
  'bgrewriteaof': { a: 1, f: 'admin noscript no_async_loading', c: 'admin slow dangerous', g: 'server', s: '1.0.0', x: 'O(1)', d: 'Asynchronously rewrite the append-only file' },
  'bgsave': { a: -1, f: 'admin noscript no_async_loading', c: 'admin slow dangerous', g: 'server', s: '1.0.0', x: 'O(1)', d: 'Asynchronously save the dataset to disk', h: [["3.2.2","Added the `SCHEDULE` option."]], args: [["schedule","pure-token",{"t":"SCHEDULE","s":"3.2.2","f":"optional"}]] },
  'bitcount': { a: -2, f: 'readonly', k: [1, 1, 1], c: 'read bitmap slow', ks: ['RO access|index 1|range 0 1 0'], g: 'bitmap', s: '2.6.0', x: 'O(N)', d: 'Count set bits in a string', h: [["7.0.0","Added the `BYTE|BIT` option."]], args: [["key","key",{"k":0}],["index","block",{"f":"optional","a":[["start","integer"],["end","integer"],["index_unit","oneof",{"s":"7.0.0","f":"optional","a":[["byte","pure-token",{"t":"BYTE"}],["bit","pure-token",{"t":"BIT"}]]}]]}]] },
  'bitfield': { a: -2, f: 'write denyoom', k: [1, 1, 1], c: 'write bitmap slow', ks: ['RW access update variable_flags|index 1|range 0 1 0|This command allows both access and modification of the key'], g: 'bitmap', s: '3.2.0', x: 'O(1) for each subcommand specified', d: 'Perform arbitrary bitfield integer operations on strings', args: [["key","key",{"k":0}],["operation","oneof",{"f":"optional multiple","a":[["encoding_offset","block",{"t":"GET","a":[["encoding","string"],["offset","integer"]]}],["write","block",{"a":[["wrap_sat_fail","oneof",{"t":"OVERFLOW","f":"optional","a":[["wrap","pure-token",{"t":"WRAP"}],["sat","pure-token",{"t":"SAT"}],["fail","pure-token",{"t":"FAIL"}]]}],["write_operation","oneof",{"a":[["encoding_offset_value","block",{"t":"SET","a":[["encoding","string"],["offset","integer"],["value","integer"]]}],["encoding_offset_increment","block",{"t":"INCRBY","a":[["encoding","string"],["offset","integer"],["increment","integer"]]}]]}]]}]]}]] },
  'bitfield_ro': { a: -2, f: 'readonly fast', k: [1, 1, 1], c: 'read bitmap fast', ks: ['RO access|index 1|range 0 1 0'], g: 'bitmap', s: '6.0.0', x: 'O(1) for each subcommand specified', d: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD', args: [["key","key",{"k":0}],["encoding_offset","block",{"t":"GET","f":"optional multiple multiple_token","a":[["encoding","string"],["offset","integer"]]}]] },
  'bitop': { a: -4, f: 'write denyoom', k: [2, -1, 1], c: 'write bitmap slow', ks: ['OW update|index 2|range 0 1 0', 'RO access|index 3|range -1 1 0'], g: 'bitmap', s: '2.6.0', x: 'O(N)', d: 'Perform bitwise operations between strings', args: [["operation","string"],["destkey","key",{"k":0}],["key","key",{"k":1,"f":"multiple"}]] },
  'bitpos': { a: -3, f: 'readonly', k: [1, 1, 1], c: 'read bitmap slow', ks: ['RO access|index 1|range 0 1 0'], g: 'bitmap', s: '2.8.7', x: 'O(N)', d: 'Find first bit set or clear in a string', h: [["7.0.0","Added the `BYTE|BIT` option."]], args: [["key","key",{"k":0}],["bit","integer"],["index","block",{"f":"optional","a":[["start","integer"],["end_index","block",{"f":"optional","a":[["end","integer"],["index_unit","oneof",{"s":"7.0.0","f":"optional","a":[["byte","pure-token",{"t":"BYTE"}],["bit","pure-token",{"t":"BIT"}]]}]]}]]}]] },
  'blmove': { a: 6, f: 'write denyoom noscript blocking', k: [1, 2, 1], c: 'write list slow blocking', ks: ['RW access delete|index 1|range 0 1 0', 'RW insert|index 2|range 0 1 0'], g: 'list', s: '6.2.0', x: 'O(1)', d: 'Pop an element from a list, push it to another list and return it; or block until one is available', args: [["source","key",{"k":0}],["destination","key",{"k":1}],["wherefrom","oneof",{"a":[["left","pure-token",{"t":"LEFT"}],["right","pure-token",{"t":"RIGHT"}]]}],["whereto","oneof",{"a":[["left","pure-token",{"t":"LEFT"}],["right","pure-token",{"t":"RIGHT"}]]}],["timeout","double"]] },
  'blmpop': { a: -5, f: 'write blocking movablekeys', c: 'write list slow blocking', ks: ['RW access delete|index 2|keynum 0 1 1'], g: 'list', s: '7.0.0', x: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', d: 'Pop elements from a list, or block until one is available', args: [["timeout","double"],["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["where","oneof",{"a":[["left","pure-token",{"t":"LEFT"}],["right","pure-token",{"t":"RIGHT"}]]}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'blpop': { a: -3, f: 'write noscript blocking', k: [1, -2, 1], c: 'write list slow blocking', ks: ['RW access delete|index 1|range -2 1 0'], g: 'list', s: '2.0.0', x: 'O(N) where N is the number of provided keys.', d: 'Remove and get the first element in a list, or block until one is available', h: [["6.0.0","`timeout` is interpreted as a double instead of an integer."]], args: [["key","key",{"k":0,"f":"multiple"}],["timeout","double"]] },
  'brpop': { a: -3, f: 'write noscript blocking', k: [1, -2, 1], c: 'write list slow blocking', ks: ['RW access delete|index 1|range -2 1 0'], g: 'list', s: '2.0.0', x: 'O(N) where N is the number of provided keys.', d: 'Remove and get the last element in a list, or block until one is available', h: [["6.0.0","`timeout` is interpreted as a double instead of an integer."]], args: [["key","key",{"k":0,"f":"multiple"}],["timeout","double"]] },
  'brpoplpush': { a: 4, f: 'write denyoom noscript blocking', k: [1, 2, 1], c: 'write list slow blocking', ks: ['RW access delete|index 1|range 0 1 0', 'RW insert|index 2|range 0 1 0'], g: 'list', s: '2.2.0', x: 'O(1)', d: 'Pop an element from a list, push it to another list and return it; or block until one is available', df: 'deprecated', dep: '6.2.0', h: [["6.0.0","`timeout` is interpreted as a double instead of an integer."]], args: [["source","key",{"k":0}],["destination","key",{"k":1}],["timeout","double"]], rep: '`BLMOVE` with the `RIGHT` and `LEFT` arguments' },
  'bzmpop': { a: -5, f: 'write blocking movablekeys', c: 'write sortedset slow blocking', ks: ['RW access delete|index 2|keynum 0 1 1'], g: 'sorted-set', s: '7.0.0', x: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', d: 'Remove and return members with scores in a sorted set or block until one is available', args: [["timeout","double"],["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["where","oneof",{"a":[["min","pure-token",{"t":"MIN"}],["max","pure-token",{"t":"MAX"}]]}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'bzpopmax': { a: -3, f: 'write noscript blocking fast', k: [1, -2, 1], c: 'write sortedset fast blocking', ks: ['RW access delete|index 1|range -2 1 0'], g: 'sorted-set', s: '5.0.0', x: 'O(log(N)) with N being the number of elements in the sorted set.', d: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', h: [["6.0.0","`timeout` is interpreted as a double instead of an integer."]], args: [["key","key",{"k":0,"f":"multiple"}],["timeout","double"]] },
  'bzpopmin': { a: -3, f: 'write noscript blocking fast', k: [1, -2, 1], c: 'write sortedset fast blocking', ks: ['RW access delete|index 1|range -2 1 0'], g: 'sorted-set', s: '5.0.0', x: 'O(log(N)) with N being the number of elements in the sorted set.', d: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', h: [["6.0.0","`timeout` is interpreted as a double instead of an integer."]], args: [["key","key",{"k":0,"f":"multiple"}],["timeout","double"]] },
  'client': { a: -2, c: 'slow', g: 'connection', s: '2.4.0', x: 'Depends on subcommand.', d: 'A container for client connection commands' },
  'client|caching': { a: 3, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '6.0.0', x: 'O(1)', d: 'Instruct the server about tracking or not keys in the next request', args: [["mode","oneof",{"a":[["yes","pure-token",{"t":"YES"}],["no","pure-token",{"t":"NO"}]]}]] },
  'client|getname': { a: 2, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '2.6.9', x: 'O(1)', d: 'Get the current connection name' },
  'client|getredir': { a: 2, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '6.0.0', x: 'O(1)', d: 'Get tracking notifications redirection client ID if any' },
  'client|help': { a: 2, f: 'loading stale', c: 'slow connection', g: 'connection', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'client|id': { a: 2, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '5.0.0', x: 'O(1)', d: 'Returns the client ID for the current connection' },
  'client|info': { a: 2, f: 'noscript loading stale', c: 'slow connection', t: 'nondeterministic_output', g: 'connection', s: '6.2.0', x: 'O(1)', d: 'Returns information about the current client connection.' },
  'client|kill': { a: -3, f: 'admin noscript loading stale', c: 'admin slow dangerous connection', g: 'connection', s: '2.4.0', x: 'O(N) where N is the number of client connections', d: 'Kill the connection of a client', h: [["2.8.12","Added new filter format."],["2.8.12","`ID` option."],["3.2.0","Added `master` type in for `TYPE` option."],["5.0.0","Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."],["6.2.0","`LADDR` option."]], args: [["filter","oneof",{"a":[["ip:port","string",{"ds":"2.8.12"}],["new-format","oneof",{"f":"multiple","a":[["client-id","integer",{"t":"ID","s":"2.8.12","f":"optional"}],["normal_master_slave_pubsub","oneof",{"t":"TYPE","s":"2.8.12","f":"optional","a":[["normal","pure-token",{"t":"NORMAL"}],["master","pure-token",{"t":"MASTER","s":"3.2.0"}],["slave","pure-token",{"t":"SLAVE"}],["replica","pure-token",{"t":"REPLICA","s":"5.0.0"}],["pubsub","pure-token",{"t":"PUBSUB"}]]}],["username","string",{"t":"USER","f":"optional"}],["ip:port","string",{"t":"ADDR","f":"optional"}],["ip:port","string",{"t":"LADDR","s":"6.2.0","f":"optional"}],["yes/no","string",{"t":"SKIPME","f":"optional"}]]}]]}]] },
  'client|list': { a: -2, f: 'admin noscript loading stale', c: 'admin slow dangerous connection', t: 'nondeterministic_output', g: 'connection', s: '2.4.0', x: 'O(N) where N is the number of client connections', d: 'Get the list of client connections', h: [["2.8.12","Added unique client `id` field."],["5.0.0","Added optional `TYPE` filter."],["6.0.0","Added `user` field."],["6.2.0","Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."],["7.0.0","Added `resp`, `multi-mem`, `rbs` and `rbp` fields."],["7.0.3","Added `ssub` field."]], args: [["normal_master_replica_pubsub","oneof",{"t":"TYPE","s":"5.0.0","f":"optional","a":[["normal","pure-token",{"t":"NORMAL"}],["master","pure-token",{"t":"MASTER"}],["replica","pure-token",{"t":"REPLICA"}],["pubsub","pure-token",{"t":"PUBSUB"}]]}],["id","block",{"t":"ID","s":"6.2.0","f":"optional","a":[["client-id","integer",{"f":"multiple"}]]}]] },
  'client|no-evict': { a: 3, f: 'admin noscript loading stale', c: 'admin slow dangerous connection', g: 'connection', s: '7.0.0', x: 'O(1)', d: 'Set client eviction mode for the current connection', args: [["enabled","oneof",{"a":[["on","pure-token",{"t":"ON"}],["off","pure-token",{"t":"OFF"}]]}]] },
  'client|pause': { a: -3, f: 'admin noscript loading stale', c: 'admin slow dangerous connection', g: 'connection', s: '2.9.50', x: 'O(1)', d: 'Stop processing commands from clients for some time', h: [["6.2.0","`CLIENT PAUSE WRITE` mode added along with the `mode` option."]], args: [["timeout","integer"],["mode","oneof",{"s":"6.2.0","f":"optional","a":[["write","pure-token",{"t":"WRITE"}],["all","pure-token",{"t":"ALL"}]]}]] },
  'client|reply': { a: 3, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '3.2.0', x: 'O(1)', d: 'Instruct the server whether to reply to commands', args: [["on_off_skip","oneof",{"a":[["on","pure-token",{"t":"ON"}],["off","pure-token",{"t":"OFF"}],["skip","pure-token",{"t":"SKIP"}]]}]] },
  'client|setname': { a: 3, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '2.6.9', x: 'O(1)', d: 'Set the current connection name', args: [["connection-name","string"]] },
  'client|tracking': { a: -3, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '6.0.0', x: 'O(1). Some options may introduce additional complexity.', d: 'Enable or disable server assisted client side caching support', args: [["status","oneof",{"a":[["on","pure-token",{"t":"ON"}],["off","pure-token",{"t":"OFF"}]]}],["client-id","integer",{"t":"REDIRECT","f":"optional"}],["prefix","string",{"t":"PREFIX","f":"optional multiple multiple_token"}],["bcast","pure-token",{"t":"BCAST","f":"optional"}],["optin","pure-token",{"t":"OPTIN","f":"optional"}],["optout","pure-token",{"t":"OPTOUT","f":"optional"}],["noloop","pure-token",{"t":"NOLOOP","f":"optional"}]] },
  'client|trackinginfo': { a: 2, f: 'noscript loading stale', c: 'slow connection', g: 'connection', s: '6.2.0', x: 'O(1)', d: 'Return information about server assisted client side caching for the current connection' },
  'client|unblock': { a: -3, f: 'admin noscript loading stale', c: 'admin slow dangerous connection', g: 'connection', s: '5.0.0', x: 'O(log N) where N is the number of client connections', d: 'Unblock a client blocked in a blocking command from a different connection', args: [["client-id","integer"],["timeout_error","oneof",{"f":"optional","a":[["timeout","pure-token",{"t":"TIMEOUT"}],["error","pure-token",{"t":"ERROR"}]]}]] },
  'client|unpause': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous connection', g: 'connection', s: '6.2.0', x: 'O(N) Where N is the number of paused clients', d: 'Resume processing of clients that were paused' },
  'command': { a: -1, f: 'loading stale', c: 'slow connection', t: 'nondeterministic_output_order', g: 'server', s: '2.8.13', x: 'O(N) where N is the total number of Redis commands', d: 'Get array of Redis command details' },
  'command|count': { a: 2, f: 'loading stale', c: 'slow connection', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Get total number of Redis commands' },
  'command|docs': { a: -2, f: 'loading stale', c: 'slow connection', t: 'nondeterministic_output_order', g: 'server', s: '7.0.0', x: 'O(N) where N is the number of commands to look up', d: 'Get array of specific Redis command documentation', args: [["command-name","string",{"f":"optional multiple"}]] },
  'command|getkeys': { a: -4, f: 'loading stale', c: 'slow connection', g: 'server', s: '2.8.13', x: 'O(N) where N is the number of arguments to the command', d: 'Extract keys given a full Redis command' },
  'command|getkeysandflags': { a: -4, f: 'loading stale', c: 'slow connection', g: 'server', s: '7.0.0', x: 'O(N) where N is the number of arguments to the command', d: 'Extract keys and access flags given a full Redis command' },
  'command|help': { a: 2, f: 'loading stale', c: 'slow connection', g: 'server', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'command|info': { a: -2, f: 'loading stale', c: 'slow connection', t: 'nondeterministic_output_order', g: 'server', s: '2.8.13', x: 'O(N) where N is the number of commands to look up', d: 'Get array of specific Redis command details, or all when no argument is given.', h: [["7.0.0","Allowed to be called with no argument to get info on all commands."]], args: [["command-name","string",{"f":"optional multiple"}]] },
  'command|list': { a: -2, f: 'loading stale', c: 'slow connection', t: 'nondeterministic_output_order', g: 'server', s: '7.0.0', x: 'O(N) where N is the total number of Redis commands', d: 'Get an array of Redis command names', args: [["filterby","oneof",{"t":"FILTERBY","f":"optional","a":[["module-name","string",{"t":"MODULE"}],["category","string",{"t":"ACLCAT"}],["pattern","pattern",{"t":"PATTERN"}]]}]] },
  'config': { a: -2, c: 'slow', g: 'server', s: '2.0.0', x: 'Depends on subcommand.', d: 'A container for server configuration commands' },
  'config|get': { a: -3, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '2.0.0', x: 'O(N) when N is the number of configuration parameters provided', d: 'Get the values of configuration parameters', h: [["7.0.0","Added the ability to pass multiple pattern parameters in one call"]], args: [["parameter","block",{"f":"multiple","a":[["parameter","string"]]}]] },
  'config|help': { a: 2, f: 'loading stale', c: 'slow', g: 'server', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'config|resetstat': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '2.0.0', x: 'O(1)', d: 'Reset the stats returned by INFO' },
  'config|rewrite': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '2.8.0', x: 'O(1)', d: 'Rewrite the configuration file with the in memory configuration' },
  'config|set': { a: -4, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'request_policy:all_nodes response_policy:all_succeeded', g: 'server', s: '2.0.0', x: 'O(N) when N is the number of configuration parameters provided', d: 'Set configuration parameters to the given values', h: [["7.0.0","Added the ability to set multiple parameters in one call."]], args: [["parameter_value","block",{"f":"multiple","a":[["parameter","string"],["value","string"]]}]] },
  'copy': { a: -3, f: 'write denyoom', k: [1, 2, 1], c: 'keyspace write slow', ks: ['RO access|index 1|range 0 1 0', 'OW update|index 2|range 0 1 0'], g: 'generic', s: '6.2.0', x: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', d: 'Copy a key', args: [["source","key",{"k":0}],["destination","key",{"k":1}],["destination-db","integer",{"t":"DB","f":"optional"}],["replace","pure-token",{"t":"REPLACE","f":"optional"}]] },
  'dbsize': { a: 1, f: 'readonly fast', c: 'keyspace read fast', t: 'request_policy:all_shards response_policy:agg_sum', g: 'server', s: '1.0.0', x: 'O(1)', d: 'Return the number of keys in the selected database' },
  'debug': { a: -2, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '1.0.0', x: 'Depends on subcommand.', d: 'A container for debugging commands', df: 'syscmd' },
  'decr': { a: 2, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Decrement the integer value of a key by one', args: [["key","key",{"k":0}]] },
  'decrby': { a: 3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Decrement the integer value of a key by the given number', args: [["key","key",{"k":0}],["decrement","integer"]] },
  'del': { a: -2, f: 'write', k: [1, -1, 1], c: 'keyspace write slow', t: 'request_policy:multi_shard response_policy:agg_sum', ks: ['RM delete|index 1|range -1 1 0'], g: 'generic', s: '1.0.0', x: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).', d: 'Delete a key', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'discard': { a: 1, f: 'noscript loading stale fast allow_busy', c: 'fast transaction', g: 'transactions', s: '2.0.0', x: 'O(N), when N is the number of queued commands', d: 'Discard all commands issued after MULTI' },
  'dump': { a: 2, f: 'readonly', k: [1, 1, 1], c: 'keyspace read slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'generic', s: '2.6.0', x: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).', d: 'Return a serialized version of the value stored at the specified key.', args: [["key","key",{"k":0}]] },
  'echo': { a: 2, f: 'loading stale fast', c: 'fast connection', g: 'connection', s: '1.0.0', x: 'O(1)', d: 'Echo the given string', args: [["message","string"]] },
  'eval': { a: -3, f: 'noscript stale skip_monitor no_mandatory_keys movablekeys', c: 'slow scripting', ks: ['RW access update|index 2|keynum 0 1 1|We cannot tell how the keys will be used so we assume the worst, RW and UPDATE'], g: 'scripting', s: '2.6.0', x: 'Depends on the script that is executed.', d: 'Execute a Lua script server side', args: [["script","string"],["numkeys","integer"],["key","key",{"k":0,"f":"optional multiple"}],["arg","string",{"f":"optional multiple"}]] },
  'eval_ro': { a: -3, f: 'readonly noscript stale skip_monitor no_mandatory_keys movablekeys', c: 'slow scripting', ks: ['RO access|index 2|keynum 0 1 1|We cannot tell how the keys will be used so we assume the worst, RO and ACCESS'], g: 'scripting', s: '7.0.0', x: 'Depends on the script that is executed.', d: 'Execute a read-only Lua script server side', args: [["script","string"],["numkeys","integer"],["key","key",{"k":0,"f":"optional multiple"}],["arg","string",{"f":"optional multiple"}]] },
  'evalsha': { a: -3, f: 'noscript stale skip_monitor no_mandatory_keys movablekeys', c: 'slow scripting', ks: ['RW access update|index 2|keynum 0 1 1'], g: 'scripting', s: '2.6.0', x: 'Depends on the script that is executed.', d: 'Execute a Lua script server side', args: [["sha1","string"],["numkeys","integer"],["key","key",{"k":0,"f":"optional multiple"}],["arg","string",{"f":"optional multiple"}]] },
  'evalsha_ro': { a: -3, f: 'readonly noscript stale skip_monitor no_mandatory_keys movablekeys', c: 'slow scripting', ks: ['RO access|index 2|keynum 0 1 1'], g: 'scripting', s: '7.0.0', x: 'Depends on the script that is executed.', d: 'Execute a read-only Lua script server side', args: [["sha1","string"],["numkeys","integer"],["key","key",{"k":0,"f":"optional multiple"}],["arg","string",{"f":"optional multiple"}]] },
  'exec': { a: 1, f: 'noscript loading stale skip_slowlog', c: 'slow transaction', g: 'transactions', s: '1.2.0', x: 'Depends on commands in the transaction', d: 'Execute all commands issued after MULTI' },
  'exists': { a: -2, f: 'readonly fast', k: [1, -1, 1], c: 'keyspace read fast', t: 'request_policy:multi_shard response_policy:agg_sum', ks: ['RO|index 1|range -1 1 0'], g: 'generic', s: '1.0.0', x: 'O(N) where N is the number of keys to check.', d: 'Determine if a key exists', h: [["3.0.3","Accepts multiple `key` arguments."]], args: [["key","key",{"k":0,"f":"multiple"}]] },
  'expire': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'keyspace write fast', ks: ['RW update|index 1|range 0 1 0'], g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Set a key\'s time to live in seconds', h: [["7.0.0","Added options: `NX`, `XX`, `GT` and `LT`."]], args: [["key","key",{"k":0}],["seconds","integer"],["condition","oneof",{"s":"7.0.0","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}],["gt","pure-token",{"t":"GT"}],["lt","pure-token",{"t":"LT"}]]}]] },
  'expireat': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'keyspace write fast', ks: ['RW update|index 1|range 0 1 0'], g: 'generic', s: '1.2.0', x: 'O(1)', d: 'Set the expiration for a key as a UNIX timestamp', h: [["7.0.0","Added options: `NX`, `XX`, `GT` and `LT`."]], args: [["key","key",{"k":0}],["unix-time-seconds","unix-time"],["condition","oneof",{"s":"7.0.0","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}],["gt","pure-token",{"t":"GT"}],["lt","pure-token",{"t":"LT"}]]}]] },
  'expiretime': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'keyspace read fast', ks: ['RO access|index 1|range 0 1 0'], g: 'generic', s: '7.0.0', x: 'O(1)', d: 'Get the expiration Unix timestamp for a key', args: [["key","key",{"k":0}]] },
  'failover': { a: -1, f: 'admin noscript stale', c: 'admin slow dangerous', g: 'server', s: '6.2.0', x: 'O(1)', d: 'Start a coordinated failover between this server and one of its replicas.', args: [["target","block",{"t":"TO","f":"optional","a":[["host","string"],["port","integer"],["force","pure-token",{"t":"FORCE","f":"optional"}]]}],["abort","pure-token",{"t":"ABORT","f":"optional"}],["milliseconds","integer",{"t":"TIMEOUT","f":"optional"}]] },
  'fcall': { a: -3, f: 'noscript stale skip_monitor no_mandatory_keys movablekeys', c: 'slow scripting', ks: ['RW access update|index 2|keynum 0 1 1|We cannot tell how the keys will be used so we assume the worst, RW and UPDATE'], g: 'scripting', s: '7.0.0', x: 'Depends on the function that is executed.', d: 'Invoke a function', args: [["function","string"],["numkeys","integer"],["key","key",{"k":0,"f":"optional multiple"}],["arg","string",{"f":"optional multiple"}]] },
  'fcall_ro': { a: -3, f: 'readonly noscript stale skip_monitor no_mandatory_keys movablekeys', c: 'slow scripting', ks: ['RO access|index 2|keynum 0 1 1|We cannot tell how the keys will be used so we assume the worst, RO and ACCESS'], g: 'scripting', s: '7.0.0', x: 'Depends on the function that is executed.', d: 'Invoke a read-only function', args: [["function","string"],["numkeys","integer"],["key","key",{"k":0,"f":"optional multiple"}],["arg","string",{"f":"optional multiple"}]] },
  'flushall': { a: -1, f: 'write', c: 'keyspace write slow dangerous', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'server', s: '1.0.0', x: 'O(N) where N is the total number of keys in all databases', d: 'Remove all keys from all databases', h: [["4.0.0","Added the `ASYNC` flushing mode modifier."],["6.2.0","Added the `SYNC` flushing mode modifier."]], args: [["async","oneof",{"f":"optional","a":[["async","pure-token",{"t":"ASYNC","s":"4.0.0"}],["sync","pure-token",{"t":"SYNC","s":"6.2.0"}]]}]] },
  'flushdb': { a: -1, f: 'write', c: 'keyspace write slow dangerous', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'server', s: '1.0.0', x: 'O(N) where N is the number of keys in the selected database', d: 'Remove all keys from the current database', h: [["4.0.0","Added the `ASYNC` flushing mode modifier."],["6.2.0","Added the `SYNC` flushing mode modifier."]], args: [["async","oneof",{"f":"optional","a":[["async","pure-token",{"t":"ASYNC","s":"4.0.0"}],["sync","pure-token",{"t":"SYNC","s":"6.2.0"}]]}]] },
  'function': { a: -2, c: 'slow', g: 'scripting', s: '7.0.0', x: 'Depends on subcommand.', d: 'A container for function commands' },
  'function|delete': { a: 3, f: 'write noscript', c: 'write slow scripting', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'scripting', s: '7.0.0', x: 'O(1)', d: 'Delete a function by name', args: [["library-name","string"]] },
  'function|dump': { a: 2, f: 'noscript', c: 'slow scripting', g: 'scripting', s: '7.0.0', x: 'O(N) where N is the number of functions', d: 'Dump all functions into a serialized binary payload' },
  'function|flush': { a: -2, f: 'write noscript', c: 'write slow scripting', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'scripting', s: '7.0.0', x: 'O(N) where N is the number of functions deleted', d: 'Deleting all functions', args: [["async","oneof",{"f":"optional","a":[["async","pure-token",{"t":"ASYNC"}],["sync","pure-token",{"t":"SYNC"}]]}]] },
  'function|help': { a: 2, f: 'loading stale', c: 'slow scripting', g: 'scripting', s: '7.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'function|kill': { a: 2, f: 'noscript allow_busy', c: 'slow scripting', t: 'request_policy:all_shards response_policy:one_succeeded', g: 'scripting', s: '7.0.0', x: 'O(1)', d: 'Kill the function currently in execution.' },
  'function|list': { a: -2, f: 'noscript', c: 'slow scripting', t: 'nondeterministic_output_order', g: 'scripting', s: '7.0.0', x: 'O(N) where N is the number of functions', d: 'List information about all the functions', args: [["library-name-pattern","string",{"t":"LIBRARYNAME","f":"optional"}],["withcode","pure-token",{"t":"WITHCODE","f":"optional"}]] },
  'function|load': { a: -3, f: 'write denyoom noscript', c: 'write slow scripting', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'scripting', s: '7.0.0', x: 'O(1) (considering compilation time is redundant)', d: 'Create a function with the given arguments (name, code, description)', args: [["replace","pure-token",{"t":"REPLACE","f":"optional"}],["function-code","string"]] },
  'function|restore': { a: -3, f: 'write denyoom noscript', c: 'write slow scripting', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'scripting', s: '7.0.0', x: 'O(N) where N is the number of functions on the payload', d: 'Restore all the functions on the given payload', args: [["serialized-value","string"],["policy","oneof",{"f":"optional","a":[["flush","pure-token",{"t":"FLUSH"}],["append","pure-token",{"t":"APPEND"}],["replace","pure-token",{"t":"REPLACE"}]]}]] },
  'function|stats': { a: 2, f: 'noscript allow_busy', c: 'slow scripting', t: 'nondeterministic_output request_policy:all_shards response_policy:special', g: 'scripting', s: '7.0.0', x: 'O(1)', d: 'Return information about the function currently running (name, description, duration)' },
  'geoadd': { a: -5, f: 'write denyoom', k: [1, 1, 1], c: 'write geo slow', ks: ['RW update|index 1|range 0 1 0'], g: 'geo', s: '3.2.0', x: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', d: 'Add one or more geospatial items in the geospatial index represented using a sorted set', h: [["6.2.0","Added the `CH`, `NX` and `XX` options."]], args: [["key","key",{"k":0}],["condition","oneof",{"s":"6.2.0","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}]]}],["change","pure-token",{"t":"CH","s":"6.2.0","f":"optional"}],["longitude_latitude_member","block",{"f":"multiple","a":[["longitude","double"],["latitude","double"],["member","string"]]}]] },
  'geodist': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read geo slow', ks: ['RO access|index 1|range 0 1 0'], g: 'geo', s: '3.2.0', x: 'O(log(N))', d: 'Returns the distance between two members of a geospatial index', args: [["key","key",{"k":0}],["member1","string"],["member2","string"],["unit","oneof",{"f":"optional","a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}]] },
  'geohash': { a: -2, f: 'readonly', k: [1, 1, 1], c: 'read geo slow', ks: ['RO access|index 1|range 0 1 0'], g: 'geo', s: '3.2.0', x: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.', d: 'Returns members of a geospatial index as standard geohash strings', args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'geopos': { a: -2, f: 'readonly', k: [1, 1, 1], c: 'read geo slow', ks: ['RO access|index 1|range 0 1 0'], g: 'geo', s: '3.2.0', x: 'O(N) where N is the number of members requested.', d: 'Returns longitude and latitude of members of a geospatial index', args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'georadius': { a: -6, f: 'write denyoom movablekeys', k: [1, 1, 1], c: 'write geo slow', ks: ['RO access|index 1|range 0 1 0', 'OW update|keyword STORE 6|range 0 1 0', 'OW update|keyword STOREDIST 6|range 0 1 0'], g: 'geo', s: '3.2.0', x: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', d: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point', df: 'deprecated', dep: '6.2.0', h: [["6.2.0","Added the `ANY` option for `COUNT`."],["7.0.0","Added support for uppercase unit names."]], args: [["key","key",{"k":0}],["longitude","double"],["latitude","double"],["radius","double"],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}],["withcoord","pure-token",{"t":"WITHCOORD","f":"optional"}],["withdist","pure-token",{"t":"WITHDIST","f":"optional"}],["withhash","pure-token",{"t":"WITHHASH","f":"optional"}],["count","block",{"f":"optional","a":[["count","integer",{"t":"COUNT"}],["any","pure-token",{"t":"ANY","s":"6.2.0","f":"optional"}]]}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}],["key","key",{"k":1,"t":"STORE","f":"optional"}],["key","key",{"k":2,"t":"STOREDIST","f":"optional"}]], rep: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument' },
  'georadius_ro': { a: -6, f: 'readonly', k: [1, 1, 1], c: 'read geo slow', ks: ['RO access|index 1|range 0 1 0'], g: 'geo', s: '3.2.10', x: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', d: 'A read-only variant for GEORADIUS', df: 'deprecated', dep: '6.2.0', h: [["6.2.0","Added the `ANY` option for `COUNT`."]], args: [["key","key",{"k":0}],["longitude","double"],["latitude","double"],["radius","double"],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}],["withcoord","pure-token",{"t":"WITHCOORD","f":"optional"}],["withdist","pure-token",{"t":"WITHDIST","f":"optional"}],["withhash","pure-token",{"t":"WITHHASH","f":"optional"}],["count","block",{"f":"optional","a":[["count","integer",{"t":"COUNT"}],["any","pure-token",{"t":"ANY","s":"6.2.0","f":"optional"}]]}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}]], rep: '`GEOSEARCH` with the `BYRADIUS` argument' },
  'georadiusbymember': { a: -5, f: 'write denyoom movablekeys', k: [1, 1, 1], c: 'write geo slow', ks: ['RO access|index 1|range 0 1 0', 'OW update|keyword STORE 5|range 0 1 0', 'OW update|keyword STOREDIST 5|range 0 1 0'], g: 'geo', s: '3.2.0', x: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', d: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member', df: 'deprecated', dep: '6.2.0', h: [["7.0.0","Added support for uppercase unit names."]], args: [["key","key",{"k":0}],["member","string"],["radius","double"],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}],["withcoord","pure-token",{"t":"WITHCOORD","f":"optional"}],["withdist","pure-token",{"t":"WITHDIST","f":"optional"}],["withhash","pure-token",{"t":"WITHHASH","f":"optional"}],["count","block",{"f":"optional","a":[["count","integer",{"t":"COUNT"}],["any","pure-token",{"t":"ANY","f":"optional"}]]}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}],["key","key",{"k":1,"t":"STORE","f":"optional"}],["key","key",{"k":2,"t":"STOREDIST","f":"optional"}]], rep: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments' },
  'georadiusbymember_ro': { a: -5, f: 'readonly', k: [1, 1, 1], c: 'read geo slow', ks: ['RO access|index 1|range 0 1 0'], g: 'geo', s: '3.2.10', x: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', d: 'A read-only variant for GEORADIUSBYMEMBER', df: 'deprecated', dep: '6.2.0', args: [["key","key",{"k":0}],["member","string"],["radius","double"],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}],["withcoord","pure-token",{"t":"WITHCOORD","f":"optional"}],["withdist","pure-token",{"t":"WITHDIST","f":"optional"}],["withhash","pure-token",{"t":"WITHHASH","f":"optional"}],["count","block",{"f":"optional","a":[["count","integer",{"t":"COUNT"}],["any","pure-token",{"t":"ANY","f":"optional"}]]}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}]], rep: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments' },
  'geosearch': { a: -7, f: 'readonly', k: [1, 1, 1], c: 'read geo slow', ks: ['RO access|index 1|range 0 1 0'], g: 'geo', s: '6.2.0', x: 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape', d: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.', h: [["7.0.0","Added support for uppercase unit names."]], args: [["key","key",{"k":0}],["from","oneof",{"a":[["member","string",{"t":"FROMMEMBER"}],["longitude_latitude","block",{"t":"FROMLONLAT","a":[["longitude","double"],["latitude","double"]]}]]}],["by","oneof",{"a":[["circle","block",{"a":[["radius","double",{"t":"BYRADIUS"}],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}]]}],["box","block",{"a":[["width","double",{"t":"BYBOX"}],["height","double"],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}]]}]]}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}],["count","block",{"f":"optional","a":[["count","integer",{"t":"COUNT"}],["any","pure-token",{"t":"ANY","f":"optional"}]]}],["withcoord","pure-token",{"t":"WITHCOORD","f":"optional"}],["withdist","pure-token",{"t":"WITHDIST","f":"optional"}],["withhash","pure-token",{"t":"WITHHASH","f":"optional"}]] },
  'geosearchstore': { a: -8, f: 'write denyoom', k: [1, 2, 1], c: 'write geo slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|range 0 1 0'], g: 'geo', s: '6.2.0', x: 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape', d: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.', h: [["7.0.0","Added support for uppercase unit names."]], args: [["destination","key",{"k":0}],["source","key",{"k":1}],["from","oneof",{"a":[["member","string",{"t":"FROMMEMBER"}],["longitude_latitude","block",{"t":"FROMLONLAT","a":[["longitude","double"],["latitude","double"]]}]]}],["by","oneof",{"a":[["circle","block",{"a":[["radius","double",{"t":"BYRADIUS"}],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}]]}],["box","block",{"a":[["width","double",{"t":"BYBOX"}],["height","double"],["unit","oneof",{"a":[["m","pure-token",{"t":"M"}],["km","pure-token",{"t":"KM"}],["ft","pure-token",{"t":"FT"}],["mi","pure-token",{"t":"MI"}]]}]]}]]}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}],["count","block",{"f":"optional","a":[["count","integer",{"t":"COUNT"}],["any","pure-token",{"t":"ANY","f":"optional"}]]}],["storedist","pure-token",{"t":"STOREDIST","f":"optional"}]] },
  'get': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read string fast', ks: ['RO access|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Get the value of a key', args: [["key","key",{"k":0}]] },
  'getbit': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read bitmap fast', ks: ['RO access|index 1|range 0 1 0'], g: 'bitmap', s: '2.2.0', x: 'O(1)', d: 'Returns the bit value at offset in the string value stored at key', args: [["key","key",{"k":0}],["offset","integer"]] },
  'getdel': { a: 2, f: 'write fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access delete|index 1|range 0 1 0'], g: 'string', s: '6.2.0', x: 'O(1)', d: 'Get the value of a key and delete the key', args: [["key","key",{"k":0}]] },
  'getex': { a: -2, f: 'write fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0|RW and UPDATE because it changes the TTL'], g: 'string', s: '6.2.0', x: 'O(1)', d: 'Get the value of a key and optionally set its expiration', args: [["key","key",{"k":0}],["expiration","oneof",{"f":"optional","a":[["seconds","integer",{"t":"EX"}],["milliseconds","integer",{"t":"PX"}],["unix-time-seconds","unix-time",{"t":"EXAT"}],["unix-time-milliseconds","unix-time",{"t":"PXAT"}],["persist","pure-token",{"t":"PERSIST"}]]}]] },
  'getrange': { a: 4, f: 'readonly', k: [1, 1, 1], c: 'read string slow', ks: ['RO access|index 1|range 0 1 0'], g: 'string', s: '2.4.0', x: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.', d: 'Get a substring of the string stored at a key', args: [["key","key",{"k":0}],["start","integer"],["end","integer"]] },
  'getset': { a: 3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Set the string value of a key and return its old value', df: 'deprecated', dep: '6.2.0', args: [["key","key",{"k":0}],["value","string"]], rep: '`SET` with the `!GET` argument' },
  'hdel': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'write hash fast', ks: ['RW delete|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(N) where N is the number of fields to be removed.', d: 'Delete one or more hash fields', h: [["2.4.0","Accepts multiple `field` arguments."]], args: [["key","key",{"k":0}],["field","string",{"f":"multiple"}]] },
  'hello': { a: -1, f: 'noscript loading stale fast no_auth allow_busy', c: 'fast connection', g: 'connection', s: '6.0.0', x: 'O(1)', d: 'Handshake with Redis', h: [["6.2.0","`protover` made optional; when called without arguments the command reports the current connection's context."]], args: [["arguments","block",{"f":"optional","a":[["protover","integer"],["username_password","block",{"t":"AUTH","f":"optional","a":[["username","string"],["password","string"]]}],["clientname","string",{"t":"SETNAME","f":"optional"}]]}]] },
  'hexists': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read hash fast', ks: ['RO|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(1)', d: 'Determine if a hash field exists', args: [["key","key",{"k":0}],["field","string"]] },
  'hget': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read hash fast', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(1)', d: 'Get the value of a hash field', args: [["key","key",{"k":0}],["field","string"]] },
  'hgetall': { a: 2, f: 'readonly', k: [1, 1, 1], c: 'read hash slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(N) where N is the size of the hash.', d: 'Get all the fields and values in a hash', args: [["key","key",{"k":0}]] },
  'hincrby': { a: 4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write hash fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(1)', d: 'Increment the integer value of a hash field by the given number', args: [["key","key",{"k":0}],["field","string"],["increment","integer"]] },
  'hincrbyfloat': { a: 4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write hash fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'hash', s: '2.6.0', x: 'O(1)', d: 'Increment the float value of a hash field by the given amount', args: [["key","key",{"k":0}],["field","string"],["increment","double"]] },
  'hkeys': { a: 2, f: 'readonly', k: [1, 1, 1], c: 'read hash slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(N) where N is the size of the hash.', d: 'Get all the fields in a hash', args: [["key","key",{"k":0}]] },
  'hlen': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read hash fast', ks: ['RO|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(1)', d: 'Get the number of fields in a hash', args: [["key","key",{"k":0}]] },
  'hmget': { a: -3, f: 'readonly fast', k: [1, 1, 1], c: 'read hash fast', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(N) where N is the number of fields being requested.', d: 'Get the values of all the given hash fields', args: [["key","key",{"k":0}],["field","string",{"f":"multiple"}]] },
  'hmset': { a: -4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write hash fast', ks: ['RW update|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(N) where N is the number of fields being set.', d: 'Set multiple hash fields to multiple values', df: 'deprecated', dep: '4.0.0', args: [["key","key",{"k":0}],["field_value","block",{"f":"multiple","a":[["field","string"],["value","string"]]}]], rep: '`HSET` with multiple field-value pairs' },
  'hrandfield': { a: -2, f: 'readonly', k: [1, 1, 1], c: 'read hash slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '6.2.0', x: 'O(N) where N is the number of fields returned', d: 'Get one or multiple random fields from a hash', args: [["key","key",{"k":0}],["options","block",{"f":"optional","a":[["count","integer"],["withvalues","pure-token",{"t":"WITHVALUES","f":"optional"}]]}]] },
  'hscan': { a: -3, f: 'readonly', k: [1, 1, 1], c: 'read hash slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '2.8.0', x: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', d: 'Incrementally iterate hash fields and associated values', args: [["key","key",{"k":0}],["cursor","integer"],["pattern","pattern",{"t":"MATCH","f":"optional"}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'hset': { a: -4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write hash fast', ks: ['RW update|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.', d: 'Set the string value of a hash field', h: [["4.0.0","Accepts multiple `field` and `value` arguments."]], args: [["key","key",{"k":0}],["field_value","block",{"f":"multiple","a":[["field","string"],["value","string"]]}]] },
  'hsetnx': { a: 4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write hash fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(1)', d: 'Set the value of a hash field, only if the field does not exist', args: [["key","key",{"k":0}],["field","string"],["value","string"]] },
  'hstrlen': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read hash fast', ks: ['RO|index 1|range 0 1 0'], g: 'hash', s: '3.2.0', x: 'O(1)', d: 'Get the length of the value of a hash field', args: [["key","key",{"k":0}],["field","string"]] },
  'hvals': { a: 2, f: 'readonly', k: [1, 1, 1], c: 'read hash slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range 0 1 0'], g: 'hash', s: '2.0.0', x: 'O(N) where N is the size of the hash.', d: 'Get all the values in a hash', args: [["key","key",{"k":0}]] },
  'incr': { a: 2, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Increment the integer value of a key by one', args: [["key","key",{"k":0}]] },
  'incrby': { a: 3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Increment the integer value of a key by the given amount', args: [["key","key",{"k":0}],["increment","integer"]] },
  'incrbyfloat': { a: 3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'string', s: '2.6.0', x: 'O(1)', d: 'Increment the float value of a key by the given amount', args: [["key","key",{"k":0}],["increment","double"]] },
  'info': { a: -1, f: 'loading stale', c: 'slow dangerous', t: 'nondeterministic_output request_policy:all_shards response_policy:special', g: 'server', s: '1.0.0', x: 'O(1)', d: 'Get information and statistics about the server', h: [["7.0.0","Added support for taking multiple section arguments."]], args: [["section","string",{"f":"optional multiple"}]] },
  'keys': { a: 2, f: 'readonly', c: 'keyspace read slow dangerous', t: 'request_policy:all_shards nondeterministic_output_order', g: 'generic', s: '1.0.0', x: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', d: 'Find all keys matching the given pattern', args: [["pattern","pattern"]] },
  'lastsave': { a: 1, f: 'loading stale fast', c: 'admin fast dangerous', t: 'nondeterministic_output', g: 'server', s: '1.0.0', x: 'O(1)', d: 'Get the UNIX time stamp of the last successful save to disk' },
  'latency': { a: -2, c: 'slow', g: 'server', s: '2.8.13', x: 'Depends on subcommand.', d: 'A container for latency diagnostics commands' },
  'latency|doctor': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'nondeterministic_output request_policy:all_nodes response_policy:special', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Return a human readable latency analysis report.' },
  'latency|graph': { a: 3, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'nondeterministic_output request_policy:all_nodes response_policy:special', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Return a latency graph for the event.', args: [["event","string"]] },
  'latency|help': { a: 2, f: 'loading stale', c: 'slow', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Show helpful text about the different subcommands.' },
  'latency|histogram': { a: -2, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'nondeterministic_output request_policy:all_nodes response_policy:special', g: 'server', s: '7.0.0', x: 'O(N) where N is the number of commands with latency information being retrieved.', d: 'Return the cumulative distribution of latencies of a subset of commands or all.', args: [["command","string",{"f":"optional multiple"}]] },
  'latency|history': { a: 3, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'nondeterministic_output request_policy:all_nodes response_policy:special', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Return timestamp-latency samples for the event.', args: [["event","string"]] },
  'latency|latest': { a: 2, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'nondeterministic_output request_policy:all_nodes response_policy:special', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Return the latest latency samples for all events.' },
  'latency|reset': { a: -2, f: 'admin noscript loading stale', c: 'admin slow dangerous', t: 'request_policy:all_nodes response_policy:all_succeeded', g: 'server', s: '2.8.13', x: 'O(1)', d: 'Reset latency data for one or more events.', args: [["event","string",{"f":"optional multiple"}]] },
  'lcs': { a: -3, f: 'readonly', k: [1, 2, 1], c: 'read string slow', ks: ['RO access|index 1|range 1 1 0'], g: 'string', s: '7.0.0', x: 'O(N*M) where N and M are the lengths of s1 and s2, respectively', d: 'Find longest common substring', args: [["key1","key",{"k":0}],["key2","key",{"k":0}],["len","pure-token",{"t":"LEN","f":"optional"}],["idx","pure-token",{"t":"IDX","f":"optional"}],["len","integer",{"t":"MINMATCHLEN","f":"optional"}],["withmatchlen","pure-token",{"t":"WITHMATCHLEN","f":"optional"}]] },
  'lindex': { a: 3, f: 'readonly', k: [1, 1, 1], c: 'read list slow', ks: ['RO access|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).', d: 'Get an element from a list by its index', args: [["key","key",{"k":0}],["index","integer"]] },
  'linsert': { a: 5, f: 'write denyoom', k: [1, 1, 1], c: 'write list slow', ks: ['RW insert|index 1|range 0 1 0'], g: 'list', s: '2.2.0', x: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).', d: 'Insert an element before or after another element in a list', args: [["key","key",{"k":0}],["where","oneof",{"a":[["before","pure-token",{"t":"BEFORE"}],["after","pure-token",{"t":"AFTER"}]]}],["pivot","string"],["element","string"]] },
  'llen': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read list fast', ks: ['RO|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(1)', d: 'Get the length of a list', args: [["key","key",{"k":0}]] },
  'lmove': { a: 5, f: 'write denyoom', k: [1, 2, 1], c: 'write list slow', ks: ['RW access delete|index 1|range 0 1 0', 'RW insert|index 2|range 0 1 0'], g: 'list', s: '6.2.0', x: 'O(1)', d: 'Pop an element from a list, push it to another list and return it', args: [["source","key",{"k":0}],["destination","key",{"k":1}],["wherefrom","oneof",{"a":[["left","pure-token",{"t":"LEFT"}],["right","pure-token",{"t":"RIGHT"}]]}],["whereto","oneof",{"a":[["left","pure-token",{"t":"LEFT"}],["right","pure-token",{"t":"RIGHT"}]]}]] },
  'lmpop': { a: -4, f: 'write movablekeys', c: 'write list slow', ks: ['RW access delete|index 1|keynum 0 1 1'], g: 'list', s: '7.0.0', x: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', d: 'Pop elements from a list', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["where","oneof",{"a":[["left","pure-token",{"t":"LEFT"}],["right","pure-token",{"t":"RIGHT"}]]}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'lolwut': { a: -1, f: 'readonly fast', c: 'read fast', g: 'server', s: '5.0.0', d: 'Display some computer art and the Redis version', args: [["version","integer",{"t":"VERSION","f":"optional"}]] },
  'lpop': { a: -2, f: 'write fast', k: [1, 1, 1], c: 'write list fast', ks: ['RW access delete|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(N) where N is the number of elements returned', d: 'Remove and get the first elements in a list', h: [["6.2.0","Added the `count` argument."]], args: [["key","key",{"k":0}],["count","integer",{"s":"6.2.0","f":"optional"}]] },
  'lpos': { a: -3, f: 'readonly', k: [1, 1, 1], c: 'read list slow', ks: ['RO access|index 1|range 0 1 0'], g: 'list', s: '6.0.6', x: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.', d: 'Return the index of matching elements on a list', args: [["key","key",{"k":0}],["element","string"],["rank","integer",{"t":"RANK","f":"optional"}],["num-matches","integer",{"t":"COUNT","f":"optional"}],["len","integer",{"t":"MAXLEN","f":"optional"}]] },
  'lpush': { a: -3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write list fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', d: 'Prepend one or multiple elements to a list', h: [["2.4.0","Accepts multiple `element` arguments."]], args: [["key","key",{"k":0}],["element","string",{"f":"multiple"}]] },
  'lpushx': { a: -3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write list fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'list', s: '2.2.0', x: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', d: 'Prepend an element to a list, only if the list exists', h: [["4.0.0","Accepts multiple `element` arguments."]], args: [["key","key",{"k":0}],["element","string",{"f":"multiple"}]] },
  'lrange': { a: 4, f: 'readonly', k: [1, 1, 1], c: 'read list slow', ks: ['RO access|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.', d: 'Get a range of elements from a list', args: [["key","key",{"k":0}],["start","integer"],["stop","integer"]] },
  'lrem': { a: 4, f: 'write', k: [1, 1, 1], c: 'write list slow', ks: ['RW delete|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(N+M) where N is the length of the list and M is the number of elements removed.', d: 'Remove elements from a list', args: [["key","key",{"k":0}],["count","integer"],["element","string"]] },
  'lset': { a: 4, f: 'write denyoom', k: [1, 1, 1], c: 'write list slow', ks: ['RW update|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).', d: 'Set the value of an element in a list by its index', args: [["key","key",{"k":0}],["index","integer"],["element","string"]] },
  'ltrim': { a: 4, f: 'write', k: [1, 1, 1], c: 'write list slow', ks: ['RW delete|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(N) where N is the number of elements to be removed by the operation.', d: 'Trim a list to the specified range', args: [["key","key",{"k":0}],["start","integer"],["stop","integer"]] },
  'memory': { a: -2, c: 'slow', g: 'server', s: '4.0.0', x: 'Depends on subcommand.', d: 'A container for memory diagnostics commands' },
  'memory|doctor': { a: 2, c: 'slow', t: 'nondeterministic_output request_policy:all_shards response_policy:special', g: 'server', s: '4.0.0', x: 'O(1)', d: 'Outputs memory problems report' },
  'memory|help': { a: 2, f: 'loading stale', c: 'slow', g: 'server', s: '4.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'memory|malloc-stats': { a: 2, c: 'slow', t: 'nondeterministic_output request_policy:all_shards response_policy:special', g: 'server', s: '4.0.0', x: 'Depends on how much memory is allocated, could be slow', d: 'Show allocator internal stats' },
  'memory|purge': { a: 2, c: 'slow', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'server', s: '4.0.0', x: 'Depends on how much memory is allocated, could be slow', d: 'Ask the allocator to release memory' },
  'memory|stats': { a: 2, c: 'slow', t: 'nondeterministic_output request_policy:all_shards response_policy:special', g: 'server', s: '4.0.0', x: 'O(1)', d: 'Show memory usage details' },
  'memory|usage': { a: -3, f: 'readonly', k: [2, 2, 1], c: 'read slow', ks: ['RO|index 2|range 0 1 0'], g: 'server', s: '4.0.0', x: 'O(N) where N is the number of samples.', d: 'Estimate the memory usage of a key', args: [["key","key",{"k":0}],["count","integer",{"t":"SAMPLES","f":"optional"}]] },
  'mget': { a: -2, f: 'readonly fast', k: [1, -1, 1], c: 'read string fast', t: 'request_policy:multi_shard', ks: ['RO access|index 1|range -1 1 0'], g: 'string', s: '1.0.0', x: 'O(N) where N is the number of keys to retrieve.', d: 'Get the values of all the given keys', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'migrate': { a: -6, f: 'write movablekeys', k: [3, 3, 1], c: 'keyspace write slow dangerous', t: 'nondeterministic_output', ks: ['RW access delete|index 3|range 0 1 0', 'RW access delete incomplete|keyword KEYS -2|range -1 1 0'], g: 'generic', s: '2.6.0', x: 'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.', d: 'Atomically transfer a key from a Redis instance to another one.', h: [["3.0.0","Added the `COPY` and `REPLACE` options."],["3.0.6","Added the `KEYS` option."],["4.0.7","Added the `AUTH` option."],["6.0.0","Added the `AUTH2` option."]], args: [["host","string"],["port","integer"],["key_or_empty_string","oneof",{"a":[["key","key",{"k":0}],["empty_string","pure-token"]]}],["destination-db","integer"],["timeout","integer"],["copy","pure-token",{"t":"COPY","s":"3.0.0","f":"optional"}],["replace","pure-token",{"t":"REPLACE","s":"3.0.0","f":"optional"}],["authentication","oneof",{"f":"optional","a":[["password","string",{"t":"AUTH","s":"4.0.7","f":"optional"}],["username_password","block",{"t":"AUTH2","s":"6.0.0","f":"optional","a":[["username","string"],["password","string"]]}]]}],["key","key",{"k":1,"t":"KEYS","s":"3.0.6","f":"optional multiple"}]] },
  'module': { a: -2, c: 'slow', g: 'server', s: '4.0.0', x: 'Depends on subcommand.', d: 'A container for module commands' },
  'module|help': { a: 2, f: 'loading stale', c: 'slow', g: 'server', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'module|list': { a: 2, f: 'admin noscript', c: 'admin slow dangerous', t: 'nondeterministic_output_order', g: 'server', s: '4.0.0', x: 'O(N) where N is the number of loaded modules.', d: 'List all modules loaded by the server' },
  'module|load': { a: -3, f: 'admin noscript no_async_loading', c: 'admin slow dangerous', g: 'server', s: '4.0.0', x: 'O(1)', d: 'Load a module', args: [["path","string"],["arg","string",{"f":"optional multiple"}]] },
  'module|loadex': { a: -3, f: 'admin noscript no_async_loading', c: 'admin slow dangerous', g: 'server', s: '7.0.0', x: 'O(1)', d: 'Load a module with extended parameters', args: [["path","string"],["configs","block",{"t":"CONFIG","f":"optional multiple multiple_token","a":[["name","string"],["value","string"]]}],["args","block",{"t":"ARGS","f":"optional multiple","a":[["arg","string"]]}]] },
  'module|unload': { a: 3, f: 'admin noscript no_async_loading', c: 'admin slow dangerous', g: 'server', s: '4.0.0', x: 'O(1)', d: 'Unload a module', args: [["name","string"]] },
  'monitor': { a: 1, f: 'admin noscript loading stale', c: 'admin slow dangerous', g: 'server', s: '1.0.0', d: 'Listen for all requests received by the server in real time' },
  'move': { a: 3, f: 'write fast', k: [1, 1, 1], c: 'keyspace write fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Move a key to another database', args: [["key","key",{"k":0}],["db","integer"]] },
  'mset': { a: -3, f: 'write denyoom', k: [1, -1, 2], c: 'write string slow', t: 'request_policy:multi_shard response_policy:all_succeeded', ks: ['OW update|index 1|range -1 2 0'], g: 'string', s: '1.0.1', x: 'O(N) where N is the number of keys to set.', d: 'Set multiple keys to multiple values', args: [["key_value","block",{"f":"multiple","a":[["key","key",{"k":0}],["value","string"]]}]] },
  'msetnx': { a: -3, f: 'write denyoom', k: [1, -1, 2], c: 'write string slow', t: 'request_policy:multi_shard response_policy:agg_min', ks: ['OW insert|index 1|range -1 2 0'], g: 'string', s: '1.0.1', x: 'O(N) where N is the number of keys to set.', d: 'Set multiple keys to multiple values, only if none of the keys exist', args: [["key_value","block",{"f":"multiple","a":[["key","key",{"k":0}],["value","string"]]}]] },
  'multi': { a: 1, f: 'noscript loading stale fast allow_busy', c: 'fast transaction', g: 'transactions', s: '1.2.0', x: 'O(1)', d: 'Mark the start of a transaction block' },
  'object': { a: -2, c: 'slow', g: 'generic', s: '2.2.3', x: 'Depends on subcommand.', d: 'A container for object introspection commands' },
  'object|encoding': { a: 3, f: 'readonly', k: [2, 2, 1], c: 'keyspace read slow', t: 'nondeterministic_output', ks: ['RO|index 2|range 0 1 0'], g: 'generic', s: '2.2.3', x: 'O(1)', d: 'Inspect the internal encoding of a Redis object', args: [["key","key",{"k":0}]] },
  'object|freq': { a: 3, f: 'readonly', k: [2, 2, 1], c: 'keyspace read slow', t: 'nondeterministic_output', ks: ['RO|index 2|range 0 1 0'], g: 'generic', s: '4.0.0', x: 'O(1)', d: 'Get the logarithmic access frequency counter of a Redis object', args: [["key","key",{"k":0}]] },
  'object|help': { a: 2, f: 'loading stale', c: 'keyspace slow', g: 'generic', s: '6.2.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'object|idletime': { a: 3, f: 'readonly', k: [2, 2, 1], c: 'keyspace read slow', t: 'nondeterministic_output', ks: ['RO|index 2|range 0 1 0'], g: 'generic', s: '2.2.3', x: 'O(1)', d: 'Get the time since a Redis object was last accessed', args: [["key","key",{"k":0}]] },
  'object|refcount': { a: 3, f: 'readonly', k: [2, 2, 1], c: 'keyspace read slow', t: 'nondeterministic_output', ks: ['RO|index 2|range 0 1 0'], g: 'generic', s: '2.2.3', x: 'O(1)', d: 'Get the number of references to the value of the key', args: [["key","key",{"k":0}]] },
  'persist': { a: 2, f: 'write fast', k: [1, 1, 1], c: 'keyspace write fast', ks: ['RW update|index 1|range 0 1 0'], g: 'generic', s: '2.2.0', x: 'O(1)', d: 'Remove the expiration from a key', args: [["key","key",{"k":0}]] },
  'pexpire': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'keyspace write fast', ks: ['RW update|index 1|range 0 1 0'], g: 'generic', s: '2.6.0', x: 'O(1)', d: 'Set a key\'s time to live in milliseconds', h: [["7.0.0","Added options: `NX`, `XX`, `GT` and `LT`."]], args: [["key","key",{"k":0}],["milliseconds","integer"],["condition","oneof",{"s":"7.0.0","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}],["gt","pure-token",{"t":"GT"}],["lt","pure-token",{"t":"LT"}]]}]] },
  'pexpireat': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'keyspace write fast', ks: ['RW update|index 1|range 0 1 0'], g: 'generic', s: '2.6.0', x: 'O(1)', d: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', h: [["7.0.0","Added options: `NX`, `XX`, `GT` and `LT`."]], args: [["key","key",{"k":0}],["unix-time-milliseconds","unix-time"],["condition","oneof",{"s":"7.0.0","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}],["gt","pure-token",{"t":"GT"}],["lt","pure-token",{"t":"LT"}]]}]] },
  'pexpiretime': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'keyspace read fast', ks: ['RO access|index 1|range 0 1 0'], g: 'generic', s: '7.0.0', x: 'O(1)', d: 'Get the expiration Unix timestamp for a key in milliseconds', args: [["key","key",{"k":0}]] },
  'pfadd': { a: -2, f: 'write denyoom fast', k: [1, 1, 1], c: 'write hyperloglog fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'hyperloglog', s: '2.8.9', x: 'O(1) to add every element.', d: 'Adds the specified elements to the specified HyperLogLog.', args: [["key","key",{"k":0}],["element","string",{"f":"optional multiple"}]] },
  'pfcount': { a: -2, f: 'readonly', k: [1, -1, 1], c: 'read hyperloglog slow', ks: ['RW access|index 1|range -1 1 0|RW because it may change the internal representation of the key, and propagate to replicas'], g: 'hyperloglog', s: '2.8.9', x: 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.', d: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'pfdebug': { a: 3, f: 'write denyoom admin', k: [2, 2, 1], c: 'write hyperloglog admin slow dangerous', ks: ['RW access|index 2|range 0 1 0'], g: 'hyperloglog', s: '2.8.9', x: 'N/A', d: 'Internal commands for debugging HyperLogLog values', df: 'syscmd', args: [["subcommand","string"],["key","key",{"k":0}]] },
  'pfmerge': { a: -2, f: 'write denyoom', k: [1, -1, 1], c: 'write hyperloglog slow', ks: ['RW access insert|index 1|range 0 1 0', 'RO access|index 2|range -1 1 0'], g: 'hyperloglog', s: '2.8.9', x: 'O(N) to merge N HyperLogLogs, but with high constant times.', d: 'Merge N different HyperLogLogs into a single one.', args: [["destkey","key",{"k":0}],["sourcekey","key",{"k":1,"f":"multiple"}]] },
  'pfselftest': { a: 1, f: 'admin', c: 'hyperloglog admin slow dangerous', g: 'hyperloglog', s: '2.8.9', x: 'N/A', d: 'An internal command for testing HyperLogLog values', df: 'syscmd' },
  'ping': { a: -1, f: 'fast', c: 'fast connection', t: 'request_policy:all_shards response_policy:all_succeeded', g: 'connection', s: '1.0.0', x: 'O(1)', d: 'Ping the server', args: [["message","string",{"f":"optional"}]] },
  'psetex': { a: 4, f: 'write denyoom', k: [1, 1, 1], c: 'write string slow', ks: ['OW update|index 1|range 0 1 0'], g: 'string', s: '2.6.0', x: 'O(1)', d: 'Set the value and expiration in milliseconds of a key', args: [["key","key",{"k":0}],["milliseconds","integer"],["value","string"]] },
  'psubscribe': { a: -2, f: 'pubsub noscript loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.0.0', x: 'O(N) where N is the number of patterns the client is already subscribed to.', d: 'Listen for messages published to channels matching the given patterns', args: [["pattern","block",{"f":"multiple","a":[["pattern","pattern"]]}]] },
  'psync': { a: -3, f: 'admin noscript no_async_loading no_multi', c: 'admin slow dangerous', g: 'server', s: '2.8.0', d: 'Internal command used for replication', args: [["replicationid","string"],["offset","integer"]] },
  'pttl': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'keyspace read fast', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'generic', s: '2.6.0', x: 'O(1)', d: 'Get the time to live for a key in milliseconds', h: [["2.8.0","Added the -2 reply."]], args: [["key","key",{"k":0}]] },
  'publish': { a: 3, f: 'pubsub loading stale fast', c: 'pubsub fast', g: 'pubsub', s: '2.0.0', x: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).', d: 'Post a message to a channel', args: [["channel","string"],["message","string"]] },
  'pubsub': { a: -2, c: 'slow', g: 'pubsub', s: '2.8.0', x: 'Depends on subcommand.', d: 'A container for Pub/Sub commands' },
  'pubsub|channels': { a: -2, f: 'pubsub loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.8.0', x: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)', d: 'List active channels', args: [["pattern","pattern",{"f":"optional"}]] },
  'pubsub|help': { a: 2, f: 'loading stale', c: 'slow', g: 'pubsub', s: '6.2.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'pubsub|numpat': { a: 2, f: 'pubsub loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.8.0', x: 'O(1)', d: 'Get the count of unique patterns pattern subscriptions' },
  'pubsub|numsub': { a: -2, f: 'pubsub loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.8.0', x: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', d: 'Get the count of subscribers for channels', args: [["channel","string",{"f":"optional multiple"}]] },
  'pubsub|shardchannels': { a: -2, f: 'pubsub loading stale', c: 'pubsub slow', g: 'pubsub', s: '7.0.0', x: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).', d: 'List active shard channels', args: [["pattern","pattern",{"f":"optional"}]] },
  'pubsub|shardnumsub': { a: -2, f: 'pubsub loading stale', c: 'pubsub slow', g: 'pubsub', s: '7.0.0', x: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels', d: 'Get the count of subscribers for shard channels', args: [["shardchannel","string",{"f":"optional multiple"}]] },
  'punsubscribe': { a: -1, f: 'pubsub noscript loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.0.0', x: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).', d: 'Stop listening for messages posted to channels matching the given patterns', args: [["pattern","pattern",{"f":"optional multiple"}]] },
  'quit': { a: -1, f: 'noscript loading stale fast no_auth allow_busy', c: 'fast connection', g: 'connection', s: '1.0.0', x: 'O(1)', d: 'Close the connection' },
  'randomkey': { a: 1, f: 'readonly', c: 'keyspace read slow', t: 'request_policy:all_shards nondeterministic_output', g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Return a random key from the keyspace' },
  'rename': { a: 3, f: 'write', k: [1, 2, 1], c: 'keyspace write slow', ks: ['RW access delete|index 1|range 0 1 0', 'OW update|index 2|range 0 1 0'], g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Rename a key', args: [["key","key",{"k":0}],["newkey","key",{"k":1}]] },
  'renamenx': { a: 3, f: 'write fast', k: [1, 2, 1], c: 'keyspace write fast', ks: ['RW access delete|index 1|range 0 1 0', 'OW insert|index 2|range 0 1 0'], g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Rename a key, only if the new key does not exist', h: [["3.2.0","The command no longer returns an error when source and destination names are the same."]], args: [["key","key",{"k":0}],["newkey","key",{"k":1}]] },
  'replconf': { a: -1, f: 'admin noscript loading stale allow_busy', c: 'admin slow dangerous', g: 'server', s: '3.0.0', x: 'O(1)', d: 'An internal command for configuring the replication stream', df: 'syscmd' },
  'replicaof': { a: 3, f: 'admin noscript stale no_async_loading', c: 'admin slow dangerous', g: 'server', s: '5.0.0', x: 'O(1)', d: 'Make the server a replica of another instance, or promote it as master.', args: [["args","oneof",{"a":[["host-port","block",{"a":[["host","string"],["port","integer"]]}],["no-one","block",{"a":[["no","pure-token",{"t":"NO"}],["one","pure-token",{"t":"ONE"}]]}]]}]] },
  'reset': { a: 1, f: 'noscript loading stale fast no_auth allow_busy', c: 'fast connection', g: 'connection', s: '6.2.0', x: 'O(1)', d: 'Reset the connection' },
  'restore': { a: -4, f: 'write denyoom', k: [1, 1, 1], c: 'keyspace write slow dangerous', ks: ['OW update|index 1|range 0 1 0'], g: 'generic', s: '2.6.0', x: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).', d: 'Create a key using the provided serialized value, previously obtained using DUMP.', h: [["3.0.0","Added the `REPLACE` modifier."],["5.0.0","Added the `ABSTTL` modifier."],["5.0.0","Added the `IDLETIME` and `FREQ` options."]], args: [["key","key",{"k":0}],["ttl","integer"],["serialized-value","string"],["replace","pure-token",{"t":"REPLACE","s":"3.0.0","f":"optional"}],["absttl","pure-token",{"t":"ABSTTL","s":"5.0.0","f":"optional"}],["seconds","integer",{"t":"IDLETIME","s":"5.0.0","f":"optional"}],["frequency","integer",{"t":"FREQ","s":"5.0.0","f":"optional"}]] },
  'restore-asking': { a: -4, f: 'write denyoom asking', k: [1, 1, 1], c: 'keyspace write slow dangerous', ks: ['OW update|index 1|range 0 1 0'], g: 'server', s: '3.0.0', x: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).', d: 'An internal command for migrating keys in a cluster', df: 'syscmd', h: [["3.0.0","Added the `REPLACE` modifier."],["5.0.0","Added the `ABSTTL` modifier."],["5.0.0","Added the `IDLETIME` and `FREQ` options."]], args: [["key","key",{"k":0}],["ttl","integer"],["serialized-value","string"],["replace","pure-token",{"t":"REPLACE","s":"3.0.0","f":"optional"}],["absttl","pure-token",{"t":"ABSTTL","s":"5.0.0","f":"optional"}],["seconds","integer",{"t":"IDLETIME","s":"5.0.0","f":"optional"}],["frequency","integer",{"t":"FREQ","s":"5.0.0","f":"optional"}]] },
  'role': { a: 1, f: 'noscript loading stale fast', c: 'admin fast dangerous', g: 'server', s: '2.8.12', x: 'O(1)', d: 'Return the role of the instance in the context of replication' },
  'rpop': { a: -2, f: 'write fast', k: [1, 1, 1], c: 'write list fast', ks: ['RW access delete|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(N) where N is the number of elements returned', d: 'Remove and get the last elements in a list', h: [["6.2.0","Added the `count` argument."]], args: [["key","key",{"k":0}],["count","integer",{"s":"6.2.0","f":"optional"}]] },
  'rpoplpush': { a: 3, f: 'write denyoom', k: [1, 2, 1], c: 'write list slow', ks: ['RW access delete|index 1|range 0 1 0', 'RW insert|index 2|range 0 1 0'], g: 'list', s: '1.2.0', x: 'O(1)', d: 'Remove the last element in a list, prepend it to another list and return it', df: 'deprecated', dep: '6.2.0', args: [["source","key",{"k":0}],["destination","key",{"k":1}]], rep: '`LMOVE` with the `RIGHT` and `LEFT` arguments' },
  'rpush': { a: -3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write list fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'list', s: '1.0.0', x: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', d: 'Append one or multiple elements to a list', h: [["2.4.0","Accepts multiple `element` arguments."]], args: [["key","key",{"k":0}],["element","string",{"f":"multiple"}]] },
  'rpushx': { a: -3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write list fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'list', s: '2.2.0', x: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', d: 'Append an element to a list, only if the list exists', h: [["4.0.0","Accepts multiple `element` arguments."]], args: [["key","key",{"k":0}],["element","string",{"f":"multiple"}]] },
  'sadd': { a: -3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write set fast', ks: ['RW insert|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', d: 'Add one or more members to a set', h: [["2.4.0","Accepts multiple `member` arguments."]], args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'save': { a: 1, f: 'admin noscript no_async_loading no_multi', c: 'admin slow dangerous', g: 'server', s: '1.0.0', x: 'O(N) where N is the total number of keys in all databases', d: 'Synchronously save the dataset to disk' },
  'scan': { a: -2, f: 'readonly', c: 'keyspace read slow', t: 'nondeterministic_output request_policy:special', g: 'generic', s: '2.8.0', x: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', d: 'Incrementally iterate the keys space', h: [["6.0.0","Added the `TYPE` subcommand."]], args: [["cursor","integer"],["pattern","pattern",{"t":"MATCH","f":"optional"}],["count","integer",{"t":"COUNT","f":"optional"}],["type","string",{"t":"TYPE","s":"6.0.0","f":"optional"}]] },
  'scard': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read set fast', ks: ['RO|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'O(1)', d: 'Get the number of members in a set', args: [["key","key",{"k":0}]] },
  'script': { a: -2, c: 'slow', g: 'scripting', s: '2.6.0', x: 'Depends on subcommand.', d: 'A container for Lua scripts management commands' },
  'script|debug': { a: 3, f: 'noscript', c: 'slow scripting', g: 'scripting', s: '3.2.0', x: 'O(1)', d: 'Set the debug mode for executed scripts.', args: [["mode","oneof",{"a":[["yes","pure-token",{"t":"YES"}],["sync","pure-token",{"t":"SYNC"}],["no","pure-token",{"t":"NO"}]]}]] },
  'script|exists': { a: -3, f: 'noscript', c: 'slow scripting', t: 'request_policy:all_shards response_policy:agg_logical_and', g: 'scripting', s: '2.6.0', x: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).', d: 'Check existence of scripts in the script cache.', args: [["sha1","string",{"f":"multiple"}]] },
  'script|flush': { a: -2, f: 'noscript', c: 'slow scripting', t: 'request_policy:all_nodes response_policy:all_succeeded', g: 'scripting', s: '2.6.0', x: 'O(N) with N being the number of scripts in cache', d: 'Remove all the scripts from the script cache.', h: [["6.2.0","Added the `ASYNC` and `SYNC` flushing mode modifiers."]], args: [["async","oneof",{"s":"6.2.0","f":"optional","a":[["async","pure-token",{"t":"ASYNC"}],["sync","pure-token",{"t":"SYNC"}]]}]] },
  'script|help': { a: 2, f: 'loading stale', c: 'slow scripting', g: 'scripting', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'script|kill': { a: 2, f: 'noscript allow_busy', c: 'slow scripting', t: 'request_policy:all_shards response_policy:one_succeeded', g: 'scripting', s: '2.6.0', x: 'O(1)', d: 'Kill the script currently in execution.' },
  'script|load': { a: 3, f: 'noscript stale', c: 'slow scripting', t: 'request_policy:all_nodes response_policy:all_succeeded', g: 'scripting', s: '2.6.0', x: 'O(N) with N being the length in bytes of the script body.', d: 'Load the specified Lua script into the script cache.', args: [["script","string"]] },
  'sdiff': { a: -2, f: 'readonly', k: [1, -1, 1], c: 'read set slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range -1 1 0'], g: 'set', s: '1.0.0', x: 'O(N) where N is the total number of elements in all given sets.', d: 'Subtract multiple sets', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'sdiffstore': { a: -3, f: 'write denyoom', k: [1, -1, 1], c: 'write set slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|range -1 1 0'], g: 'set', s: '1.0.0', x: 'O(N) where N is the total number of elements in all given sets.', d: 'Subtract multiple sets and store the resulting set in a key', args: [["destination","key",{"k":0}],["key","key",{"k":1,"f":"multiple"}]] },
  'select': { a: 2, f: 'loading stale fast', c: 'fast connection', g: 'connection', s: '1.0.0', x: 'O(1)', d: 'Change the selected database for the current connection', args: [["index","integer"]] },
  'set': { a: -3, f: 'write denyoom', k: [1, 1, 1], c: 'write string slow', ks: ['RW access update variable_flags|index 1|range 0 1 0|RW and ACCESS due to the optional `GET` argument'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Set the string value of a key', h: [["2.6.12","Added the `EX`, `PX`, `NX` and `XX` options."],["6.0.0","Added the `KEEPTTL` option."],["6.2.0","Added the `GET`, `EXAT` and `PXAT` option."],["7.0.0","Allowed the `NX` and `GET` options to be used together."]], args: [["key","key",{"k":0}],["value","string"],["condition","oneof",{"s":"2.6.12","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}]]}],["get","pure-token",{"t":"GET","s":"6.2.0","f":"optional"}],["expiration","oneof",{"f":"optional","a":[["seconds","integer",{"t":"EX","s":"2.6.12"}],["milliseconds","integer",{"t":"PX","s":"2.6.12"}],["unix-time-seconds","unix-time",{"t":"EXAT","s":"6.2.0"}],["unix-time-milliseconds","unix-time",{"t":"PXAT","s":"6.2.0"}],["keepttl","pure-token",{"t":"KEEPTTL","s":"6.0.0"}]]}]] },
  'setbit': { a: 4, f: 'write denyoom', k: [1, 1, 1], c: 'write bitmap slow', ks: ['RW access update|index 1|range 0 1 0'], g: 'bitmap', s: '2.2.0', x: 'O(1)', d: 'Sets or clears the bit at offset in the string value stored at key', args: [["key","key",{"k":0}],["offset","integer"],["value","integer"]] },
  'setex': { a: 4, f: 'write denyoom', k: [1, 1, 1], c: 'write string slow', ks: ['OW update|index 1|range 0 1 0'], g: 'string', s: '2.0.0', x: 'O(1)', d: 'Set the value and expiration of a key', args: [["key","key",{"k":0}],["seconds","integer"],["value","string"]] },
  'setnx': { a: 3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write string fast', ks: ['OW insert|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(1)', d: 'Set the value of a key, only if the key does not exist', args: [["key","key",{"k":0}],["value","string"]] },
  'setrange': { a: 4, f: 'write denyoom', k: [1, 1, 1], c: 'write string slow', ks: ['RW update|index 1|range 0 1 0'], g: 'string', s: '2.2.0', x: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.', d: 'Overwrite part of a string at key starting at the specified offset', args: [["key","key",{"k":0}],["offset","integer"],["value","string"]] },
  'shutdown': { a: -1, f: 'admin noscript loading stale no_multi allow_busy', c: 'admin slow dangerous', g: 'server', s: '1.0.0', x: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)', d: 'Synchronously save the dataset to disk and then shut down the server', h: [["7.0.0","Added the `NOW`, `FORCE` and `ABORT` modifiers."]], args: [["nosave_save","oneof",{"f":"optional","a":[["nosave","pure-token",{"t":"NOSAVE"}],["save","pure-token",{"t":"SAVE"}]]}],["now","pure-token",{"t":"NOW","s":"7.0.0","f":"optional"}],["force","pure-token",{"t":"FORCE","s":"7.0.0","f":"optional"}],["abort","pure-token",{"t":"ABORT","s":"7.0.0","f":"optional"}]] },
  'sinter': { a: -2, f: 'readonly', k: [1, -1, 1], c: 'read set slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range -1 1 0'], g: 'set', s: '1.0.0', x: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.', d: 'Intersect multiple sets', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'sintercard': { a: -3, f: 'readonly movablekeys', c: 'read set slow', ks: ['RO access|index 1|keynum 0 1 1'], g: 'set', s: '7.0.0', x: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.', d: 'Intersect multiple sets and return the cardinality of the result', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["limit","integer",{"t":"LIMIT","f":"optional"}]] },
  'sinterstore': { a: -3, f: 'write denyoom', k: [1, -1, 1], c: 'write set slow', ks: ['RW update|index 1|range 0 1 0', 'RO access|index 2|range -1 1 0'], g: 'set', s: '1.0.0', x: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.', d: 'Intersect multiple sets and store the resulting set in a key', args: [["destination","key",{"k":0}],["key","key",{"k":1,"f":"multiple"}]] },
  'sismember': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read set fast', ks: ['RO|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'O(1)', d: 'Determine if a given value is a member of a set', args: [["key","key",{"k":0}],["member","string"]] },
  'slaveof': { a: 3, f: 'admin noscript stale no_async_loading', c: 'admin slow dangerous', g: 'server', s: '1.0.0', x: 'O(1)', d: 'Make the server a replica of another instance, or promote it as master.', df: 'deprecated', dep: '5.0.0', args: [["args","oneof",{"a":[["host-port","block",{"a":[["host","string"],["port","integer"]]}],["no-one","block",{"a":[["no","pure-token",{"t":"NO"}],["one","pure-token",{"t":"ONE"}]]}]]}]], rep: '`REPLICAOF`' },
  'slowlog': { a: -2, c: 'slow', g: 'server', s: '2.2.12', x: 'Depends on subcommand.', d: 'A container for slow log commands' },
  'slowlog|get': { a: -2, f: 'admin loading stale', c: 'admin slow dangerous', t: 'request_policy:all_nodes nondeterministic_output', g: 'server', s: '2.2.12', x: 'O(N) where N is the number of entries returned', d: 'Get the slow log\'s entries', h: [["4.0.0","Added client IP address, port and name to the reply."]], args: [["count","integer",{"f":"optional"}]] },
  'slowlog|help': { a: 2, f: 'loading stale', c: 'slow', g: 'server', s: '6.2.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'slowlog|len': { a: 2, f: 'admin loading stale', c: 'admin slow dangerous', t: 'request_policy:all_nodes response_policy:agg_sum nondeterministic_output', g: 'server', s: '2.2.12', x: 'O(1)', d: 'Get the slow log\'s length' },
  'slowlog|reset': { a: 2, f: 'admin loading stale', c: 'admin slow dangerous', t: 'request_policy:all_nodes response_policy:all_succeeded', g: 'server', s: '2.2.12', x: 'O(N) where N is the number of entries in the slowlog', d: 'Clear all entries from the slow log' },
  'smembers': { a: 2, f: 'readonly', k: [1, 1, 1], c: 'read set slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'O(N) where N is the set cardinality.', d: 'Get all the members in a set', args: [["key","key",{"k":0}]] },
  'smismember': { a: -3, f: 'readonly fast', k: [1, 1, 1], c: 'read set fast', ks: ['RO access|index 1|range 0 1 0'], g: 'set', s: '6.2.0', x: 'O(N) where N is the number of elements being checked for membership', d: 'Returns the membership associated with the given elements for a set', args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'smove': { a: 4, f: 'write fast', k: [1, 2, 1], c: 'write set fast', ks: ['RW access delete|index 1|range 0 1 0', 'RW insert|index 2|range 0 1 0'], g: 'set', s: '1.0.0', x: 'O(1)', d: 'Move a member from one set to another', args: [["source","key",{"k":0}],["destination","key",{"k":1}],["member","string"]] },
  'sort': { a: -2, f: 'write denyoom movablekeys', k: [1, 1, 1], c: 'write set sortedset list slow dangerous', ks: ['RO access|index 1|range 0 1 0', 'RO access|unknown|unknown|For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort', 'OW update|unknown|unknown|For the optional STORE keyword. It is marked \'unknown\' because the keyword can appear anywhere in the argument array'], g: 'generic', s: '1.0.0', x: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).', d: 'Sort the elements in a list, set or sorted set', args: [["key","key",{"k":0}],["pattern","pattern",{"k":1,"t":"BY","f":"optional"}],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}],["pattern","pattern",{"k":1,"t":"GET","f":"optional multiple multiple_token"}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}],["sorting","pure-token",{"t":"ALPHA","f":"optional"}],["destination","key",{"k":2,"t":"STORE","f":"optional"}]] },
  'sort_ro': { a: -2, f: 'readonly movablekeys', k: [1, 1, 1], c: 'read set sortedset list slow dangerous', ks: ['RO access|index 1|range 0 1 0', 'RO access|unknown|unknown|For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort'], g: 'generic', s: '7.0.0', x: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).', d: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', args: [["key","key",{"k":0}],["pattern","pattern",{"k":1,"t":"BY","f":"optional"}],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}],["pattern","pattern",{"k":1,"t":"GET","f":"optional multiple multiple_token"}],["order","oneof",{"f":"optional","a":[["asc","pure-token",{"t":"ASC"}],["desc","pure-token",{"t":"DESC"}]]}],["sorting","pure-token",{"t":"ALPHA","f":"optional"}]] },
  'spop': { a: -2, f: 'write fast', k: [1, 1, 1], c: 'write set fast', t: 'nondeterministic_output', ks: ['RW access delete|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.', d: 'Remove and return one or multiple random members from a set', h: [["3.2.0","Added the `count` argument."]], args: [["key","key",{"k":0}],["count","integer",{"s":"3.2.0","f":"optional"}]] },
  'spublish': { a: 3, f: 'pubsub loading stale fast', k: [1, 1, 1], c: 'pubsub fast', ks: ['not_key|index 1|range 0 1 0'], g: 'pubsub', s: '7.0.0', x: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', d: 'Post a message to a shard channel', args: [["shardchannel","string"],["message","string"]] },
  'srandmember': { a: -2, f: 'readonly', k: [1, 1, 1], c: 'read set slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.', d: 'Get one or multiple random members from a set', h: [["2.6.0","Added the optional `count` argument."]], args: [["key","key",{"k":0}],["count","integer",{"s":"2.6.0","f":"optional"}]] },
  'srem': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'write set fast', ks: ['RW delete|index 1|range 0 1 0'], g: 'set', s: '1.0.0', x: 'O(N) where N is the number of members to be removed.', d: 'Remove one or more members from a set', h: [["2.4.0","Accepts multiple `member` arguments."]], args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'sscan': { a: -3, f: 'readonly', k: [1, 1, 1], c: 'read set slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'set', s: '2.8.0', x: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', d: 'Incrementally iterate Set elements', args: [["key","key",{"k":0}],["cursor","integer"],["pattern","pattern",{"t":"MATCH","f":"optional"}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'ssubscribe': { a: -2, f: 'pubsub noscript loading stale', k: [1, -1, 1], c: 'pubsub slow', ks: ['not_key|index 1|range -1 1 0'], g: 'pubsub', s: '7.0.0', x: 'O(N) where N is the number of shard channels to subscribe to.', d: 'Listen for messages published to the given shard channels', args: [["shardchannel","string",{"f":"multiple"}]] },
  'strlen': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read string fast', ks: ['RO|index 1|range 0 1 0'], g: 'string', s: '2.2.0', x: 'O(1)', d: 'Get the length of the value stored in a key', args: [["key","key",{"k":0}]] },
  'subscribe': { a: -2, f: 'pubsub noscript loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.0.0', x: 'O(N) where N is the number of channels to subscribe to.', d: 'Listen for messages published to the given channels', args: [["channel","string",{"f":"multiple"}]] },
  'substr': { a: 4, f: 'readonly', k: [1, 1, 1], c: 'read string slow', ks: ['RO access|index 1|range 0 1 0'], g: 'string', s: '1.0.0', x: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.', d: 'Get a substring of the string stored at a key', df: 'deprecated', dep: '2.0.0', args: [["key","key",{"k":0}],["start","integer"],["end","integer"]], rep: '`GETRANGE`' },
  'sunion': { a: -2, f: 'readonly', k: [1, -1, 1], c: 'read set slow', t: 'nondeterministic_output_order', ks: ['RO access|index 1|range -1 1 0'], g: 'set', s: '1.0.0', x: 'O(N) where N is the total number of elements in all given sets.', d: 'Add multiple sets', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'sunionstore': { a: -3, f: 'write denyoom', k: [1, -1, 1], c: 'write set slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|range -1 1 0'], g: 'set', s: '1.0.0', x: 'O(N) where N is the total number of elements in all given sets.', d: 'Add multiple sets and store the resulting set in a key', args: [["destination","key",{"k":0}],["key","key",{"k":1,"f":"multiple"}]] },
  'sunsubscribe': { a: -1, f: 'pubsub noscript loading stale', k: [1, -1, 1], c: 'pubsub slow', ks: ['not_key|index 1|range -1 1 0'], g: 'pubsub', s: '7.0.0', x: 'O(N) where N is the number of clients already subscribed to a shard channel.', d: 'Stop listening for messages posted to the given shard channels', args: [["shardchannel","string",{"f":"optional multiple"}]] },
  'swapdb': { a: 3, f: 'write fast', c: 'keyspace write fast dangerous', g: 'server', s: '4.0.0', x: 'O(N) where N is the count of clients watching or blocking on keys from both databases.', d: 'Swaps two Redis databases', args: [["index1","integer"],["index2","integer"]] },
  'sync': { a: 1, f: 'admin noscript no_async_loading no_multi', c: 'admin slow dangerous', g: 'server', s: '1.0.0', d: 'Internal command used for replication' },
  'time': { a: 1, f: 'loading stale fast', c: 'fast', t: 'nondeterministic_output', g: 'server', s: '2.6.0', x: 'O(1)', d: 'Return the current server time' },
  'touch': { a: -2, f: 'readonly fast', k: [1, -1, 1], c: 'keyspace read fast', t: 'request_policy:multi_shard response_policy:agg_sum', ks: ['RO|index 1|range -1 1 0'], g: 'generic', s: '3.2.1', x: 'O(N) where N is the number of keys that will be touched.', d: 'Alters the last access time of a key(s). Returns the number of existing keys specified.', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'ttl': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'keyspace read fast', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Get the time to live for a key in seconds', h: [["2.8.0","Added the -2 reply."]], args: [["key","key",{"k":0}]] },
  'type': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'keyspace read fast', ks: ['RO|index 1|range 0 1 0'], g: 'generic', s: '1.0.0', x: 'O(1)', d: 'Determine the type stored at key', args: [["key","key",{"k":0}]] },
  'unlink': { a: -2, f: 'write fast', k: [1, -1, 1], c: 'keyspace write fast', t: 'request_policy:multi_shard response_policy:agg_sum', ks: ['RM delete|index 1|range -1 1 0'], g: 'generic', s: '4.0.0', x: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.', d: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'unsubscribe': { a: -1, f: 'pubsub noscript loading stale', c: 'pubsub slow', g: 'pubsub', s: '2.0.0', x: 'O(N) where N is the number of clients already subscribed to a channel.', d: 'Stop listening for messages posted to the given channels', args: [["channel","string",{"f":"optional multiple"}]] },
  'unwatch': { a: 1, f: 'noscript loading stale fast allow_busy', c: 'fast transaction', g: 'transactions', s: '2.2.0', x: 'O(1)', d: 'Forget about all watched keys' },
  'wait': { a: 3, f: 'noscript', c: 'slow connection', t: 'request_policy:all_shards response_policy:agg_min', g: 'generic', s: '3.0.0', x: 'O(1)', d: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection', args: [["numreplicas","integer"],["timeout","integer"]] },
  'watch': { a: -2, f: 'noscript loading stale fast allow_busy', k: [1, -1, 1], c: 'fast transaction', ks: ['RO|index 1|range -1 1 0'], g: 'transactions', s: '2.2.0', x: 'O(1) for every key.', d: 'Watch the given keys to determine execution of the MULTI/EXEC block', args: [["key","key",{"k":0,"f":"multiple"}]] },
  'xack': { a: -4, f: 'write fast', k: [1, 1, 1], c: 'write stream fast', ks: ['RW update|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1) for each message ID processed.', d: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.', args: [["key","key",{"k":0}],["group","string"],["id","string",{"f":"multiple"}]] },
  'xadd': { a: -5, f: 'write denyoom fast', k: [1, 1, 1], c: 'write stream fast', t: 'nondeterministic_output', ks: ['RW update|index 1|range 0 1 0|UPDATE instead of INSERT because of the optional trimming feature'], g: 'stream', s: '5.0.0', x: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.', d: 'Appends a new entry to a stream', h: [["6.2.0","Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."],["7.0.0","Added support for the `<ms>-*` explicit ID form."]], args: [["key","key",{"k":0}],["nomkstream","pure-token",{"t":"NOMKSTREAM","s":"6.2.0","f":"optional"}],["trim","block",{"f":"optional","a":[["strategy","oneof",{"a":[["maxlen","pure-token",{"t":"MAXLEN"}],["minid","pure-token",{"t":"MINID","s":"6.2.0"}]]}],["operator","oneof",{"f":"optional","a":[["equal","pure-token",{"t":"="}],["approximately","pure-token",{"t":"~"}]]}],["threshold","string"],["count","integer",{"t":"LIMIT","s":"6.2.0","f":"optional"}]]}],["id_or_auto","oneof",{"a":[["auto_id","pure-token",{"t":"*"}],["id","string"]]}],["field_value","block",{"f":"multiple","a":[["field","string"],["value","string"]]}]] },
  'xautoclaim': { a: -6, f: 'write fast', k: [1, 1, 1], c: 'write stream fast', t: 'nondeterministic_output', ks: ['RW delete|index 1|range 0 1 0'], g: 'stream', s: '6.2.0', x: 'O(1) if COUNT is small.', d: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.', h: [["7.0.0","Added an element to the reply array, containing deleted entries the command cleared from the PEL"]], args: [["key","key",{"k":0}],["group","string"],["consumer","string"],["min-idle-time","string"],["start","string"],["count","integer",{"t":"COUNT","f":"optional"}],["justid","pure-token",{"t":"JUSTID","f":"optional"}]] },
  'xclaim': { a: -6, f: 'write fast', k: [1, 1, 1], c: 'write stream fast', t: 'nondeterministic_output', ks: ['RW update|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(log N) with N being the number of messages in the PEL of the consumer group.', d: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.', args: [["key","key",{"k":0}],["group","string"],["consumer","string"],["min-idle-time","string"],["id","string",{"f":"multiple"}],["ms","integer",{"t":"IDLE","f":"optional"}],["unix-time-milliseconds","unix-time",{"t":"TIME","f":"optional"}],["count","integer",{"t":"RETRYCOUNT","f":"optional"}],["force","pure-token",{"t":"FORCE","f":"optional"}],["justid","pure-token",{"t":"JUSTID","f":"optional"}],["id","string",{"t":"LASTID","f":"optional"}]] },
  'xdel': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'write stream fast', ks: ['RW delete|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1) for each single item to delete in the stream, regardless of the stream size.', d: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.', args: [["key","key",{"k":0}],["id","string",{"f":"multiple"}]] },
  'xgroup': { a: -2, c: 'slow', g: 'stream', s: '5.0.0', x: 'Depends on subcommand.', d: 'A container for consumer groups commands' },
  'xgroup|create': { a: -5, f: 'write denyoom', k: [2, 2, 1], c: 'write stream slow', ks: ['RW insert|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Create a consumer group.', h: [["7.0.0","Added the `entries_read` named argument."]], args: [["key","key",{"k":0}],["groupname","string"],["id","oneof",{"a":[["id","string"],["new_id","pure-token",{"t":"$"}]]}],["mkstream","pure-token",{"t":"MKSTREAM","f":"optional"}],["entries_read","integer",{"t":"ENTRIESREAD","f":"optional"}]] },
  'xgroup|createconsumer': { a: 5, f: 'write denyoom', k: [2, 2, 1], c: 'write stream slow', ks: ['RW insert|index 2|range 0 1 0'], g: 'stream', s: '6.2.0', x: 'O(1)', d: 'Create a consumer in a consumer group.', args: [["key","key",{"k":0}],["groupname","string"],["consumername","string"]] },
  'xgroup|delconsumer': { a: 5, f: 'write', k: [2, 2, 1], c: 'write stream slow', ks: ['RW delete|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Delete a consumer from a consumer group.', args: [["key","key",{"k":0}],["groupname","string"],["consumername","string"]] },
  'xgroup|destroy': { a: 4, f: 'write', k: [2, 2, 1], c: 'write stream slow', ks: ['RW delete|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(N) where N is the number of entries in the group\'s pending entries list (PEL).', d: 'Destroy a consumer group.', args: [["key","key",{"k":0}],["groupname","string"]] },
  'xgroup|help': { a: 2, f: 'loading stale', c: 'stream slow', g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'xgroup|setid': { a: -5, f: 'write', k: [2, 2, 1], c: 'write stream slow', ks: ['RW update|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Set a consumer group to an arbitrary last delivered ID value.', h: [["7.0.0","Added the optional `entries_read` argument."]], args: [["key","key",{"k":0}],["groupname","string"],["id","oneof",{"a":[["id","string"],["new_id","pure-token",{"t":"$"}]]}],["entries_read","integer",{"t":"ENTRIESREAD","f":"optional"}]] },
  'xinfo': { a: -2, c: 'slow', g: 'stream', s: '5.0.0', x: 'Depends on subcommand.', d: 'A container for stream introspection commands' },
  'xinfo|consumers': { a: 4, f: 'readonly', k: [2, 2, 1], c: 'read stream slow', t: 'nondeterministic_output', ks: ['RO access|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'List the consumers in a consumer group', args: [["key","key",{"k":0}],["groupname","string"]] },
  'xinfo|groups': { a: 3, f: 'readonly', k: [2, 2, 1], c: 'read stream slow', ks: ['RO access|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'List the consumer groups of a stream', h: [["7.0.0","Added the `entries-read` and `lag` fields"]], args: [["key","key",{"k":0}]] },
  'xinfo|help': { a: 2, f: 'loading stale', c: 'stream slow', g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Show helpful text about the different subcommands' },
  'xinfo|stream': { a: -3, f: 'readonly', k: [2, 2, 1], c: 'read stream slow', ks: ['RO access|index 2|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Get information about a stream', h: [["6.0.0","Added the `FULL` modifier."],["7.0.0","Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields"]], args: [["key","key",{"k":0}],["full","block",{"t":"FULL","f":"optional","a":[["count","integer",{"t":"COUNT","f":"optional"}]]}]] },
  'xlen': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read stream fast', ks: ['RO|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'Return the number of entries in a stream', args: [["key","key",{"k":0}]] },
  'xpending': { a: -3, f: 'readonly', k: [1, 1, 1], c: 'read stream slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.', d: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.', h: [["6.2.0","Added the `IDLE` option and exclusive range intervals."]], args: [["key","key",{"k":0}],["group","string"],["filters","block",{"f":"optional","a":[["min-idle-time","integer",{"t":"IDLE","s":"6.2.0","f":"optional"}],["start","string"],["end","string"],["count","integer"],["consumer","string",{"f":"optional"}]]}]] },
  'xrange': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read stream slow', ks: ['RO access|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).', d: 'Return a range of elements in a stream, with IDs matching the specified IDs interval', h: [["6.2.0","Added exclusive ranges."]], args: [["key","key",{"k":0}],["start","string"],["end","string"],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'xread': { a: -4, f: 'readonly blocking movablekeys', c: 'read stream slow blocking', ks: ['RO access|keyword STREAMS 1|range -1 1 2'], g: 'stream', s: '5.0.0', x: 'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.', d: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.', args: [["count","integer",{"t":"COUNT","f":"optional"}],["milliseconds","integer",{"t":"BLOCK","f":"optional"}],["streams","block",{"t":"STREAMS","a":[["key","key",{"k":0,"f":"multiple"}],["id","string",{"f":"multiple"}]]}]] },
  'xreadgroup': { a: -7, f: 'write blocking movablekeys', c: 'write stream slow blocking', ks: ['RO access|keyword STREAMS 4|range -1 1 2'], g: 'stream', s: '5.0.0', x: 'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.', d: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.', args: [["group_consumer","block",{"t":"GROUP","a":[["group","string"],["consumer","string"]]}],["count","integer",{"t":"COUNT","f":"optional"}],["milliseconds","integer",{"t":"BLOCK","f":"optional"}],["noack","pure-token",{"t":"NOACK","f":"optional"}],["streams","block",{"t":"STREAMS","a":[["key","key",{"k":0,"f":"multiple"}],["id","string",{"f":"multiple"}]]}]] },
  'xrevrange': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read stream slow', ks: ['RO access|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).', d: 'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE', h: [["6.2.0","Added exclusive ranges."]], args: [["key","key",{"k":0}],["end","string"],["start","string"],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'xsetid': { a: -3, f: 'write denyoom fast', k: [1, 1, 1], c: 'write stream fast', ks: ['RW update|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(1)', d: 'An internal command for replicating stream values', h: [["7.0.0","Added the `entries_added` and `max_deleted_entry_id` arguments."]], args: [["key","key",{"k":0}],["last-id","string"],["entries_added","integer",{"t":"ENTRIESADDED","s":"7.0.0","f":"optional"}],["max_deleted_entry_id","string",{"t":"MAXDELETEDID","s":"7.0.0","f":"optional"}]] },
  'xtrim': { a: -4, f: 'write', k: [1, 1, 1], c: 'write stream slow', t: 'nondeterministic_output', ks: ['RW delete|index 1|range 0 1 0'], g: 'stream', s: '5.0.0', x: 'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.', d: 'Trims the stream to (approximately if \'~\' is passed) a certain size', h: [["6.2.0","Added the `MINID` trimming strategy and the `LIMIT` option."]], args: [["key","key",{"k":0}],["trim","block",{"a":[["strategy","oneof",{"a":[["maxlen","pure-token",{"t":"MAXLEN"}],["minid","pure-token",{"t":"MINID","s":"6.2.0"}]]}],["operator","oneof",{"f":"optional","a":[["equal","pure-token",{"t":"="}],["approximately","pure-token",{"t":"~"}]]}],["threshold","string"],["count","integer",{"t":"LIMIT","s":"6.2.0","f":"optional"}]]}]] },
  'zadd': { a: -4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write sortedset fast', ks: ['RW update|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', d: 'Add one or more members to a sorted set, or update its score if it already exists', h: [["2.4.0","Accepts multiple elements."],["3.0.2","Added the `XX`, `NX`, `CH` and `INCR` options."],["6.2.0","Added the `GT` and `LT` options."]], args: [["key","key",{"k":0}],["condition","oneof",{"s":"3.0.2","f":"optional","a":[["nx","pure-token",{"t":"NX"}],["xx","pure-token",{"t":"XX"}]]}],["comparison","oneof",{"s":"6.2.0","f":"optional","a":[["gt","pure-token",{"t":"GT"}],["lt","pure-token",{"t":"LT"}]]}],["change","pure-token",{"t":"CH","s":"3.0.2","f":"optional"}],["increment","pure-token",{"t":"INCR","s":"3.0.2","f":"optional"}],["score_member","block",{"f":"multiple","a":[["score","double"],["member","string"]]}]] },
  'zcard': { a: 2, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(1)', d: 'Get the number of members in a sorted set', args: [["key","key",{"k":0}]] },
  'zcount': { a: 4, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.0.0', x: 'O(log(N)) with N being the number of elements in the sorted set.', d: 'Count the members in a sorted set with scores within the given values', args: [["key","key",{"k":0}],["min","double"],["max","double"]] },
  'zdiff': { a: -3, f: 'readonly movablekeys', c: 'read sortedset slow', ks: ['RO access|index 1|keynum 0 1 1'], g: 'sorted-set', s: '6.2.0', x: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', d: 'Subtract multiple sorted sets', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}]] },
  'zdiffstore': { a: -4, f: 'write denyoom movablekeys', k: [1, 1, 1], c: 'write sortedset slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|keynum 0 1 1'], g: 'sorted-set', s: '6.2.0', x: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', d: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', args: [["destination","key",{"k":0}],["numkeys","integer"],["key","key",{"k":1,"f":"multiple"}]] },
  'zincrby': { a: 4, f: 'write denyoom fast', k: [1, 1, 1], c: 'write sortedset fast', ks: ['RW access update|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(log(N)) where N is the number of elements in the sorted set.', d: 'Increment the score of a member in a sorted set', args: [["key","key",{"k":0}],["increment","integer"],["member","string"]] },
  'zinter': { a: -3, f: 'readonly movablekeys', c: 'read sortedset slow', ks: ['RO access|index 1|keynum 0 1 1'], g: 'sorted-set', s: '6.2.0', x: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', d: 'Intersect multiple sorted sets', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["weight","integer",{"t":"WEIGHTS","f":"optional multiple"}],["aggregate","oneof",{"t":"AGGREGATE","f":"optional","a":[["sum","pure-token",{"t":"SUM"}],["min","pure-token",{"t":"MIN"}],["max","pure-token",{"t":"MAX"}]]}],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}]] },
  'zintercard': { a: -3, f: 'readonly movablekeys', c: 'read sortedset slow', ks: ['RO access|index 1|keynum 0 1 1'], g: 'sorted-set', s: '7.0.0', x: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.', d: 'Intersect multiple sorted sets and return the cardinality of the result', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["limit","integer",{"t":"LIMIT","f":"optional"}]] },
  'zinterstore': { a: -4, f: 'write denyoom movablekeys', k: [1, 1, 1], c: 'write sortedset slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|keynum 0 1 1'], g: 'sorted-set', s: '2.0.0', x: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', d: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', args: [["destination","key",{"k":0}],["numkeys","integer"],["key","key",{"k":1,"f":"multiple"}],["weight","integer",{"t":"WEIGHTS","f":"optional multiple"}],["aggregate","oneof",{"t":"AGGREGATE","f":"optional","a":[["sum","pure-token",{"t":"SUM"}],["min","pure-token",{"t":"MIN"}],["max","pure-token",{"t":"MAX"}]]}]] },
  'zlexcount': { a: 4, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.8.9', x: 'O(log(N)) with N being the number of elements in the sorted set.', d: 'Count the number of members in a sorted set between a given lexicographical range', args: [["key","key",{"k":0}],["min","string"],["max","string"]] },
  'zmpop': { a: -4, f: 'write movablekeys', c: 'write sortedset slow', ks: ['RW access delete|index 1|keynum 0 1 1'], g: 'sorted-set', s: '7.0.0', x: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', d: 'Remove and return members with scores in a sorted set', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["where","oneof",{"a":[["min","pure-token",{"t":"MIN"}],["max","pure-token",{"t":"MAX"}]]}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'zmscore': { a: -3, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '6.2.0', x: 'O(N) where N is the number of members being requested.', d: 'Get the score associated with the given members in a sorted set', args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'zpopmax': { a: -2, f: 'write fast', k: [1, 1, 1], c: 'write sortedset fast', ks: ['RW access delete|index 1|range 0 1 0'], g: 'sorted-set', s: '5.0.0', x: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', d: 'Remove and return members with the highest scores in a sorted set', args: [["key","key",{"k":0}],["count","integer",{"f":"optional"}]] },
  'zpopmin': { a: -2, f: 'write fast', k: [1, 1, 1], c: 'write sortedset fast', ks: ['RW access delete|index 1|range 0 1 0'], g: 'sorted-set', s: '5.0.0', x: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', d: 'Remove and return members with the lowest scores in a sorted set', args: [["key","key",{"k":0}],["count","integer",{"f":"optional"}]] },
  'zrandmember': { a: -2, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '6.2.0', x: 'O(N) where N is the number of elements returned', d: 'Get one or multiple random elements from a sorted set', args: [["key","key",{"k":0}],["options","block",{"f":"optional","a":[["count","integer"],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}]]}]] },
  'zrange': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', d: 'Return a range of members in a sorted set', h: [["6.2.0","Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."]], args: [["key","key",{"k":0}],["start","string"],["stop","string"],["sortby","oneof",{"s":"6.2.0","f":"optional","a":[["byscore","pure-token",{"t":"BYSCORE"}],["bylex","pure-token",{"t":"BYLEX"}]]}],["rev","pure-token",{"t":"REV","s":"6.2.0","f":"optional"}],["offset_count","block",{"t":"LIMIT","s":"6.2.0","f":"optional","a":[["offset","integer"],["count","integer"]]}],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}]] },
  'zrangebylex': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.8.9', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', d: 'Return a range of members in a sorted set, by lexicographical range', df: 'deprecated', dep: '6.2.0', args: [["key","key",{"k":0}],["min","string"],["max","string"],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}]], rep: '`ZRANGE` with the `BYLEX` argument' },
  'zrangebyscore': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '1.0.5', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', d: 'Return a range of members in a sorted set, by score', df: 'deprecated', dep: '6.2.0', h: [["2.0.0","Added the `WITHSCORES` modifier."]], args: [["key","key",{"k":0}],["min","double"],["max","double"],["withscores","pure-token",{"t":"WITHSCORES","s":"2.0.0","f":"optional"}],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}]], rep: '`ZRANGE` with the `BYSCORE` argument' },
  'zrangestore': { a: -5, f: 'write denyoom', k: [1, 2, 1], c: 'write sortedset slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|range 0 1 0'], g: 'sorted-set', s: '6.2.0', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.', d: 'Store a range of members from sorted set into another key', args: [["dst","key",{"k":0}],["src","key",{"k":1}],["min","string"],["max","string"],["sortby","oneof",{"f":"optional","a":[["byscore","pure-token",{"t":"BYSCORE"}],["bylex","pure-token",{"t":"BYLEX"}]]}],["rev","pure-token",{"t":"REV","f":"optional"}],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}]] },
  'zrank': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.0.0', x: 'O(log(N))', d: 'Determine the index of a member in a sorted set', args: [["key","key",{"k":0}],["member","string"]] },
  'zrem': { a: -3, f: 'write fast', k: [1, 1, 1], c: 'write sortedset fast', ks: ['RW delete|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.', d: 'Remove one or more members from a sorted set', h: [["2.4.0","Accepts multiple elements."]], args: [["key","key",{"k":0}],["member","string",{"f":"multiple"}]] },
  'zremrangebylex': { a: 4, f: 'write', k: [1, 1, 1], c: 'write sortedset slow', ks: ['RW delete|index 1|range 0 1 0'], g: 'sorted-set', s: '2.8.9', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', d: 'Remove all members in a sorted set between the given lexicographical range', args: [["key","key",{"k":0}],["min","string"],["max","string"]] },
  'zremrangebyrank': { a: 4, f: 'write', k: [1, 1, 1], c: 'write sortedset slow', ks: ['RW delete|index 1|range 0 1 0'], g: 'sorted-set', s: '2.0.0', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', d: 'Remove all members in a sorted set within the given indexes', args: [["key","key",{"k":0}],["start","integer"],["stop","integer"]] },
  'zremrangebyscore': { a: 4, f: 'write', k: [1, 1, 1], c: 'write sortedset slow', ks: ['RW delete|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', d: 'Remove all members in a sorted set within the given scores', args: [["key","key",{"k":0}],["min","double"],["max","double"]] },
  'zrevrange': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', d: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', df: 'deprecated', dep: '6.2.0', args: [["key","key",{"k":0}],["start","integer"],["stop","integer"],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}]], rep: '`ZRANGE` with the `REV` argument' },
  'zrevrangebylex': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.8.9', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', d: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', df: 'deprecated', dep: '6.2.0', args: [["key","key",{"k":0}],["max","string"],["min","string"],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}]], rep: '`ZRANGE` with the `REV` and `BYLEX` arguments' },
  'zrevrangebyscore': { a: -4, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.2.0', x: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', d: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', df: 'deprecated', dep: '6.2.0', h: [["2.1.6","`min` and `max` can be exclusive."]], args: [["key","key",{"k":0}],["max","double"],["min","double"],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}],["offset_count","block",{"t":"LIMIT","f":"optional","a":[["offset","integer"],["count","integer"]]}]], rep: '`ZRANGE` with the `REV` and `BYSCORE` arguments' },
  'zrevrank': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.0.0', x: 'O(log(N))', d: 'Determine the index of a member in a sorted set, with scores ordered from high to low', args: [["key","key",{"k":0}],["member","string"]] },
  'zscan': { a: -3, f: 'readonly', k: [1, 1, 1], c: 'read sortedset slow', t: 'nondeterministic_output', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '2.8.0', x: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', d: 'Incrementally iterate sorted sets elements and associated scores', args: [["key","key",{"k":0}],["cursor","integer"],["pattern","pattern",{"t":"MATCH","f":"optional"}],["count","integer",{"t":"COUNT","f":"optional"}]] },
  'zscore': { a: 3, f: 'readonly fast', k: [1, 1, 1], c: 'read sortedset fast', ks: ['RO access|index 1|range 0 1 0'], g: 'sorted-set', s: '1.2.0', x: 'O(1)', d: 'Get the score associated with the given member in a sorted set', args: [["key","key",{"k":0}],["member","string"]] },
  'zunion': { a: -3, f: 'readonly movablekeys', c: 'read sortedset slow', ks: ['RO access|index 1|keynum 0 1 1'], g: 'sorted-set', s: '6.2.0', x: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', d: 'Add multiple sorted sets', args: [["numkeys","integer"],["key","key",{"k":0,"f":"multiple"}],["weight","integer",{"t":"WEIGHTS","f":"optional multiple"}],["aggregate","oneof",{"t":"AGGREGATE","f":"optional","a":[["sum","pure-token",{"t":"SUM"}],["min","pure-token",{"t":"MIN"}],["max","pure-token",{"t":"MAX"}]]}],["withscores","pure-token",{"t":"WITHSCORES","f":"optional"}]] },
  'zunionstore': { a: -4, f: 'write denyoom movablekeys', k: [1, 1, 1], c: 'write sortedset slow', ks: ['OW update|index 1|range 0 1 0', 'RO access|index 2|keynum 0 1 1'], g: 'sorted-set', s: '2.0.0', x: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', d: 'Add multiple sorted sets and store the resulting sorted set in a new key', args: [["destination","key",{"k":0}],["numkeys","integer"],["key","key",{"k":1,"f":"multiple"}],["weight","integer",{"t":"WEIGHTS","f":"optional multiple"}],["aggregate","oneof",{"t":"AGGREGATE","f":"optional","a":[["sum","pure-token",{"t":"SUM"}],["min","pure-token",{"t":"MIN"}],["max","pure-token",{"t":"MAX"}]]}]] },
};

// --- ACL -----------------------------------------------------------------------------------------

/** Redis 7.0's documented commands (subcommands as 'config|get') with their ACL categories and flags, for ACL rules. */
export function documentedCommandCategories(): Array<{ name: string; categories: string[]; flags: string[] }> {
  return Object.entries(COMMAND_DOCS).map(([name, doc]) => ({ name, categories: words(doc.c), flags: words(doc.f) }));
}

/** The command's categories as COMMAND INFO shows them, without '@'. */
export function commandCategoryNames(cmd: CompiledCommand): string[] {
  return categoriesOf(cmd).map((c) => c.slice(1));
}

/** The keys a command names with their key-spec flags (SORT's own procedure included), for ACL key checks. */
export function commandKeysWithFlags(cmd: CompiledCommand, args: string[]): Array<{ key: string; flags: string[]; index: number }> {
  if (cmd.name === 'sort') return sortKeyPositions(args).map(({ index, flags }) => ({ key: args[index], flags, index }));
  const specs = keySpecsOf(cmd).filter((spec) => !spec.flags.includes('not_key'));
  if (specs.length === 0) return [];
  return keysFromSpecs(specs, args) ?? [];
}
