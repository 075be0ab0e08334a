// The vocabulary of `rctl check`: what was read from each node, and what is reported about it.
// Passwords read from nodes (requirepass, masterauth) are kept as Secrets, so a finding, a JSON
// report or a debug dump can never carry one by accident.

import type { RctlError } from '../../errors';
import type { SentinelNode, Topology, TopologyNode } from '../../topology/model';
import type { Secret } from '../../topology/secret';
import type { InfoFields, ReplicationFacts } from '../../node/info';
import type { QuorumCheck, SentinelAddress, SentinelFields } from '../../node/sentinel';

/** info: worth knowing, not a problem: it neither makes a report unclean nor changes the exit code. */
export type Severity = 'error' | 'warn' | 'info';

/** One entry of `rctl check --json`. The key set and order are a stable interface. */
export interface Finding {
  severity: Severity;
  /** The node's name in the topology; a sentinel's name (sentinel-1, ...), or `sentinels` for the set of them. */
  node: string;
  /** Stable identifier for scripts, e.g. MASTER_NO_PERSISTENCE. */
  code: string;
  /** Why it matters, in one sentence. */
  reason: string;
  /** The exact command that fixes it; passwords appear as <password>. */
  fix: string;
}

export interface WriteRate {
  /** The master whose replication offset was sampled. */
  node: string;
  bytesPerSecond: number;
  sampleMs: number;
}

/** `rctl check --json`. */
export interface CheckReport {
  topology: string;
  /** No finding (notices do not count). */
  clean: boolean;
  /** Errors and warnings. */
  findings: Finding[];
  /** Worth knowing, not a problem (severity info): a version past its security support. */
  notices: Finding[];
  writeRate: WriteRate | null;
}

/** Parameters read with CONFIG GET; null when the node does not know one (older versions). */
export const CONFIG_PARAMETERS = [
  'save',
  'appendonly',
  'replica-read-only',
  'repl-backlog-size',
  'replica-priority',
  'min-replicas-to-write',
  'min-replicas-max-lag',
  'protected-mode',
  'bind',
  'masteruser',
] as const;
export type ConfigParameter = (typeof CONFIG_PARAMETERS)[number];

export const SECRET_PARAMETERS = ['requirepass', 'masterauth'] as const;
export type SecretParameter = (typeof SECRET_PARAMETERS)[number];

export interface NodeConfig {
  values: ReadonlyMap<ConfigParameter, string | null>;
  secrets: ReadonlyMap<SecretParameter, Secret | null>;
}

export interface NodeReading {
  node: TopologyNode;
  info: InfoFields | null;
  facts: ReplicationFacts | null;
  /** null when the node could not be read, or CONFIG GET was refused (see configError). */
  config: NodeConfig | null;
  /** Why the node could not be read at all. */
  error: RctlError | null;
  /** Why CONFIG GET failed on an otherwise readable node (renamed command, ACL...). */
  configError: string | null;
}

/** What one sentinel said about the topology's master name. */
export interface SentinelReading {
  sentinel: SentinelNode;
  /** Why it could not be asked at all (unreachable, wrong password, not a Sentinel). */
  error: RctlError | null;
  /** GET-MASTER-ADDR-BY-NAME; null when it does not monitor the master name. */
  names: SentinelAddress | null;
  /** SENTINEL MASTER: its view of the master (flags) and its settings; null when it does not monitor the name. */
  master: SentinelFields | null;
  /** SENTINEL REPLICAS: the replicas it discovered. */
  replicas: SentinelFields[];
  /** SENTINEL SENTINELS: the other sentinels it discovered. */
  peers: SentinelFields[];
  /** SENTINEL CKQUORUM. */
  quorum: QuorumCheck | null;
}

/** Everything a rule looks at. */
export interface CheckContext {
  /** The topology the nodes are judged against: the master is the one a quorum of sentinels names, when they do. */
  topology: Topology;
  readings: NodeReading[];
  /** Measured write rates, by node name (observed masters only). */
  writeRates: ReadonlyMap<string, WriteRate>;
  /** Present when Sentinels manage the set: every sentinel of the file, read. */
  sentinels?: SentinelReading[];
  /** The master rctl had (file or roles record) when a quorum of sentinels names another node. */
  masterBeforeSentinels?: string;
}

export type Rule = (context: CheckContext) => Finding[];
