// The node's configuration registry: every directive the node knows, its type, default,
// validation (with Redis 7.0's error wording) and how CONFIG GET prints it.
// The config file reader and CONFIG REWRITE both work from this table.

import { quoteConfigArg, readConfigLines } from '../formats/redis-conf';
import { ERR_INVALID_EVENT_CLASS, formatNotifyFlags, parseNotifyFlags } from './keyspace-events';
import { isValidProcTitleTemplate } from './proc-title';
import { ACCEPTED_ONLY_DIRECTIVES } from './config-accepted';
import { ConfigValueError, parseMemory } from './config-values';
import type { BoolDirective, CustomDirective, Directive, EnumDirective, IntDirective, MemoryDirective, StringDirective } from './config-directive';

export { ConfigValueError, parseMemory };
export type { Directive };

export type ConfigValue = string;



const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

function bool(name: string, def: boolean, extra: Partial<BoolDirective> = {}): BoolDirective {
  return { name, kind: 'bool', default: def, ...extra };
}
function int(name: string, def: number, min: number, max: number, extra: Partial<IntDirective> = {}): IntDirective {
  return { name, kind: 'int', default: def, min, max, ...extra };
}
function memory(name: string, def: number, extra: Partial<MemoryDirective> = {}): MemoryDirective {
  return { name, kind: 'memory', default: def, ...extra };
}
function enumOf(name: string, def: string, values: string[], extra: Partial<EnumDirective> = {}): EnumDirective {
  return { name, kind: 'enum', default: def, values, ...extra };
}
function str(name: string, def: string, extra: Partial<StringDirective> = {}): StringDirective {
  return { name, kind: 'string', default: def, ...extra };
}

function parseNotifyKeyspaceEvents(args: string[]): string {
  if (args.length !== 1) throw new ConfigValueError('wrong number of arguments');
  const flags = parseNotifyFlags(args[0]);
  if (flags === null) throw new ConfigValueError(ERR_INVALID_EVENT_CLASS);
  return formatNotifyFlags(flags, true);
}

function displayNotifyKeyspaceEvents(value: string): string {
  return formatNotifyFlags(parseNotifyFlags(value) ?? 0);
}

function parseSave(args: string[]): string {
  // `save ""` (one empty argument) disables snapshots; otherwise pairs of seconds and changes.
  const joined = args.length === 1 ? args[0].trim() : args.join(' ');
  if (joined === '') return '';
  const parts = joined.split(/\s+/);
  if (parts.length % 2 !== 0) throw new ConfigValueError('Invalid save parameters');
  for (const part of parts) {
    if (!/^\d+$/.test(part)) throw new ConfigValueError('Invalid save parameters');
  }
  return parts.join(' ');
}

/** Redis 7.0 writes this line on every CONFIG REWRITE, so a config it rewrote must load here. */
function parseLatencyPercentiles(args: string[]): string {
  const parts = args.length === 1 ? args[0].trim().split(/\s+/).filter((p) => p !== '') : args;
  for (const part of parts) {
    const value = Number(part);
    if (part === '' || !Number.isFinite(value)) throw new ConfigValueError('Invalid latency-tracking-info-percentiles parameters');
    if (value < 0 || value > 100) throw new ConfigValueError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
  }
  return parts.join(' ');
}

function parseReplicaOf(args: string[]): string {
  const parts = args.length === 1 ? args[0].trim().split(/\s+/) : args;
  if (parts.length === 1 && parts[0] === '') return '';
  if (parts.length === 2 && parts[0].toLowerCase() === 'no' && parts[1].toLowerCase() === 'one') return '';
  if (parts.length !== 2) throw new ConfigValueError('wrong number of arguments');
  const port = Number(parts[1]);
  if (!/^\d+$/.test(parts[1]) || port < 0 || port > 65535) throw new ConfigValueError('Invalid master port');
  return `${parts[0]} ${port}`;
}

function parseProcTitleTemplate(args: string[]): string {
  const template = args.join(' ');
  if (!isValidProcTitleTemplate(template)) throw new ConfigValueError('template format is invalid or contains unknown variables');
  return template;
}

function parseBind(args: string[]): string {
  const parts = args.length === 1 ? args[0].trim().split(/\s+/) : args;
  if (parts.length > 16) throw new ConfigValueError('Too many bind addresses specified.');
  return parts.filter((p) => p !== '').join(' ');
}

