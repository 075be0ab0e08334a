// Reads every node of the topology in parallel: connect and authenticate (the same limits and
// errors as status), INFO, then the configuration the rules need with CONFIG GET. Sessions stay
// open so the write-rate sample can reuse them; the caller closes them.

import { RctlError } from '../../errors';
import type { Topology, TopologyNode } from '../../topology/model';
import { Secret } from '../../topology/secret';
import { replicationFacts } from '../../node/info';
import { NodeSession } from '../../node/node-session';
import { CONFIG_PARAMETERS, SECRET_PARAMETERS, type ConfigParameter, type NodeConfig, type NodeReading, type SecretParameter } from './model';

export interface OpenReading {
  reading: NodeReading;
  session: NodeSession | null;
}

async function readConfig(session: NodeSession): Promise<NodeConfig> {
  // One CONFIG GET per parameter, pipelined on the one connection: works on every version
  // (several names in one CONFIG GET only arrived in Redis 7).
  const [values, secrets] = await Promise.all([
    Promise.all(CONFIG_PARAMETERS.map(async (name) => [name, await session.configGet(name)] as const)),
    Promise.all(SECRET_PARAMETERS.map(async (name) => {
      const value = await session.configGet(name);
      return [name, value === null ? null : new Secret(value)] as const;
    })),
  ]);
  return { values: new Map<ConfigParameter, string | null>(values), secrets: new Map<SecretParameter, Secret | null>(secrets) };
}

async function readNode(topology: Topology, node: TopologyNode, timeoutMs: number): Promise<OpenReading> {
  const empty: NodeReading = { node, info: null, facts: null, config: null, error: null, configError: null };
  let session: NodeSession;
  try {
    session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs, deadline: Date.now() + timeoutMs });
  } catch (error) {
    if (error instanceof RctlError) return { reading: { ...empty, error }, session: null };
    throw error;
  }
  try {
    const info = await session.info();
    const reading: NodeReading = { ...empty, info, facts: replicationFacts(info) };
    try {
      reading.config = await readConfig(session);
    } catch (error) {
      if (!(error instanceof RctlError) || error.exitCode !== 4 || error.code !== 'NODE_COMMAND_FAILED') throw error;
      reading.configError = error.message;
    }
    session.endDeadline();
    return { reading, session };
  } catch (error) {
    session.close();
    if (error instanceof RctlError) return { reading: { ...empty, error }, session: null };
    throw error;
  }
}

export function readNodes(topology: Topology, timeoutMs: number): Promise<OpenReading[]> {
  return Promise.all(topology.nodes.map((node) => readNode(topology, node, timeoutMs)));
}
