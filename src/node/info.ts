// Parses INFO text into the facts rctl reasons about.

export type InfoFields = Map<string, string>;

export function parseInfo(text: string): InfoFields {
  const fields: InfoFields = new Map();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Sum of keys over every database (`db0:keys=3,expires=0,avg_ttl=0`). */
export function totalKeys(fields: InfoFields): number {
  let total = 0;
  for (const [name, value] of fields) {
    if (!/^db\d+$/.test(name)) continue;
    const match = /(?:^|,)keys=(\d+)/.exec(value);
    if (match) total += Number(match[1]);
  }
  return total;
}

export function intField(fields: InfoFields, name: string): number | null {
  const value = fields.get(name);
  if (value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * A full sync's RDB transfer as the replica reports it. 6.0+ (and the bundled node) give read and
 * total bytes, total -1 on a diskless sync; 5.0 gives only the bytes left.
 */
export interface SyncTransfer {
  readBytes: number | null;
  totalBytes: number | null;
  leftBytes: number | null;
}

function nonNegative(value: number | null): number | null {
  return value !== null && value >= 0 ? value : null;
}

function positive(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}

export function syncTransfer(fields: InfoFields): SyncTransfer | null {
  if (fields.get('master_sync_in_progress') !== '1') return null;
  return {
    readBytes: nonNegative(intField(fields, 'master_sync_read_bytes')),
    // An RDB is never empty: 0 is what 6.x/7.x print for a diskless (EOF-marked) transfer, whose size is unknown.
    totalBytes: positive(intField(fields, 'master_sync_total_bytes')),
    leftBytes: nonNegative(intField(fields, 'master_sync_left_bytes')),
  };
}

export interface ReplicationFacts {
  role: 'master' | 'replica' | null;
  masterHost: string | null;
  masterPort: number | null;
  linkStatus: 'up' | 'down' | null;
  lastIoSecondsAgo: number | null;
  syncInProgress: boolean;
  /** The RDB transfer while syncInProgress. Optional only so hand-built facts stay valid. */
  syncTransfer?: SyncTransfer | null;
  /** The node's replication offset: master_repl_offset on a master, slave_repl_offset on a replica. */
  offset: number | null;
  replid: string | null;
  replid2: string | null;
  /** Where replid2's history ended (offset + 1 at promotion); -1 or null when there is none. */
  secondReplOffset: number | null;
  connectedReplicas: number;
  keys: number;
  loading: boolean;
  configFile: string | null;
  /**
   * INFO server run_id: a new random id each time the process starts, so a change means the node
   * restarted. Optional only so hand-built facts stay valid; replicationFacts always sets it.
   */
  runId?: string | null;
  /** INFO server redis_version (the bundled node: the version it emulates). Optional for hand-built facts. */
  version?: string | null;
  /** The bundled node (INFO server rctl_node_version). */
  bundled?: boolean;
}

export function replicationFacts(fields: InfoFields): ReplicationFacts {
  const rawRole = fields.get('role');
  const role = rawRole === 'master' ? 'master' : rawRole === 'slave' || rawRole === 'replica' ? 'replica' : null;
  const link = fields.get('master_link_status');
  const replicaOffset = intField(fields, 'slave_repl_offset');
  return {
    role,
    masterHost: role === 'replica' ? (fields.get('master_host') ?? null) : null,
    masterPort: role === 'replica' ? intField(fields, 'master_port') : null,
    linkStatus: role === 'replica' ? (link === 'up' ? 'up' : 'down') : null,
    lastIoSecondsAgo: role === 'replica' ? intField(fields, 'master_last_io_seconds_ago') : null,
    syncInProgress: fields.get('master_sync_in_progress') === '1',
    syncTransfer: syncTransfer(fields),
    offset: role === 'replica' && replicaOffset !== null ? replicaOffset : intField(fields, 'master_repl_offset'),
    replid: fields.get('master_replid') ?? null,
    replid2: fields.get('master_replid2') ?? null,
    secondReplOffset: intField(fields, 'second_repl_offset'),
    connectedReplicas: intField(fields, 'connected_slaves') ?? 0,
    keys: totalKeys(fields),
    loading: fields.get('loading') === '1',
    configFile: fields.has('config_file') ? fields.get('config_file') || null : null,
    runId: fields.get('run_id') || null,
    version: fields.get('redis_version') ?? null,
    bundled: fields.has('rctl_node_version'),
  };
}
