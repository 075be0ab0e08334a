// The walk: from the seed addresses, read each node and follow every replication link it names,
// up (a replica's master) and down (a master's, or a chained replica's, listed replicas), level by
// level, until no new address turns up or the cap is reached. Then decide what belongs to the set:
// what the seed's chain of masters leads to. A node whose own chain leads to another master is
// reported, not mixed in.

import { formatAddress, isLoopbackHost, normalizeHost, sameAddress } from '../../topology/model';
import { compareAddresses } from './naming';
import type { Address, Probe, ReachableProbe } from './probe';

export const DEFAULT_MAX_NODES = 64;

export interface WalkedNode extends Address {
  address: string;
  probe: Probe;
  /** Addresses of the nodes whose INFO named this one (for a seed, what named it: a sentinel, or nothing). */
  namedBy: string[];
  /** A seed something outside the walk vouches for (the sentinel that lists it): it belongs even when it does not answer. */
  vouched: boolean;
  /** A loopback listener read because this node listed an address that does not answer as its replica; it counts only if it follows that node. */
  guessFor: Address | null;
}

export interface Walk {
  nodes: WalkedNode[];
  /** The cap stopped the walk before every named address was read. */
  capped: boolean;
}

const NOT_READ: Probe = { reachable: false, error: 'not read', code: 'NODE_UNREACHABLE' };

function key(address: Address): string {
  return `${normalizeHost(address.host)}|${address.port}`;
}

/** `vouchedBy`: what named the seeds (a sentinel), or null when the operator gave the one seed. */
export interface WalkOptions {
  maxNodes?: number;
  /** What named the seeds (a sentinel), or null when the operator gave the one seed. */
  vouchedBy?: string | null;
  /** Loopback hosts listening on a port of this machine (local-listeners.ts); none by default. */
  loopbackListeners?: (port: number) => string[];
}

export async function walkSet(seeds: readonly Address[], probe: (address: Address) => Promise<Probe>, options: WalkOptions = {}): Promise<Walk> {
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const vouchedBy = options.vouchedBy ?? null;
  const found = new Map<string, WalkedNode>();
  let capped = false;
  const add = (address: Address, fields: Pick<WalkedNode, 'namedBy' | 'vouched' | 'guessFor'>): boolean => {
    if (found.size >= maxNodes) {
      capped = true;
      return false;
    }
    found.set(key(address), { host: address.host, port: address.port, address: formatAddress(address.host, address.port), probe: NOT_READ, ...fields });
    return true;
  };
  const expand = async (start: Address[]): Promise<void> => {
    let level = start;
    while (level.length > 0) {
      const probes = await Promise.all(level.map((address) => probe(address)));
      const next: Address[] = [];
      level.forEach((address, i) => {
        const node = found.get(key(address)) as WalkedNode;
        node.probe = probes[i];
        if (!probes[i].reachable) return;
        // A guess that is not the missing replica is none of the set's business: its links are not followed.
        if (node.guessFor && !follows(node, node.guessFor)) return;
        for (const neighbour of neighboursOf(probes[i] as ReachableProbe)) {
          const known = found.get(key(neighbour));
          if (known) {
            if (!known.namedBy.includes(node.address)) known.namedBy.push(node.address);
          } else if (add(neighbour, { namedBy: [node.address], vouched: false, guessFor: null })) {
            next.push(neighbour);
          }
        }
      });
      level = next;
    }
  };

  const first: Address[] = [];
  for (const seed of seeds) {
    if (found.has(key(seed))) continue;
    if (add(seed, { namedBy: vouchedBy ? [vouchedBy] : [], vouched: vouchedBy !== null, guessFor: null })) first.push(seed);
  }
  await expand(first);

  // Listings that no node answers to (see local-listeners.ts): the loopback listeners on the
  // listed port are read too, as guesses that count only if they follow the node that lists them.
  const tried = new Set<string>();
  for (;;) {
    const guesses: Address[] = [];
    for (const node of [...found.values()]) {
      if (!node.probe.reachable || !isLoopbackHost(node.host)) continue;
      for (const listed of node.probe.replicas) {
        const answer = found.get(key(listed));
        if (!isLoopbackHost(listed.host) || (answer && follows(answer, node)) || tried.has(`${key(node)}>${key(listed)}`)) continue;
        tried.add(`${key(node)}>${key(listed)}`);
        for (const host of options.loopbackListeners?.(listed.port) ?? []) {
          const candidate = { host, port: listed.port };
          if (found.has(key(candidate)) || sameAddress(host, listed.port, node.host, node.port)) continue;
          if (add(candidate, { namedBy: [node.address], vouched: false, guessFor: { host: node.host, port: node.port } })) guesses.push(candidate);
        }
      }
    }
    if (guesses.length === 0) break;
    await expand(guesses);
  }
  return { nodes: [...found.values()], capped };
}

