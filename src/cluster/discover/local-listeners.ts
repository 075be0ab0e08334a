// The loopback addresses listening on a port of this machine, from /proc/net/tcp (Linux).
//
// Why: Redis 7 replicas connect to their master from the address the kernel picks (unless
// bind-source-addr is set), and the master lists a replica by that source address. For nodes on
// distinct loopback addresses (127.0.0.17, 127.0.0.27, ...) every replica is then listed as
// 127.0.0.1:PORT. The nodes listening on that port on this machine are the only candidates, and
// the walk keeps those that prove to follow the master; nothing is scanned.

import { readFileSync } from 'node:fs';

/** LISTEN sockets on `port` bound to 127.0.0.0/8 (or 0.0.0.0, as 127.0.0.1); [] off Linux. */
export function loopbackListeners(port: number, procFile = '/proc/net/tcp'): string[] {
  let text: string;
  try {
    text = readFileSync(procFile, 'latin1');
  } catch {
    return [];
  }
  const hosts = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st ...; 0A is LISTEN.
    if (fields.length < 4 || fields[3] !== '0A') continue;
    const [hexHost, hexPort] = fields[1].split(':');
    if (parseInt(hexPort, 16) !== port || hexHost.length !== 8) continue;
    // Little-endian on the machines Linux reports it from: 3A00007F is 127.0.0.58.
    const octets = [6, 4, 2, 0].map((at) => parseInt(hexHost.slice(at, at + 2), 16));
    const host = octets.every((o) => o === 0) ? '127.0.0.1' : octets.join('.');
    if (octets[0] === 127 || host === '127.0.0.1') hosts.add(host);
  }
  return [...hosts];
}
