// Reads one node for discovery: its role, whom it follows, the replicas it lists, its
// replica-priority and version. Transport failures make it "unreachable" (the walk goes on
// without it); a refused password is not a property of one node and ends the discovery.

import { NodeFailureError } from '../../errors';
import type { ErrorCode } from '../../output/error-codes';
import { intField, replicationFacts, type InfoFields } from '../../node/info';
import { NodeSession } from '../../node/node-session';
import { formatAddress, type TlsFiles } from '../../topology/model';
import type { Secret } from '../../topology/secret';

export interface Address {
  host: string;
  port: number;
}

/** What a master's INFO replication says of one replica (`slave0:ip=…,port=…,state=online,…`). */
export interface ListedReplica extends Address {
  state: string | null;
}

export interface ReachableProbe {
  reachable: true;
  role: 'master' | 'replica' | null;
  /** A replica's master_host/master_port. */
  follows: Address | null;
  linkStatus: 'up' | 'down' | null;
  replicas: ListedReplica[];
  /** replica-priority; null when neither CONFIG GET nor INFO gives it. */
  priority: number | null;
  version: string | null;
  bundled: boolean;
  /** The node needed no password (AUTH was not sent, or it said it has none). */
  passwordless: boolean;
}

export interface UnreachableProbe {
  reachable: false;
  /** Why, in one line (connection refused, timed out, …). */
  error: string;
  /** The error code it would fail with (NODE_REFUSED, NODE_TIMEOUT, …). */
  code: ErrorCode;
}

export type Probe = ReachableProbe | UnreachableProbe;

export interface ProbeOptions {
  password: Secret | null;
  passwordSource: string | null;
  timeoutMs: number;
  tls?: TlsFiles;
}

/** Failures that belong to the node being away or foreign, not to rctl's credentials. */
const UNREACHABLE_CODES = new Set(['NODE_REFUSED', 'NODE_UNREACHABLE', 'NODE_TIMEOUT', 'NODE_CLOSED', 'NOT_REDIS']);

export function isUnreachable(error: unknown): error is NodeFailureError {
  return error instanceof NodeFailureError && UNREACHABLE_CODES.has(error.code);
}

export async function probeNode(address: Address, options: ProbeOptions): Promise<Probe> {
  const target = { name: 'node', host: address.host, port: address.port, address: formatAddress(address.host, address.port), ...(options.tls ? { tls: options.tls } : {}) };
  let session: NodeSession;
  try {
    session = await NodeSession.open(target, { password: options.password, passwordSource: options.passwordSource, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (isUnreachable(error)) return { reachable: false, error: error.message.replace(`${target.name} (${target.address}): `, ''), code: error.code };
    throw error;
  }
  try {
    const fields = await session.info();
    const facts = replicationFacts(fields);
    return {
      reachable: true,
      role: facts.role,
      follows: facts.role === 'replica' && facts.masterHost !== null && facts.masterPort !== null ? { host: facts.masterHost, port: facts.masterPort } : null,
      linkStatus: facts.linkStatus,
      replicas: listedReplicas(fields),
      priority: await priorityOf(session, fields),
      version: facts.version ?? null,
      bundled: facts.bundled ?? false,
      passwordless: session.passwordless,
    };
  } catch (error) {
    if (isUnreachable(error)) return { reachable: false, error: error.message.replace(`${target.name} (${target.address}): `, ''), code: error.code };
    throw error;
  } finally {
    session.close();
  }
}

export function listedReplicas(fields: InfoFields): ListedReplica[] {
  const replicas: ListedReplica[] = [];
  for (const [name, value] of fields) {
    if (!/^slave\d+$/.test(name)) continue;
    const parts = new Map(value.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
    const host = parts.get('ip');
    const port = Number(parts.get('port'));
    // A replica that has not said its listening port yet shows port=0: there is nothing to connect to.
    if (!host || host === '?' || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    replicas.push({ host, port, state: parts.get('state') ?? null });
  }
  return replicas;
}

/**
 * CONFIG GET replica-priority, else INFO's own field: CONFIG may be renamed or denied by an ACL,
 * and INFO replication shows slave_priority (replica_priority in newer versions) on replicas.
 */
async function priorityOf(session: NodeSession, fields: InfoFields): Promise<number | null> {
  try {
    const value = await session.configGet('replica-priority');
    if (value !== null && /^\d+$/.test(value)) return Number(value);
  } catch (error) {
    if (!(error instanceof NodeFailureError) || error.code !== 'NODE_COMMAND_FAILED') throw error;
  }
  return intField(fields, 'replica_priority') ?? intField(fields, 'slave_priority');
}