/** The node reports `master` as its master. */
export function follows(node: WalkedNode, master: Address): boolean {
  const up = node.probe.reachable ? node.probe.follows : null;
  return up !== null && sameAddress(up.host, up.port, master.host, master.port);
}

function neighboursOf(probe: ReachableProbe): Address[] {
  return [...(probe.follows ? [probe.follows] : []), ...probe.replicas];
}

export interface SetMember {
  node: WalkedNode;
  role: 'master' | 'replica';
  /** For a replica: the member it follows when that is not the master (a chained replica). */
  chainedTo: WalkedNode | null;
}

export interface ChosenSet {
  /** The master first, then the replicas in address order. */
  members: SetMember[];
  master: WalkedNode | null;
  /** Why no master could be chosen, when master is null. */
  noMaster: string | null;
  /** Nodes the walk found that are not part of the set, and why. */
  outsiders: Array<{ node: WalkedNode; reason: string }>;
  warnings: string[];
}

/**
 * The set of the first seed: its master is where the seed's chain of master links ends (a node
 * that says it is a master, or one that does not answer). Every other node is a member when its
 * own chain ends at the same master; an unreachable node is a member when a member names it.
 */
export function chooseSet(walk: Walk): ChosenSet {
  const byKey = new Map(walk.nodes.map((n) => [key(n), n]));
  const keyByAddress = new Map(walk.nodes.map((n) => [n.address, key(n)]));
  const rootOf = (start: WalkedNode): { root: WalkedNode | null; why: string | null } => {
    const visited = new Set<string>();
    let current = start;
    for (;;) {
      if (visited.has(key(current))) return { root: null, why: `the replication links loop (${[...visited].map((k) => byKey.get(k)?.address).join(' -> ')})` };
      visited.add(key(current));
      const probe = current.probe;
      if (!probe.reachable || probe.role !== 'replica' || probe.follows === null) return { root: current, why: null };
      const up = byKey.get(key(probe.follows));
      if (!up) return { root: null, why: `${current.address} follows ${formatAddress(probe.follows.host, probe.follows.port)}, past the walk's cap` };
      current = up;
    }
  };

  const seed = walk.nodes[0];
  const { root, why } = rootOf(seed);
  const warnings: string[] = [];
  if (walk.capped) warnings.push(`the walk stopped at ${walk.nodes.length} nodes; more are named than were read`);
  if (!root) return { members: [], master: null, noMaster: why, outsiders: [], warnings };
  if (root.probe.reachable && root.probe.role !== 'master') return { members: [], master: null, noMaster: `${root.address} answers but is neither a master nor a replica`, outsiders: [], warnings };

  const members: SetMember[] = [];
  const outsiders: ChosenSet['outsiders'] = [];
  const memberKeys = new Set<string>([key(root)]);
  const misreported = misreportedListings(walk.nodes);
  for (const [listing, { lister, found }] of misreported) {
    warnings.push(`${lister.address} lists a replica at ${byKey.get(listing)?.address ?? listing}, the source address of its connection (Redis 7 without bind-source-addr or replica-announce-ip); found ${found.map((n) => n.address).join(', ')} on this machine following it`);
  }
  for (const node of walk.nodes) {
    if (node === root || !node.probe.reachable || isFailedGuess(node)) continue;
    const own = rootOf(node);
    if (own.root === root) memberKeys.add(key(node));
    else outsiders.push({ node, reason: own.root ? `it belongs to another set: its master is ${own.root.address}${own.root.probe.reachable ? '' : ' (unreachable)'}` : (own.why ?? 'no master') });
  }
  // An unreachable node belongs when a member names it; named only by outsiders, it is theirs.
  for (const node of walk.nodes) {
    if (node === root || node.probe.reachable || node.guessFor || misreported.has(key(node))) continue;
    if (node.vouched || node.namedBy.some((by) => memberKeys.has(keyByAddress.get(by) ?? by))) memberKeys.add(key(node));
    else outsiders.push({ node, reason: `unreachable, and named only by nodes outside the set (${node.namedBy.join(', ')})` });
  }

  members.push({ node: root, role: 'master', chainedTo: null });
  const rest = walk.nodes.filter((n) => n !== root && memberKeys.has(key(n))).sort(compareAddresses);
  for (const node of rest) {
    const follows = node.probe.reachable ? node.probe.follows : null;
    const chainedTo = follows && !sameAddress(follows.host, follows.port, root.host, root.port) ? (byKey.get(key(follows)) ?? null) : null;
    members.push({ node, role: 'replica', chainedTo });
  }
  for (const { node, reason } of outsiders) warnings.push(`${node.address} left out: ${reason}`);
  warnings.push(...listingMismatches(members, byKey, misreported));
  return { members, master: root, noMaster: null, outsiders, warnings };
}

