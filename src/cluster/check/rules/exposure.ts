// A node with protected-mode no, no password and a listening address beyond loopback accepts
// any client that can reach it: reads, writes, CONFIG SET, REPLICAOF, SHUTDOWN. (With
// protected-mode yes and no password, Redis refuses non-loopback clients itself.)

import { isLoopbackHost } from '../../../topology/model';
import { configValue, configYes, liveReadings, secretValue } from '../accessors';
import { configSetFix, rctlUpFix } from '../fixes';
import type { CheckContext, Finding, NodeReading } from '../model';

/**
 * The addresses of a `bind` value that are not loopback. Redis 7 writes optional addresses with
 * a leading "-" (its default is "* -::*"); "*" and "::*" mean every interface, and an empty
 * value listens on the defaults, every interface included.
 */
export function addressesBeyondLoopback(bind: string): string[] {
  const addresses = bind.trim().split(/\s+/).filter((a) => a !== '').map((a) => a.replace(/^-/, ''));
  if (addresses.length === 0) return ['*'];
  return addresses.filter((address) => !isLoopbackHost(address));
}

/** The exposure of one node, from its CONFIG GET values; null when it is not exposed or unknown. */
export function exposedAddresses(reading: NodeReading): string[] | null {
  const protectedMode = configYes(reading, 'protected-mode');
  const bind = configValue(reading, 'bind');
  const requirepass = secretValue(reading, 'requirepass');
  if (protectedMode !== false || bind === null || requirepass !== '') return null;
  const beyond = addressesBeyondLoopback(bind);
  return beyond.length > 0 ? beyond : null;
}

export function exposureRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const reading of liveReadings(context)) {
    const beyond = exposedAddresses(reading);
    if (!beyond) continue;
    findings.push({
      severity: 'error',
      node: reading.node.name,
      code: 'UNPROTECTED_NODE',
      reason: `protected-mode is no, there is no password, and it listens on ${beyond.join(' ')}: anyone who reaches the port can read, write and reconfigure it`,
      // With a password in the file, `rctl up` sets requirepass everywhere; else protected mode
      // at least limits it to loopback clients.
      fix: context.topology.password ? rctlUpFix(context.topology) : configSetFix(context.topology, reading, 'protected-mode', 'yes'),
    });
  }
  return findings;
}
