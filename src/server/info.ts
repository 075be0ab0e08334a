// INFO rendering with Redis 7.0's sections, field names and field order.
// Numbers the node cannot have (allocator internals, forks, Lua) keep Redis's names with neutral
// values so tools that parse INFO find every field they expect. Persistence and replication lines
// come from the modules that own that state when they provide them.

import { formatPercentile, histogramOf } from './diagnostics/latency-histogram';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { resolve } from 'node:path';
import type { Server } from './server';
import { STARTUP_BYTES as MODEL_STARTUP_BYTES } from './memory/server-memory';
import { REDIS_COMPAT_VERSION, RCTL_NODE_VERSION } from './version';
import type { CompiledCommand } from './commands/table';

type SectionRenderer = (server: Server) => string[];

interface SectionDef {
  name: string;
  title: string;
  render: SectionRenderer;
}

/** The sections INFO (and INFO default) prints. */
const DEFAULT_SECTIONS = new Set(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace']);

// --- server ------------------------------------------------------------------------------------

const BUILD_ID = createHash('sha1').update(`rctl ${RCTL_NODE_VERSION}`).digest('hex').slice(0, 15);

function serverLines(server: Server): string[] {
  const now = server.clock.now();
  const uptime = Math.floor((now - server.stats.startedAt) / 1000);
  const supervised = server.config.get('supervised');
  return [
    `redis_version:${REDIS_COMPAT_VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    `redis_build_id:${BUILD_ID}`,
    'redis_mode:standalone',
    `os:${os.type()} ${os.release()} ${os.machine()}`,
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    `multiplexing_api:${process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'iocp' : 'kqueue'}`,
    'atomicvar_api:c11-builtin',
    'gcc_version:0.0.0',
    `process_id:${process.pid}`,
    `process_supervised:${supervised === 'upstart' || supervised === 'systemd' ? supervised : 'no'}`,
    `run_id:${server.runId}`,
    `tcp_port:${server.port}`,
    `server_time_usec:${now * 1000}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${server.config.getInt('hz')}`,
    `configured_hz:${server.config.getInt('hz')}`,
    `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
    `executable:${executablePath()}`,
    `config_file:${server.configFile ?? ''}`,
    'io_threads_active:0',
    `rctl_node_version:${RCTL_NODE_VERSION}`,
  ];
}

/** The script that runs the node (bin/rctl.js), as Redis shows its own binary's absolute path. */
function executablePath(): string {
  const script = process.argv[1];
  return script ? resolve(script) : process.execPath;
}

// --- clients -----------------------------------------------------------------------------------

function clientsLines(server: Server): string[] {
  let replicas = 0;
  let maxInput = 0;
  for (const client of server.clients.values()) {
    if (client.isReplica) replicas++;
    maxInput = Math.max(maxInput, client.parser.pendingBytes);
  }
  return [
    `connected_clients:${server.clients.size - replicas}`,
    'cluster_connections:0',
    `maxclients:${server.config.getInt('maxclients')}`,
    `client_recent_max_input_buffer:${maxInput}`,
    'client_recent_max_output_buffer:0',
    `blocked_clients:${server.blocking.count}`,
    `tracking_clients:${server.tracking.clientCount}`,
    `clients_in_timeout_table:${server.blocking.withTimeout}`,
  ];
}

// --- memory ------------------------------------------------------------------------------------

/** Redis's bytesToHuman: B below 1 KiB, then K, M, G, T, P with two decimals. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  for (let i = 0; i < units.length; i++) {
    const scale = 1024 ** (i + 2);
    if (n < scale || i === units.length - 1) return `${(n / 1024 ** (i + 1)).toFixed(2)}${units[i]}`;
  }
  return `${n}B`;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b).toFixed(2);

function memoryLines(server: Server): string[] {
  const usage = process.memoryUsage();
  // used_memory is the memory model (memory/server-memory.ts, docs/memory.md), what maxmemory
  // is compared with; the V8 heap lags deletes until GC. RSS stays what the process holds.
  const memory = server.memory;
  memory.refreshOverhead();
  const used = memory.usedMemory();
  const tracking = { startup: MODEL_STARTUP_BYTES, peak: memory.peak };
  const dataset = memory.datasetBytes();
  const overhead = used - dataset;
  const figures = memory.overheadFigures;
  const lua = server.scripting.memoryStats();
  const maxmemory = server.config.getInt('maxmemory');
  const total = os.totalmem();
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${usage.rss}`,
    `used_memory_rss_human:${bytesToHuman(usage.rss)}`,
    `used_memory_peak:${tracking.peak}`,
    `used_memory_peak_human:${bytesToHuman(tracking.peak)}`,
    `used_memory_peak_perc:${((used / tracking.peak) * 100).toFixed(2)}%`,
    `used_memory_overhead:${overhead}`,
    `used_memory_startup:${tracking.startup}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${(used - tracking.startup > 0 ? (dataset / (used - tracking.startup)) * 100 : 0).toFixed(2)}%`,
    `allocator_allocated:${used}`,
    `allocator_active:${used + usage.heapTotal - usage.heapUsed}`,
    `allocator_resident:${usage.rss}`,
    `total_system_memory:${total}`,
    `total_system_memory_human:${bytesToHuman(total)}`,
    `used_memory_lua:${lua.evalVm}`,
    `used_memory_vm_eval:${lua.evalVm}`,
    `used_memory_lua_human:${bytesToHuman(lua.evalVm)}`,
    `used_memory_scripts_eval:${lua.evalScripts}`,
    `number_of_cached_scripts:${lua.cachedScripts}`,
    `number_of_functions:${lua.functions}`,
    `number_of_libraries:${lua.libraries}`,
    `used_memory_vm_functions:${lua.functionsVm}`,
    `used_memory_vm_total:${lua.evalVm + lua.functionsVm}`,
    `used_memory_vm_total_human:${bytesToHuman(lua.evalVm + lua.functionsVm)}`,
    `used_memory_functions:${lua.functionsCode}`,
    `used_memory_scripts:${lua.evalScripts + lua.functionsCode}`,
    `used_memory_scripts_human:${bytesToHuman(lua.evalScripts + lua.functionsCode)}`,
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${server.config.get('maxmemory-policy')}`,
    `allocator_frag_ratio:${ratio(used + usage.heapTotal - usage.heapUsed, used)}`,
    `allocator_frag_bytes:${usage.heapTotal - usage.heapUsed}`,
    `allocator_rss_ratio:${ratio(usage.rss, used + usage.heapTotal - usage.heapUsed)}`,
    `allocator_rss_bytes:${usage.rss - (used + usage.heapTotal - usage.heapUsed)}`,
    'rss_overhead_ratio:1.00',
    'rss_overhead_bytes:0',
    `mem_fragmentation_ratio:${ratio(usage.rss, used)}`,
    `mem_fragmentation_bytes:${usage.rss - used}`,
    `mem_not_counted_for_evict:${memory.notCountedForEvict()}`,
    `mem_replication_backlog:${figures.backlog}`,
    `mem_total_replication_buffers:${figures.backlog + figures.replicas}`,
    `mem_clients_slaves:${figures.replicas}`,
    `mem_clients_normal:${figures.normal}`,
    'mem_cluster_links:0',
    'mem_aof_buffer:0',
    'mem_allocator:libc',
    'active_defrag_running:0',
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  ];
}

// --- persistence -------------------------------------------------------------------------------

/** Every INFO persistence field, in Redis's order. The persistence module fills in what it knows. */
export interface PersistenceInfo {
  loading: number;
  async_loading: number;
  current_cow_peak: number;
  current_cow_size: number;
  current_cow_size_age: number;
  current_fork_perc: string;
  current_save_keys_processed: number;
  current_save_keys_total: number;
  rdb_changes_since_last_save: number;
  rdb_bgsave_in_progress: number;
  rdb_last_save_time: number;
  rdb_last_bgsave_status: 'ok' | 'err';
  rdb_last_bgsave_time_sec: number;
  rdb_current_bgsave_time_sec: number;
  rdb_saves: number;
  rdb_last_cow_size: number;
  rdb_last_load_keys_expired: number;
  rdb_last_load_keys_loaded: number;
  aof_enabled: number;
  aof_rewrite_in_progress: number;
  aof_rewrite_scheduled: number;
  aof_last_rewrite_time_sec: number;
  aof_current_rewrite_time_sec: number;
  aof_last_bgrewrite_status: 'ok' | 'err';
  aof_rewrites: number;
  aof_rewrites_consecutive_failures: number;
  aof_last_write_status: 'ok' | 'err';
  aof_last_cow_size: number;
  module_fork_in_progress: number;
  module_fork_last_cow_size: number;
  /** Printed only while AOF is on: aof_current_size, aof_base_size, aof_pending_rewrite, ... */
  aofDetails?: Record<string, number>;
  /** Printed only while loading: loading_start_time, loading_total_bytes, ... */
  loadingDetails?: Record<string, number | string>;
}

/** The persistence fields of a node that neither saves nor loads right now; the persistence module starts from these. */
export function defaultPersistenceInfo(server: Server): PersistenceInfo {
  const aofEnabled = server.config.getBool('appendonly');
  return {
    loading: server.loading ? 1 : 0,
    async_loading: 0,
    current_cow_peak: 0,
    current_cow_size: 0,
    current_cow_size_age: 0,
    current_fork_perc: '0.00',
    current_save_keys_processed: 0,
    current_save_keys_total: 0,
    rdb_changes_since_last_save: server.dirty,
    rdb_bgsave_in_progress: 0,
    rdb_last_save_time: server.lastSaveTime,
    rdb_last_bgsave_status: server.lastBgsaveFailed ? 'err' : 'ok',
    rdb_last_bgsave_time_sec: -1,
    rdb_current_bgsave_time_sec: -1,
    rdb_saves: 0,
    rdb_last_cow_size: 0,
    rdb_last_load_keys_expired: 0,
    rdb_last_load_keys_loaded: 0,
    aof_enabled: aofEnabled ? 1 : 0,
    aof_rewrite_in_progress: 0,
    aof_rewrite_scheduled: 0,
    aof_last_rewrite_time_sec: -1,
    aof_current_rewrite_time_sec: -1,
    aof_last_bgrewrite_status: 'ok',
    aof_rewrites: 0,
    aof_rewrites_consecutive_failures: 0,
    aof_last_write_status: 'ok',
    aof_last_cow_size: 0,
    module_fork_in_progress: 0,
    module_fork_last_cow_size: 0,
    aofDetails: aofEnabled
      ? { aof_current_size: 0, aof_base_size: 0, aof_pending_rewrite: 0, aof_buffer_length: 0, aof_pending_bio_fsync: 0, aof_delayed_fsync: 0 }
      : undefined,
  };
}

export function formatPersistenceInfo(info: PersistenceInfo): string[] {
  const { aofDetails, loadingDetails, ...fields } = info;
  const lines = Object.entries(fields).map(([name, value]) => `${name}:${value}`);
  for (const [name, value] of Object.entries(aofDetails ?? {})) lines.push(`${name}:${value}`);
  for (const [name, value] of Object.entries(loadingDetails ?? {})) lines.push(`${name}:${value}`);
  return lines;
}

/** The persistence module fills in its numbers over defaultPersistenceInfo (server.persistence.persistenceInfo). */
function persistenceLines(server: Server): string[] {
  return formatPersistenceInfo(server.persistence.persistenceInfo());
}

// --- stats -------------------------------------------------------------------------------------

/** Rolling samples for the instantaneous_* fields, taken every 100 ms like Redis's cron. */
interface MetricSampler {
  samples: Array<{ at: number; commands: number; input: number; output: number }>;
  timer: NodeJS.Timeout;
}
const samplers = new WeakMap<Server, MetricSampler>();
const SAMPLE_COUNT = 16;

function sampler(server: Server): MetricSampler {
  let existing = samplers.get(server);
  if (existing) return existing;
  const take = () => ({
    at: server.clock.now(),
    commands: server.stats.commandsProcessed,
    input: server.stats.netInputBytes,
    output: server.stats.netOutputBytes,
  });
  const created: MetricSampler = {
    samples: [take()],
    timer: setInterval(() => {
      if (server.isStopping) {
        clearInterval(created.timer);
        return;
      }
      created.samples.push(take());
      if (created.samples.length > SAMPLE_COUNT + 1) created.samples.shift();
    }, 100),
  };
  created.timer.unref();
  samplers.set(server, created);
  existing = created;
  return existing;
}

/** Per-second rates over the sampling window: [ops, input bytes, output bytes]. */
function instantaneousRates(server: Server): [number, number, number] {
  const { samples } = sampler(server);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return [0, 0, 0];
  return [(last.commands - first.commands) / seconds, (last.input - first.input) / seconds, (last.output - first.output) / seconds];
}

function statsLines(server: Server): string[] {
  const stats = server.stats;
  const [ops, input, output] = instantaneousRates(server);
  return [
    `total_connections_received:${stats.connectionsReceived}`,
    `total_commands_processed:${stats.commandsProcessed}`,
    `instantaneous_ops_per_sec:${Math.round(ops)}`,
    `total_net_input_bytes:${stats.netInputBytes}`,
    `total_net_output_bytes:${stats.netOutputBytes}`,
    'total_net_repl_input_bytes:0',
    'total_net_repl_output_bytes:0',
    `instantaneous_input_kbps:${(input / 1024).toFixed(2)}`,
    `instantaneous_output_kbps:${(output / 1024).toFixed(2)}`,
    'instantaneous_input_repl_kbps:0.00',
    'instantaneous_output_repl_kbps:0.00',
    `rejected_connections:${stats.rejectedConnections}`,
    `sync_full:${stats.syncFull}`,
    `sync_partial_ok:${stats.syncPartialOk}`,
    `sync_partial_err:${stats.syncPartialErr}`,
    `expired_keys:${stats.expiredKeys}`,
    'expired_stale_perc:0.00',
    'expired_time_cap_reached_count:0',
    'expire_cycle_cpu_milliseconds:0',
    `evicted_keys:${stats.evictedKeys}`,
    'evicted_clients:0',
    'total_eviction_exceeded_time:0',
    'current_eviction_exceeded_time:0',
    `keyspace_hits:${stats.keyspaceHits}`,
    `keyspace_misses:${stats.keyspaceMisses}`,
    `pubsub_channels:${server.pubsub.channels.size}`,
    `pubsub_patterns:${server.pubsub.patterns.size}`,
    'pubsubshard_channels:0',
    'latest_fork_usec:0',
    'total_forks:0',
    'migrate_cached_sockets:0',
    'slave_expires_tracked_keys:0',
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    `tracking_total_keys:${server.tracking.totalKeys}`,
    `tracking_total_items:${server.tracking.itemCount}`,
    `tracking_total_prefixes:${server.tracking.prefixCount}`,
    'unexpected_error_replies:0',
    `total_error_replies:${totalErrorReplies(server)}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${stats.commandsProcessed}`,
    `total_writes_processed:${stats.commandsProcessed}`,
    'io_threaded_reads_processed:0',
    'io_threaded_writes_processed:0',
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
    // Redis 7.4's counters, kept here although the node reports 7.0: operators need to see them.
    `client_query_buffer_limit_disconnections:${stats.clientQueryBufferLimitDisconnections}`,
    `client_output_buffer_limit_disconnections:${stats.clientOutputBufferLimitDisconnections}`,
  ];
}

function commandsAndSubcommands(server: Server): CompiledCommand[] {
  const out: CompiledCommand[] = [];
  for (const cmd of server.commands.all()) {
    out.push(cmd);
    if (cmd.subcommands) out.push(...(Object.values(cmd.subcommands) as CompiledCommand[]));
  }
  return out;
}

/**
 * Error replies since start (or CONFIG RESETSTAT). Counted per error code in stats.errorsByCode
 * when something records them there; otherwise derived from rejected and failed calls.
 */
function totalErrorReplies(server: Server): number {
  let byCode = 0;
  for (const count of server.stats.errorsByCode.values()) byCode += count;
  if (byCode > 0) return byCode + server.stats.errorsPastPrefixCap;
  let failed = 0;
  for (const cmd of commandsAndSubcommands(server)) failed += cmd.failedCalls;
  return server.stats.rejectedCalls + failed;
}

// --- replication, cpu, modules, commandstats, errorstats, latencystats, cluster, keyspace ------

function cpuLines(): string[] {
  const usage = process.resourceUsage();
  const seconds = (micros: number) => `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  return [
    `used_cpu_sys:${seconds(usage.systemCPUTime)}`,
    `used_cpu_user:${seconds(usage.userCPUTime)}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${seconds(usage.systemCPUTime)}`,
    `used_cpu_user_main_thread:${seconds(usage.userCPUTime)}`,
  ];
}

function commandstatsLines(server: Server): string[] {
  const lines: string[] = [];
  for (const cmd of commandsAndSubcommands(server)) {
    if (cmd.calls === 0 && cmd.failedCalls === 0 && cmd.rejectedCalls === 0) continue;
    const perCall = cmd.calls === 0 ? 0 : cmd.usec / cmd.calls;
    lines.push(
      `cmdstat_${safeInfoString(cmd.name)}:calls=${cmd.calls},usec=${cmd.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${cmd.rejectedCalls},failed_calls=${cmd.failedCalls}`,
    );
  }
  return lines;
}

/** latency_percentiles_usec_<command>:p50=…,p99=…: the configured percentiles of each command's histogram, in µs. */
function latencystatsLines(server: Server): string[] {
  const percentiles = server.config
    .get('latency-tracking-info-percentiles')
    .split(' ')
    .filter(Boolean)
    .map(Number);
  const lines: string[] = [];
  for (const cmd of commandsAndSubcommands(server)) {
    const histogram = histogramOf(cmd);
    if (!histogram) continue;
    const values = percentiles.map((p) => `p${formatPercentile(p)}=${(histogram.valueAtPercentile(p) / 1000).toFixed(3)}`);
    lines.push(`latency_percentiles_usec_${safeInfoString(cmd.name)}:${values.join(',')}`);
  }
  return lines;
}

function errorstatsLines(server: Server): string[] {
  return [...server.stats.errorsByCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, count]) => `errorstat_${safeInfoString(code)}:count=${count}`);
}

/** Keeps "name:value\r\n" lines parseable: Redis replaces '#', ':', CR and LF in names with '_'. */
function safeInfoString(text: string): string {
  return text.replace(/[#:\r\n]/g, '_');
}

function keyspaceLines(server: Server): string[] {
  const lines: string[] = [];
  const now = server.clock.now();
  server.dbs.forEach((db, index) => {
    const keys = db.data.size;
    const expires = db.expires.size;
    if (keys === 0 && expires === 0) return;
    lines.push(`db${index}:keys=${keys},expires=${expires},avg_ttl=${averageTtl(db.expires, now)}`);
  });
  return lines;
}

/** Like Redis's estimate, from a bounded sample so INFO stays cheap on large keyspaces. */
function averageTtl(expires: Map<string, number>, now: number): number {
  let sum = 0;
  let counted = 0;
  for (const when of expires.values()) {
    if (counted >= 1000) break;
    if (when <= now) continue;
    sum += when - now;
    counted++;
  }
  return counted === 0 ? 0 : Math.floor(sum / counted);
}

const SECTIONS: SectionDef[] = [
  { name: 'server', title: 'Server', render: serverLines },
  { name: 'clients', title: 'Clients', render: clientsLines },
  { name: 'memory', title: 'Memory', render: memoryLines },
  { name: 'persistence', title: 'Persistence', render: persistenceLines },
  { name: 'stats', title: 'Stats', render: statsLines },
  { name: 'replication', title: 'Replication', render: (server) => server.replication.infoLines() },
  { name: 'cpu', title: 'CPU', render: cpuLines },
  { name: 'module_list', title: 'Modules', render: () => [] },
  { name: 'commandstats', title: 'Commandstats', render: commandstatsLines },
  { name: 'errorstats', title: 'Errorstats', render: errorstatsLines },
  { name: 'latencystats', title: 'Latencystats', render: latencystatsLines },
  { name: 'cluster', title: 'Cluster', render: () => ['cluster_enabled:0'] },
  { name: 'keyspace', title: 'Keyspace', render: keyspaceLines },
];

/** Names of the sections in Redis's order, for tests and INFO parsers. */
export const INFO_SECTION_NAMES = SECTIONS.map((section) => section.name);

/**
 * The INFO text for the requested arguments (section names, 'default', 'all', 'everything'),
 * case-insensitive as in Redis; no arguments means the default sections.
 */
export function renderInfo(server: Server, requested: readonly string[]): string {
  let all = false;
  const wanted = new Set<string>();
  if (requested.length === 0) for (const name of DEFAULT_SECTIONS) wanted.add(name);
  for (const raw of requested) {
    const name = raw.toLowerCase();
    if (name === 'default') for (const section of DEFAULT_SECTIONS) wanted.add(section);
    else if (name === 'all' || name === 'everything') all = true;
    else if (name === 'modules') wanted.add('module_list');
    else wanted.add(name);
  }
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!all && !wanted.has(section.name)) continue;
    const lines = section.render(server);
    parts.push(`# ${section.title}\r\n` + lines.map((line) => line + '\r\n').join(''));
  }
  return parts.join('\r\n');
}

/** Parses INFO text into section title -> field -> value, for tests and rctl's own status views. */
export function parseInfo(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      current = new Map();
      sections.set(line.slice(2), current);
    } else if (line !== '' && current) {
      const colon = line.indexOf(':');
      if (colon > 0) current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return sections;
}
