// The validated, resolved topology every command works from.

import type { LaunchMode, Role, SentinelLaunchMode } from './schema';
import type { Secret } from './secret';

export interface TopologyNode {
  name: string;
  host: string;
  port: number;
  role: Role;
  /** replica-priority to apply, when the file sets one. */
  priority?: number;
  /** The node's own launch mode, or the file's. */
  launch: LaunchMode;
  /** launch: redis-server only: the executable (an absolute path, or a command looked up on PATH); default redis-server. */
  redisServer?: string;
  /** host:port as written ([::1]:port for IPv6). */
  address: string;
  /** Position in the file's nodes list. */
  index: number;
  /** Present when rctl and the nodes speak TLS (the file's tls section). */
  tls?: TlsFiles;
}

/** The tls section: absolute paths (resolved against the topology file), never file contents. */
export interface TlsFiles {
  /** CA certificate that signs the nodes' certificates (tls-ca-cert-file). */
  ca: string;
  /** Certificate rctl presents and launched nodes use (tls-cert-file). */
  cert: string;
  /** Private key of cert (tls-key-file). */
  key: string;
}

export interface Topology {
  name: string;
  /** Absolute path of the file. */
  file: string;
  /** The path as the operator gave it, for messages. */
  displayFile: string;
  nodes: TopologyNode[];
  master: TopologyNode;
  replicas: TopologyNode[];
  /** null: the nodes run without a password. */
  password: Secret | null;
  /** Where the password came from, for messages (never the password itself). */
  passwordSource: string | null;
  /** Present when the file has a tls section: every node is then reached over TLS. */
  tls?: TlsFiles;
  /** Present when Sentinels manage the set: they, not the file's roles, decide who the master is. */
  sentinel?: SentinelSet;
  /** Present when RCTL_HOME's roles overlay (roles.json, written by a failover) moved the master. */
  roles?: AppliedRoles;
}

/** The file's sentinel section, resolved. */
export interface SentinelSet {
  /** The name the sentinels monitor the master under. */
  masterName: string;
  quorum: number;
  launch: SentinelLaunchMode;
  /** launch: redis-sentinel only: the executable (an absolute path, or a command looked up on PATH); default redis-sentinel. */
  redisSentinel?: string;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  parallelSyncs?: number;
  /** The sentinels' own requirepass; null when they run without one. */
  password: Secret | null;
  /** Where that password came from, for messages (never the password itself). */
  passwordSource: string | null;
  nodes: SentinelNode[];
}

export interface SentinelNode {
  /** sentinel-1, sentinel-2, … in file order: names for messages, tables and state directories. */
  name: string;
  host: string;
  port: number;
  /** host:port as written ([::1]:port for IPv6). */
  address: string;
  index: number;
}

/** The roles overlay applied to a topology (src/topology/overlay.ts). */
export interface AppliedRoles {
  master: string;
  /** The master the file declares. */
  fileMaster: string;
  changedAt: string;
  /** Path of roles.json. */
  file: string;
  /** Nodes left behind by a forced failover, to rejoin as replicas. */
  rejoin: string[];
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Canonical form for comparing addresses: case-insensitive, localhost as 127.0.0.1, IPv6 without brackets. */
export function normalizeHost(host: string): string {
  const lowered = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return lowered === 'localhost' ? '127.0.0.1' : lowered;
}

export function sameAddress(aHost: string, aPort: number, bHost: string, bPort: number): boolean {
  return aPort === bPort && normalizeHost(aHost) === normalizeHost(bHost);
}

export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host);
  if (h === '::1') return true;
  const match = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}
