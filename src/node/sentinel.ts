// What rctl asks a Sentinel, over the same authenticated session as a node (AUTH with the
// sentinels' own requirepass). Replies are field/value lists; parsing them lives here once.

import { NodeFailureError } from '../errors';
import type { NodeSession } from './node-session';
import { ReplyError, type RespValue } from './resp';

/** SENTINEL MASTER / REPLICAS / SENTINELS entries: a flat field, value, field, value… list. */
export type SentinelFields = Record<string, string>;

export interface SentinelAddress {
  host: string;
  port: number;
}

export interface QuorumCheck {
  ok: boolean;
  /** Sentinel's own words: "OK 3 usable Sentinels…" or "NOQUORUM 1 usable Sentinels…". */
  message: string;
}

// Sentinel 5.0 to 7.2: "ERR No such master with that name".
const NO_SUCH_MASTER = /no such master/i;

export function fieldsOf(reply: RespValue): SentinelFields {
  const fields: SentinelFields = {};
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

export function flagsOf(fields: SentinelFields): string[] {
  return (fields.flags ?? '').split(',').filter((flag) => flag !== '');
}

export function numberField(fields: SentinelFields, name: string): number | null {
  const value = Number(fields[name]);
  return fields[name] !== undefined && Number.isFinite(value) ? value : null;
}

function unexpected(session: NodeSession, what: string, reply: RespValue): NodeFailureError {
  return new NodeFailureError('SENTINEL_REPLY', `${session.target.name} (${session.target.address}): unexpected reply to ${what}: ${JSON.stringify(reply).slice(0, 80)}`, 'check that the address is a Redis Sentinel');
}

/** The master address the sentinel names, or null when it does not monitor `masterName`. */
export async function masterAddressByName(session: NodeSession, masterName: string): Promise<SentinelAddress | null> {
  const reply = await session.call(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]);
  if (reply === null) return null;
  if (reply instanceof ReplyError) throw session.replyFailure(reply, 'SENTINEL GET-MASTER-ADDR-BY-NAME');
  if (!Array.isArray(reply) || reply.length !== 2) throw unexpected(session, 'SENTINEL GET-MASTER-ADDR-BY-NAME', reply);
  return { host: String(reply[0]), port: Number(reply[1]) };
}

/** SENTINEL MASTER, or null when the sentinel does not monitor `masterName`. */
export async function monitoredMaster(session: NodeSession, masterName: string): Promise<SentinelFields | null> {
  const reply = await session.call(['SENTINEL', 'MASTER', masterName]);
  if (reply instanceof ReplyError) {
    if (NO_SUCH_MASTER.test(reply.text)) return null;
    throw session.replyFailure(reply, 'SENTINEL MASTER');
  }
  if (!Array.isArray(reply)) throw unexpected(session, 'SENTINEL MASTER', reply);
  return fieldsOf(reply);
}

/** SENTINEL REPLICAS (SLAVES before Redis 5 named it so; both exist from 5.0 on). */
export async function knownReplicas(session: NodeSession, masterName: string): Promise<SentinelFields[]> {
  const reply = await session.expect(['SENTINEL', 'REPLICAS', masterName], 'SENTINEL REPLICAS');
  if (!Array.isArray(reply)) throw unexpected(session, 'SENTINEL REPLICAS', reply);
  return reply.map(fieldsOf);
}

export async function knownSentinels(session: NodeSession, masterName: string): Promise<SentinelFields[]> {
  const reply = await session.expect(['SENTINEL', 'SENTINELS', masterName], 'SENTINEL SENTINELS');
  if (!Array.isArray(reply)) throw unexpected(session, 'SENTINEL SENTINELS', reply);
  return reply.map(fieldsOf);
}

export async function checkQuorum(session: NodeSession, masterName: string): Promise<QuorumCheck> {
  const reply = await session.call(['SENTINEL', 'CKQUORUM', masterName]);
  if (reply instanceof ReplyError) return { ok: false, message: reply.text };
  return { ok: true, message: String(reply) };
}

/** SENTINEL FAILOVER's answer: started, or refused in Sentinel's words (-INPROG, -NOGOODSLAVE). */
export type FailoverRequest = { started: true } | { started: false; refusal: string };

/** Asks the sentinel to fail over now, without the agreement of the others (a forced failover). */
export async function requestFailover(session: NodeSession, masterName: string): Promise<FailoverRequest> {
  const reply = await session.call(['SENTINEL', 'FAILOVER', masterName]);
  if (reply instanceof ReplyError) return { started: false, refusal: reply.text };
  return { started: true };
}
