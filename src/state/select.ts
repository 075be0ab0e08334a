// Which topology a command uses: -t/--topology (or a positional argument), else RCTL_TOPOLOGY,
// else the one last brought up with `rctl up`.

import { BadInputError } from '../errors';
import { resolve } from 'node:path';
import { readCurrentTopology, rctlHome } from './home';

export interface TopologyChoice {
  file: string;
  /** Why this file: shown in messages when it is not found. */
  from: 'argument' | 'flag' | 'RCTL_TOPOLOGY' | 'last up';
}

export function chooseTopologyFile(options: { argument?: string; flag?: string; env?: NodeJS.ProcessEnv }): TopologyChoice {
  const env = options.env ?? process.env;
  if (options.argument && options.flag && resolve(options.argument) !== resolve(options.flag)) {
    throw new BadInputError('USAGE', `two topologies given: ${options.argument} and -t ${options.flag}`, 'pass only one');
  }
  if (options.argument) return { file: options.argument, from: 'argument' };
  if (options.flag) return { file: options.flag, from: 'flag' };
  if (env.RCTL_TOPOLOGY) return { file: env.RCTL_TOPOLOGY, from: 'RCTL_TOPOLOGY' };
  const remembered = readCurrentTopology(rctlHome(env));
  if (remembered) return { file: remembered, from: 'last up' };
  throw new BadInputError(
    'NO_TOPOLOGY',
    'no topology given and none brought up yet',
    'pass -t FILE, set RCTL_TOPOLOGY, or run `rctl up FILE` first',
  );
}
