// For the start-up-critical `rctl status` path: the selected topology from the cache only. This
// module must not import the loader (YAML, zod): that is the point of the cache.

import { readCachedTopology } from './cache';
import { rctlHome } from './home';
import type { Topology } from '../topology/model';
import { applyRolesOverlay } from './roles';
import { resolve } from 'node:path';
import { chooseTopologyFile } from './select';

/** The selected topology when the cache has it; null when it needs the full load (first use, edited file, unresolvable password, any error). */
export function cachedSelectedTopology(options: { argument?: string; flag?: string; env: NodeJS.ProcessEnv }): Topology | null {
  try {
    const choice = chooseTopologyFile(options);
    const home = rctlHome(options.env);
    const cached = readCachedTopology(resolve(choice.file), choice.file, home, options.env);
    return cached && applyRolesOverlay(cached, home);
  } catch {
    return null;
  }
}