function parseClientOutputBufferLimit(args: string[]): string {
  const parts = args.length === 1 ? args[0].trim().split(/\s+/) : args;
  if (parts.length % 4 !== 0) throw new ConfigValueError('Wrong number of arguments in buffer limit configuration.');
  for (let i = 0; i < parts.length; i += 4) {
    const cls = parts[i].toLowerCase();
    if (!['normal', 'replica', 'slave', 'pubsub'].includes(cls)) throw new ConfigValueError('Invalid client class specified in buffer limit configuration.');
    for (let j = 1; j < 4; j++) {
      if (parseMemory(parts[i + j]) === null) throw new ConfigValueError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    }
  }
  return parts.join(' ');
}

/** Every directive the node accepts. Ones it does not act on are still accepted so real redis.conf files load. */
export const DIRECTIVES: Directive[] = [
  int('port', 6379, 0, 65535),
  { name: 'bind', kind: 'custom', default: '127.0.0.1', parse: parseBind, fileArgs: 'many' },
  bool('protected-mode', true),
  int('tcp-backlog', 511, 0, INT_MAX, { mutable: false }),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  bool('daemonize', false, { mutable: false }),
  str('pidfile', ''),
  enumOf('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  str('logfile', '', { mutable: false }),
  int('databases', 16, 1, INT_MAX, { mutable: false }),
  bool('always-show-logo', false, { mutable: false }),
  bool('set-proc-title', true, { mutable: false }),
  { name: 'proc-title-template', kind: 'custom', default: '{title} {listen-addr} {server-mode}', parse: parseProcTitleTemplate },
  { name: 'save', kind: 'custom', default: '3600 1 300 100 60 10000', parse: parseSave, fileArgs: 'many' },
  bool('stop-writes-on-bgsave-error', true),
  bool('rdbcompression', true),
  bool('rdbchecksum', true),
  str('dbfilename', 'dump.rdb'),
  str('dir', ''),
  { name: 'replicaof', aliases: ['slaveof'], kind: 'custom', default: '', parse: parseReplicaOf, fileArgs: 'many', mutable: false },
  str('masteruser', ''),
  str('masterauth', '', { secret: true }),
  bool('replica-serve-stale-data', true, { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', true, { aliases: ['slave-read-only'] }),
  bool('repl-diskless-sync', true),
  int('repl-diskless-sync-delay', 5, 0, INT_MAX),
  int('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  enumOf('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  int('repl-ping-replica-period', 10, 1, INT_MAX, { aliases: ['repl-ping-slave-period'] }),
  int('repl-timeout', 60, 1, INT_MAX),
  bool('repl-disable-tcp-nodelay', false),
  memory('repl-backlog-size', 1024 * 1024, { min: 1 }),
  int('repl-backlog-ttl', 3600, 0, INT_MAX),
  int('replica-priority', 100, 0, INT_MAX, { aliases: ['slave-priority'] }),
  bool('replica-announced', true),
  int('min-replicas-to-write', 0, 0, INT_MAX, { aliases: ['min-slaves-to-write'] }),
  int('min-replicas-max-lag', 10, 0, INT_MAX, { aliases: ['min-slaves-max-lag'] }),
  str('replica-announce-ip', '', { aliases: ['slave-announce-ip'] }),
  int('replica-announce-port', 0, 0, 65535, { aliases: ['slave-announce-port'] }),
  bool('replica-lazy-flush', false, { aliases: ['slave-lazy-flush'] }),
  str('requirepass', '', { secret: true }),
  int('maxclients', 10000, 1, INT_MAX),
  memory('maxmemory', 0),
  enumOf('maxmemory-policy', 'noeviction', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']),
  int('maxmemory-samples', 5, 1, INT_MAX),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('appendonly', false),
  str('appendfilename', 'appendonly.aof', { mutable: false }),
  str('appenddirname', 'appendonlydir', { mutable: false }),
  enumOf('appendfsync', 'everysec', ['everysec', 'always', 'no']),
  bool('no-appendfsync-on-rewrite', false),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  memory('auto-aof-rewrite-min-size', 64 * 1024 * 1024),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  int('busy-reply-threshold', 5000, 0, LLONG_MAX, { aliases: ['lua-time-limit'] }),
  int('slowlog-log-slower-than', 10000, -1, LLONG_MAX),
  int('slowlog-max-len', 128, 0, LLONG_MAX),
  int('tracking-table-max-keys', 1000000, 0, LLONG_MAX),
  int('latency-monitor-threshold', 0, 0, LLONG_MAX),
  bool('latency-tracking', true),
  { name: 'latency-tracking-info-percentiles', kind: 'custom', default: '50 99 99.9', parse: parseLatencyPercentiles, fileArgs: 'many' },
  { name: 'notify-keyspace-events', kind: 'custom', default: '', parse: parseNotifyKeyspaceEvents, display: displayNotifyKeyspaceEvents },
  int('hash-max-listpack-entries', 512, 0, LLONG_MAX, { aliases: ['hash-max-ziplist-entries'] }),
  int('hash-max-listpack-value', 64, 0, LLONG_MAX, { aliases: ['hash-max-ziplist-value'] }),
  int('list-max-listpack-size', -2, -5, INT_MAX, { aliases: ['list-max-ziplist-size'] }),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('set-max-intset-entries', 512, 0, LLONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LLONG_MAX, { aliases: ['zset-max-ziplist-entries'] }),
  int('zset-max-listpack-value', 64, 0, LLONG_MAX, { aliases: ['zset-max-ziplist-value'] }),
  int('hll-sparse-max-bytes', 3000, 0, LLONG_MAX),
  int('stream-node-max-bytes', 4096, 0, LLONG_MAX),
  int('stream-node-max-entries', 100, 0, LLONG_MAX),
  bool('activerehashing', true),
  { name: 'client-output-buffer-limit', kind: 'custom', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', parse: parseClientOutputBufferLimit, fileArgs: 'many' },
  memory('client-query-buffer-limit', 1024 * 1024 * 1024, { min: 1024 * 1024 }),
  memory('proto-max-bulk-len', 512 * 1024 * 1024, { min: 1024 * 1024 }),
  int('hz', 10, 0, INT_MAX),
  bool('dynamic-hz', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('rdb-save-incremental-fsync', true),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false),
  str('unixsocket', '', { mutable: false }),
  int('unixsocketperm', 0, 0, 777, { mutable: false }),
  enumOf('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], { mutable: false }),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  int('tls-port', 0, 0, 65535),
  str('tls-cert-file', ''),
  str('tls-key-file', ''),
  str('tls-ca-cert-file', ''),
  enumOf('tls-auth-clients', 'yes', ['no', 'yes', 'optional']),
  bool('tls-replication', false),
  bool('rdb-del-sync-files', false),
  bool('cluster-enabled', false, { mutable: false }),
  enumOf('enable-debug-command', 'no', ['yes', 'no', 'local']),
  enumOf('enable-protected-configs', 'no', ['yes', 'no', 'local']),
  enumOf('enable-module-command', 'no', ['yes', 'no', 'local']),
  str('aclfile', '', { mutable: false }),
  int('active-expire-effort', 1, 1, 10),
  bool('io-threads-do-reads', false, { mutable: false }),
  int('io-threads', 1, 1, 128, { mutable: false }),
  bool('disable-thp', true, { mutable: false }),
  enumOf('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute']),
  str('oom-score-adj-values', '0 200 800'),
  ...ACCEPTED_ONLY_DIRECTIVES,
];

const BY_NAME = new Map<string, Directive>();
for (const directive of DIRECTIVES) {
  BY_NAME.set(directive.name, directive);
  for (const alias of directive.aliases ?? []) BY_NAME.set(alias, directive);
}

export function findDirective(name: string): Directive | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Validates and normalizes one directive's arguments; throws ConfigValueError with Redis's reason. */
export function parseDirectiveValue(directive: Directive, args: string[]): string {
  if (directive.kind === 'custom') return directive.parse(args);
  if (args.length !== 1) throw new ConfigValueError('wrong number of arguments');
  const text = args[0];
  switch (directive.kind) {
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower !== 'yes' && lower !== 'no') throw new ConfigValueError("argument must be 'yes' or 'no'");
      return lower;
    }
    case 'int': {
      if (!/^-?\d+$/.test(text)) throw new ConfigValueError("argument couldn't be parsed into an integer");
      const value = Number(text);
      if (value < directive.min || value > directive.max) {
        // LLONG_MAX stands in for C's 64-bit limit, which Redis prints in full.
        const shownMax = directive.max === LLONG_MAX ? '9223372036854775807' : String(directive.max);
        throw new ConfigValueError(`argument must be between ${directive.min} and ${shownMax} inclusive`);
      }
      return String(value);
    }
    case 'memory': {
      const value = parseMemory(text);
      if (value === null) throw new ConfigValueError('argument must be a memory value');
      if (directive.min !== undefined && value < directive.min) {
        throw new ConfigValueError(`argument must be between ${directive.min} and ${directive.max ?? LLONG_MAX} inclusive`);
      }
      return String(value);
    }
    case 'enum': {
      const lower = text.toLowerCase();
      if (!directive.values.includes(lower)) {
        throw new ConfigValueError(`argument(s) must be one of the following: ${directive.values.join(', ')}`);
      }
      return lower;
    }
    case 'string':
      return text;
  }
}

function defaultText(directive: Directive): string {
  if (directive.kind === 'bool') return directive.default ? 'yes' : 'no';
  return String(directive.default);
}

/** A line of a config file that failed, reported as Redis's FATAL CONFIG FILE ERROR. */
export class ConfigFileError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    readonly reason: string,
  ) {
    super(reason);
  }

  report(version: string): string {
    return `\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\nReading the configuration file, at line ${this.line}\n>>> '${this.text}'\n${this.reason}\n`;
  }
}

/** Directive name -> normalized value, with change listeners for directives that act at run time. */
export class ConfigStore {
  private readonly values = new Map<string, string>();
  /** rename-command lines of the config file, in order: applied to the command table at start. */
  readonly commandRenames: Array<{ from: string; to: string }> = [];
  /** `user` lines of the config file (name, rules...), applied by the ACL at start-up. */
  readonly aclUsers: string[][] = [];
  private readonly listeners = new Map<string, (value: string) => void>();
  /** Bumped by every change: lets hot paths cache values they read on every command. */
  generation = 0;

  constructor() {
    for (const directive of DIRECTIVES) this.values.set(directive.name, defaultText(directive));
  }

  get(name: string): string {
    // Hot path: the canonical lowercase names the code itself uses are stored as they are.
    const direct = this.values.get(name);
    if (direct !== undefined) return direct;
    const directive = findDirective(name);
    if (!directive) throw new Error(`unknown config ${name}`);
    return this.values.get(directive.name) as string;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Stores an already-validated value and runs the directive's listener. */
  setValidated(name: string, value: string): void {
    const directive = findDirective(name);
    if (!directive) throw new Error(`unknown config ${name}`);
    this.values.set(directive.name, value);
    this.generation++;
    this.listeners.get(directive.name)?.(value);
  }

  onChange(name: string, listener: (value: string) => void): void {
    this.listeners.set(name, listener);
  }

  /** name/value pairs matching a glob, names as CONFIG GET shows them (aliases included). */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const directive of DIRECTIVES) {
      if (directive.hidden) continue;
      const value = this.values.get(directive.name) as string;
      out.push([directive.name, value]);
      for (const alias of directive.aliases ?? []) out.push([alias, value]);
    }
    return out;
  }
}

/**
 * Reads redis.conf text plus command-line overrides into (directive, args) pairs, line numbered
 * the way Redis numbers them: options from argv are appended after the file, each on its own line.
 */
export function parseConfigText(text: string): Array<{ line: number; raw: string; name: string; args: string[] }> {
  const out: Array<{ line: number; raw: string; name: string; args: string[] }> = [];
  for (const { line, text: raw, args } of readConfigLines(text)) {
    if (args === null) throw new ConfigFileError(line, raw, 'Unbalanced quotes in configuration line');
    if (args.length === 0) continue;
    out.push({ line, raw, name: args[0].toLowerCase(), args: args.slice(1) });
  }
  return out;
}

/** Turns `--port 7001 --save "" --replicaof h p` into config text lines, as redis-server does. */
export function argvToConfigText(argv: string[]): string {
  let text = '';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--') && arg.length > 2) {
      // Like redis-server: options are separated by newlines, with none before the first.
      text += (text.length > 0 ? '\n' : '') + arg.slice(2) + ' ';
    } else {
      text += quoteConfigArg(arg) + ' ';
    }
  }
  return text;
}
