// Entry point for commands: pick the topology file (flag, RCTL_TOPOLOGY, last up), load it with
// the roles rctl recorded applied, and hand out the state directory it keeps for it.

import { existsSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { BadInputError } from '../errors';
import { readCachedTopology, writeTopologyCache } from './cache';
import { rctlHome } from './home';
import type { Topology } from '../topology/model';
import { applyRolesOverlay } from './roles';
import { chooseTopologyFile } from './select';
import { TopologyState } from './topology-state';

export { rctlHome, rememberCurrentTopology } from './home';
export { TopologyState } from './topology-state';
export type { Topology, TopologyNode } from '../topology/model';

export async function loadSelectedTopology(options: { argument?: string; flag?: string; env?: NodeJS.ProcessEnv }): Promise<Topology> {
  const env = options.env ?? process.env;
  const choice = chooseTopologyFile({ ...options, env });
  if (choice.from === 'last up' && !existsSync(choice.file)) {
    throw new BadInputError('TOPOLOGY_NOT_FOUND', `the topology last brought up, ${choice.file}, no longer exists`, 'pass -t FILE or run `rctl up FILE`');
  }
  if (choice.from === 'RCTL_TOPOLOGY' && !existsSync(choice.file)) {
    throw new BadInputError('TOPOLOGY_NOT_FOUND', `topology file ${choice.file} (from RCTL_TOPOLOGY) not found`, 'fix RCTL_TOPOLOGY or pass -t FILE');
  }
  const home = rctlHome(env);
  const absolute = resolve(choice.file);
  const cached = readCachedTopology(absolute, choice.file, home, env);
  // The cache holds the file as written; the roles overlay (a failover's new master) applies on top.
  if (cached) return applyRolesOverlay(cached, home);
  // Stat before reading: an edit racing the read then misses the cache next time, never hits stale.
  let stats: Stats | null = null;
  try {
    stats = statSync(absolute);
  } catch {
    // loadTopologyFile reports it
  }
  // YAML and the schema load only here: building zod schemas costs more start-up time than the
  // rest of `rctl status`, so a cache hit skips them.
  const { loadTopologyFile } = await import('../topology/load');
  const topology = loadTopologyFile(choice.file, { env });
  if (stats) writeTopologyCache(topology, stats, home);
  return applyRolesOverlay(topology, home);
}

/** RCTL_HOME/<topology>: where rctl records what it knows of this topology. */
export function topologyStateOf(topology: { name: string }, env: NodeJS.ProcessEnv = process.env): TopologyState {
  return new TopologyState(rctlHome(env), topology.name);
}
