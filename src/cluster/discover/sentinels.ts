// Discovery through Sentinel: one sentinel names the master it monitors under --master-name, the
// replicas and the other sentinels it knows, and its settings, which the file's sentinel section
// records so that `rctl check` finds the file and the sentinels agreeing.

import { BadInputError, NodeFailureError } from '../../errors';
import { NodeSession } from '../../node/node-session';
import { knownReplicas, knownSentinels, monitoredMaster, numberField, flagsOf } from '../../node/sentinel';
import { formatAddress, sameAddress } from '../../topology/model';
import type { Secret } from '../../topology/secret';
import { compareAddresses } from './naming';
import { isUnreachable, type Address } from './probe';

export interface SentinelProbe extends Address {
  address: string;
  reachable: boolean;
  error: string | null;
}

export interface SentinelView {
  masterName: string;
  master: Address;
  quorum: number;
  downAfterMs: number | null;
  failoverTimeoutMs: number | null;
  parallelSyncs: number | null;
  /** The replicas the sentinel knows, with the flags it gives them (s_down, disconnected…). */
  replicas: Array<Address & { flags: string[] }>;
  /** The sentinel asked and the others it knows, each probed, in address order. */
  sentinels: SentinelProbe[];
}

export interface SentinelAccess {
  password: Secret | null;
  passwordSource: string | null;
  timeoutMs: number;
}

function target(address: Address) {
  const shown = formatAddress(address.host, address.port);
  return { name: 'sentinel', host: address.host, port: address.port, address: shown };
}

export async function readSentinelView(sentinel: Address, masterName: string, access: SentinelAccess): Promise<SentinelView> {
  const session = await NodeSession.open(target(sentinel), { password: access.password, passwordSource: access.passwordSource, timeoutMs: access.timeoutMs });
  try {
    let master;
    try {
      master = await monitoredMaster(session, masterName);
    } catch (error) {
      if (error instanceof NodeFailureError && error.code === 'NODE_COMMAND_FAILED') {
        throw new BadInputError('DISCOVER_NOT_A_SENTINEL', `${formatAddress(sentinel.host, sentinel.port)} answers SENTINEL MASTER with an error: is it a sentinel?`, 'give a sentinel\'s address to --sentinel (port 26379 by default)');
      }
      throw error;
    }
    if (!master) throw new BadInputError('DISCOVER_NOT_A_SENTINEL', `sentinel ${formatAddress(sentinel.host, sentinel.port)} monitors no master named ${masterName}`, 'check --master-name (SENTINEL MASTERS lists the names)');
    const replicas = (await knownReplicas(session, masterName)).map((fields) => ({ host: fields.ip, port: Number(fields.port), flags: flagsOf(fields) }));
    const others = (await knownSentinels(session, masterName)).map((fields) => ({ host: fields.ip, port: Number(fields.port) }));
    const all = [sentinel, ...others.filter((o) => !sameAddress(o.host, o.port, sentinel.host, sentinel.port))];
    const sentinels = await Promise.all(all.map((address, i) => (i === 0 ? { ...address, address: formatAddress(address.host, address.port), reachable: true, error: null } : probeSentinel(address, access))));
    return {
      masterName,
      master: { host: master.ip, port: Number(master.port) },
      quorum: numberField(master, 'quorum') ?? 1,
      downAfterMs: numberField(master, 'down-after-milliseconds'),
      failoverTimeoutMs: numberField(master, 'failover-timeout'),
      parallelSyncs: numberField(master, 'parallel-syncs'),
      replicas: replicas.filter((r) => r.host && Number.isInteger(r.port) && r.port > 0),
      // Address order, not the order asked: the file comes out the same from any sentinel.
      sentinels: sentinels.sort(compareAddresses),
    };
  } finally {
    session.close();
  }
}

/** A sentinel the first one knows: does it answer (PING, AUTH with the sentinels' password)? */
async function probeSentinel(address: Address, access: SentinelAccess): Promise<SentinelProbe> {
  const shown = formatAddress(address.host, address.port);
  try {
    const session = await NodeSession.open(target(address), { password: access.password, passwordSource: access.passwordSource, timeoutMs: access.timeoutMs });
    session.close();
    return { ...address, address: shown, reachable: true, error: null };
  } catch (error) {
    if (isUnreachable(error)) return { ...address, address: shown, reachable: false, error: error.message.replace(`sentinel (${shown}): `, '') };
    throw error;
  }
}