/** A node listed as a replica that follows someone else: the listing is stale, or two sets overlap. */
function listingMismatches(members: SetMember[], byKey: Map<string, WalkedNode>, misreported: Map<string, unknown>): string[] {
  const out: string[] = [];
  for (const { node } of members) {
    if (!node.probe.reachable) continue;
    for (const listed of node.probe.replicas) {
      const replica = byKey.get(key(listed));
      if (!replica || !replica.probe.reachable || misreported.has(key(listed))) continue;
      const follows = replica.probe.follows;
      if (replica.probe.role === 'master' || !follows || !sameAddress(follows.host, follows.port, node.host, node.port)) {
        out.push(`${node.address} lists ${replica.address} as its replica, but ${replica.address} ${replica.probe.role === 'master' ? 'is a master' : `follows ${follows ? formatAddress(follows.host, follows.port) : 'no one'}`}`);
      }
    }
  }
  return out;
}

/** A loopback listener read as a guess (walkSet) that turned out not to follow the node it was read for. */
function isFailedGuess(node: WalkedNode): boolean {
  return node.guessFor !== null && !follows(node, node.guessFor);
}

/**
 * Listed addresses that are not the replicas they stand for: the lister's own guesses found its
 * replicas elsewhere. Keyed by the listed address, with the lister and what was found.
 */
function misreportedListings(nodes: readonly WalkedNode[]): Map<string, { lister: WalkedNode; found: WalkedNode[] }> {
  const out = new Map<string, { lister: WalkedNode; found: WalkedNode[] }>();
  for (const lister of nodes) {
    if (!lister.probe.reachable) continue;
    const found = nodes.filter((n) => n.guessFor !== null && sameAddress(n.guessFor.host, n.guessFor.port, lister.host, lister.port) && follows(n, lister));
    if (found.length === 0) continue;
    for (const listed of lister.probe.replicas) {
      const answer = nodes.find((n) => key(n) === key(listed));
      if (answer && follows(answer, lister)) continue;
      out.set(key(listed), { lister, found });
    }
  }
  return out;
}
