// Redis 7.0 directives the node accepts and stores (so CONFIG GET *, CONFIG SET and real
// redis.conf files behave as on redis-server) but does not act on: cluster, TLS tuning,
// defragmentation, syslog, CPU pinning and debugging knobs. Defaults and ranges are Redis 7.0's.

import type { Directive } from './config-directive';
import { ConfigValueError, parseMemory } from './config-values';

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

const b = (name: string, def: boolean, extra: Partial<Directive> = {}): Directive => ({ name, kind: 'bool', default: def, ...extra }) as Directive;
const i = (name: string, def: number, min: number, max: number, extra: Partial<Directive> = {}): Directive =>
  ({ name, kind: 'int', default: def, min, max, ...extra }) as Directive;
const s = (name: string, def: string, extra: Partial<Directive> = {}): Directive => ({ name, kind: 'string', default: def, ...extra }) as Directive;
const e = (name: string, def: string, values: string[], extra: Partial<Directive> = {}): Directive =>
  ({ name, kind: 'enum', default: def, values, ...extra }) as Directive;

/** maxmemory-clients: bytes, or a percentage of maxmemory written "N%". */
function parseMemoryOrPercent(args: string[]): string {
  const text = args.join(' ');
  const percent = /^(\d+)%$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    if (value > 100) throw new ConfigValueError('percentage argument must be less or equal to 100');
    return value === 0 ? '0' : `${value}%`;
  }
  const bytes = parseMemory(text);
  if (bytes === null) throw new ConfigValueError('argument must be a memory or percent value');
  return String(bytes);
}

const SHUTDOWN_FLAGS = ['save', 'nosave', 'now', 'force'];

/** shutdown-on-sigint/sigterm: a set of flags printed in Redis's canonical order. */
function parseShutdownFlags(args: string[]): string {
  const words = args
    .join(' ')
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
  const chosen = new Set<string>();
  for (const word of words) {
    if (word !== 'default' && !SHUTDOWN_FLAGS.includes(word)) {
      throw new ConfigValueError('argument(s) must be one of the following: default, save, nosave, now, force');
    }
    if (word !== 'default') chosen.add(word);
  }
  if (chosen.has('save') && chosen.has('nosave')) throw new ConfigValueError("shutdown options SAVE and NOSAVE can't be used simultaneously");
  const ordered = SHUTDOWN_FLAGS.filter((f) => chosen.has(f));
  return ordered.length === 0 ? 'default' : ordered.join(' ');
}

const SYSLOG_FACILITIES = ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

export const ACCEPTED_ONLY_DIRECTIVES: Directive[] = [
  e('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  i('acllog-max-len', 128, 0, LLONG_MAX),
  i('active-defrag-cycle-max', 25, 1, 99),
  i('active-defrag-cycle-min', 1, 1, 99),
  { name: 'active-defrag-ignore-bytes', kind: 'memory', default: 100 * 1024 * 1024, min: 1 },
  i('active-defrag-max-scan-fields', 1000, 1, LLONG_MAX),
  i('active-defrag-threshold-lower', 10, 0, 1000),
  i('active-defrag-threshold-upper', 100, 0, 1000),
  b('aof-disable-auto-gc', false),
  s('aof_rewrite_cpulist', '', { mutable: false }),
  s('bgsave_cpulist', '', { mutable: false }),
  s('bio_cpulist', '', { mutable: false }),
  s('server_cpulist', '', { mutable: false }),
  s('bind-source-addr', ''),
  b('cluster-allow-pubsubshard-when-down', true),
  b('cluster-allow-reads-when-down', false),
  b('cluster-allow-replica-migration', true),
  i('cluster-announce-bus-port', 0, 0, 65535),
  s('cluster-announce-hostname', ''),
  s('cluster-announce-ip', ''),
  i('cluster-announce-port', 0, 0, 65535),
  i('cluster-announce-tls-port', 0, 0, 65535),
  s('cluster-config-file', 'nodes.conf', { mutable: false }),
  { name: 'cluster-link-sendbuf-limit', kind: 'memory', default: 0 },
  i('cluster-migration-barrier', 1, 0, INT_MAX),
  i('cluster-node-timeout', 15000, 0, LLONG_MAX),
  i('cluster-port', 0, 0, 65535, { mutable: false }),
  e('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint']),
  b('cluster-replica-no-failover', false, { aliases: ['cluster-slave-no-failover'] }),
  i('cluster-replica-validity-factor', 10, 0, INT_MAX, { aliases: ['cluster-slave-validity-factor'] }),
  b('cluster-require-full-coverage', true),
  s('ignore-warnings', ''),
  i('lfu-decay-time', 1, 0, INT_MAX),
  i('lfu-log-factor', 10, 0, INT_MAX),
  { name: 'maxmemory-clients', kind: 'custom', default: '0', parse: parseMemoryOrPercent },
  i('maxmemory-eviction-tenacity', 10, 0, 100),
  e('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  b('replica-ignore-disk-write-errors', false),
  b('replica-ignore-maxmemory', true, { aliases: ['slave-ignore-maxmemory'] }),
  e('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  { name: 'shutdown-on-sigint', kind: 'custom', default: 'default', parse: parseShutdownFlags, fileArgs: 'many' },
  { name: 'shutdown-on-sigterm', kind: 'custom', default: 'default', parse: parseShutdownFlags, fileArgs: 'many' },
  i('shutdown-timeout', 10, 0, INT_MAX),
  i('socket-mark-id', 0, 0, UINT_MAX, { mutable: false }),
  b('syslog-enabled', false, { mutable: false }),
  e('syslog-facility', 'local0', SYSLOG_FACILITIES, { mutable: false }),
  s('syslog-ident', 'redis', { mutable: false }),
  s('tls-ca-cert-dir', ''),
  s('tls-ciphers', ''),
  s('tls-ciphersuites', ''),
  s('tls-client-cert-file', ''),
  s('tls-client-key-file', ''),
  s('tls-client-key-file-pass', '', { secret: true }),
  b('tls-cluster', false),
  s('tls-dh-params-file', ''),
  s('tls-key-file-pass', '', { secret: true }),
  b('tls-prefer-server-ciphers', false),
  s('tls-protocols', ''),
  i('tls-session-cache-size', 20480, 0, INT_MAX),
  i('tls-session-cache-timeout', 300, 0, INT_MAX),
  b('tls-session-caching', true),
  // Hidden in Redis: CONFIG GET answers them by exact name, never through a pattern.
  i('key-load-delay', 0, INT_MIN, INT_MAX, { hidden: true }),
  i('rdb-key-save-delay', 0, INT_MIN, INT_MAX, { hidden: true }),
  i('loading-process-events-interval-bytes', 2 * 1024 * 1024, 1024, INT_MAX, { hidden: true }),
];
