// `rctl completion nodes` without oclif: the completion script runs it on every TAB that wants a
// node name, and oclif's start-up alone is most of a second on a loaded machine. It answers from
// the topology cache (as fast status does) and returns null for anything else (an uncached or
// edited topology, flags it does not know), which bin/rctl.js hands to the oclif command.

import { cachedSelectedTopology } from '../state/cached';
import { parseFastArgs } from './status-fast';

/** The node names, one per line; null when the oclif command must answer. */
export function nodeNamesFast(argv: string[], env: NodeJS.ProcessEnv): string | null {
  const args = parseFastArgs(argv);
  if (!args || args.json) return null;
  const topology = cachedSelectedTopology({ argument: args.argument, flag: args.topology, env });
  return topology ? topology.nodes.map((node) => `${node.name}\n`).join('') : null;
}
