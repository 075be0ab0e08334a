// Small typed views over a NodeReading, shared by the rules.

import { sameAddress } from '../../topology/model';
import type { CheckContext, ConfigParameter, NodeReading, SecretParameter } from './model';

/** A reading whose INFO succeeded: facts and info are present. */
export type LiveReading = NodeReading & { facts: NonNullable<NodeReading['facts']>; info: NonNullable<NodeReading['info']> };

export function liveReadings(context: CheckContext): LiveReading[] {
  return context.readings.filter((r): r is LiveReading => r.facts !== null && r.info !== null);
}

export function configValue(reading: NodeReading, name: ConfigParameter): string | null {
  return reading.config?.values.get(name) ?? null;
}

/** An integer parameter, or null when unknown or not a number. */
export function configInt(reading: NodeReading, name: ConfigParameter): number | null {
  const value = configValue(reading, name);
  if (value === null || !/^-?\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** yes/no parameters: true, false, or null when unknown. */
export function configYes(reading: NodeReading, name: ConfigParameter): boolean | null {
  const value = configValue(reading, name)?.toLowerCase();
  return value === 'yes' ? true : value === 'no' ? false : null;
}

/** The secret's value for comparison only (never for output); null when not read. */
export function secretValue(reading: NodeReading, name: SecretParameter): string | null {
  const secret = reading.config?.secrets.get(name);
  return secret ? secret.reveal() : null;
}

/** The reading of the topology node at host:port, if any. */
export function readingAt(context: CheckContext, host: string, port: number): NodeReading | undefined {
  return context.readings.find((r) => sameAddress(r.node.host, r.node.port, host, port));
}

/** The node a replica follows: its topology reading, or null when it is not in the file. */
export function followedReading(context: CheckContext, reading: LiveReading): NodeReading | null {
  const { masterHost, masterPort } = reading.facts;
  if (reading.facts.role !== 'replica' || masterHost === null || masterPort === null) return null;
  return readingAt(context, masterHost, masterPort) ?? null;
}

export function isDeclaredMaster(context: CheckContext, reading: NodeReading): boolean {
  return reading.node.name === context.topology.master.name;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A memory value CONFIG SET accepts: whole megabytes, rounded up (Redis takes no decimals). */
export function configMegabytes(bytes: number): string {
  return `${Math.max(1, Math.ceil(bytes / (1024 * 1024)))}mb`;
}
