// Names for discovered nodes. A name must depend only on the node's address and on which other
// addresses share its host, so the same set discovered from any of its nodes, or again later,
// gets the same names; the operator may rename them in the file afterwards.

import { normalizeHost } from '../../topology/model';

export interface NamedAddress {
  host: string;
  port: number;
}

const MAX_NAME = 64;

/** `redis-` + the host with every character a name cannot hold made a dash; IP addresses start with a digit or colon, which reads as an address rather than a name. */
function hostPart(host: string): string {
  const h = normalizeHost(host);
  const isIp = /^\d+(\.\d+){3}$/.test(h) || h.includes(':');
  const cleaned = h.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  const base = isIp ? `redis-${cleaned.replace(/\./g, '-')}` : cleaned;
  return base === '' ? 'redis' : base;
}

/** Orders addresses the same way whatever order the walk met them in: hosts by their numeric parts, then ports. */
export function compareAddresses(a: NamedAddress, b: NamedAddress): number {
  const ha = normalizeHost(a.host).split(/[.:]/);
  const hb = normalizeHost(b.host).split(/[.:]/);
  for (let i = 0; i < Math.max(ha.length, hb.length); i++) {
    const x = ha[i] ?? '';
    const y = hb[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return a.port - b.port;
}

/**
 * One name per address, in the order given: the host alone when it is the only node on that
 * host, host and port otherwise. A clash left after that (two hosts that clean up alike) gets
 * -2, -3… in address order.
 */
export function nameNodes(addresses: readonly NamedAddress[]): string[] {
  const perHost = new Map<string, number>();
  for (const a of addresses) perHost.set(normalizeHost(a.host), (perHost.get(normalizeHost(a.host)) ?? 0) + 1);
  const sorted = addresses.map((a, i) => ({ a, i })).sort((x, y) => compareAddresses(x.a, y.a));
  const names: string[] = new Array<string>(addresses.length);
  const taken = new Set<string>();
  for (const { a, i } of sorted) {
    const shared = (perHost.get(normalizeHost(a.host)) ?? 0) > 1;
    const base = fit(shared ? `${hostPart(a.host)}-${a.port}` : hostPart(a.host), '');
    let name = base;
    for (let n = 2; taken.has(name); n++) name = fit(base, `-${n}`);
    taken.add(name);
    names[i] = name;
  }
  return names;
}

function fit(base: string, suffix: string): string {
  return base.slice(0, MAX_NAME - suffix.length).replace(/[^A-Za-z0-9]+$/, '') + suffix;
}
