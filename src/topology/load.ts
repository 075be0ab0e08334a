// Reads, validates and resolves a topology file. Every failure is a TopologyError (exit 2)
// naming file:line:col and the field.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BadInputError, TopologyError, type TopologyIssue } from '../errors';
import { translateIssues } from './issues';
import { formatAddress, type SentinelSet, type Topology, type TopologyNode } from './model';
import { resolvePassword } from './password';
import { checkTopologyRules } from './rules';
import { resolveTls } from './tls';
import { topologySchema, type SentinelInput } from './schema';
import { parseYamlSource, type YamlSource } from './yaml-source';

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadTopologyFile(file: string, options: LoadOptions = {}): Topology {
  const absolute = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BadInputError('TOPOLOGY_NOT_FOUND', `topology file ${file} not found`, 'check the path, or pass -t FILE');
    if (code === 'EISDIR') throw new BadInputError('TOPOLOGY_NOT_FOUND', `${file} is a directory, not a topology file`);
    throw new BadInputError('TOPOLOGY_UNREADABLE', `cannot read topology file ${file}: ${code ?? (error as Error).message}`);
  }
  return parseTopology(file, absolute, text, options.env ?? process.env);
}

/** Validates topology text; `file` is used in messages, `absolute` to resolve passwordFile. */
export function parseTopology(file: string, absolute: string, text: string, env: NodeJS.ProcessEnv = process.env): Topology {
  const source = parseYamlSource(file, text);
  if (Array.isArray(source)) throw new TopologyError('TOPOLOGY_YAML', source);
  if (source.data === null || source.data === undefined) {
    throw new TopologyError('TOPOLOGY_INVALID', [{ file, line: 1, col: 1, path: '', message: 'the file is empty; expected a mapping with name and nodes' }]);
  }
  const parsed = topologySchema.safeParse(source.data);
  if (!parsed.success) throw new TopologyError('TOPOLOGY_INVALID', sortIssues(translateIssues(source, parsed.error.issues)));
  const input = parsed.data;
  const ruleIssues = checkTopologyRules(source, input);
  if (ruleIssues.length > 0) throw new TopologyError('TOPOLOGY_INVALID', sortIssues(ruleIssues));

  const password = resolvePassword(source, input.auth, absolute, env);
  if ('message' in password) throw new TopologyError('TOPOLOGY_PASSWORD', [password]);
  const tls = resolveTls(source, input.tls, absolute);
  if (tls !== null && 'message' in tls) throw new TopologyError('TOPOLOGY_INVALID', [tls]);
  const sentinel = input.sentinel ? resolveSentinelSet(source, input.sentinel, absolute, env) : null;
  if (sentinel !== null && 'message' in sentinel) throw new TopologyError('TOPOLOGY_PASSWORD', [sentinel]);

  const nodes: TopologyNode[] = input.nodes.map((node, index) => ({
    name: node.name,
    host: node.host,
    port: node.port,
    role: node.role,
    ...(node.priority !== undefined ? { priority: node.priority } : {}),
    launch: node.launch ?? input.launch,
    ...redisServerOf(node.launch ?? input.launch, node.redisServer ?? input.redisServer, absolute),
    address: formatAddress(node.host, node.port),
    index,
    ...(tls ? { tls } : {}),
  }));
  const master = nodes.find((node) => node.role === 'master');
  if (!master) throw new Error('unreachable: rules guarantee one master');
  return {
    name: input.name,
    file: absolute,
    displayFile: file,
    nodes,
    master,
    replicas: nodes.filter((node) => node.role === 'replica'),
    password: password.password,
    passwordSource: password.source,
    ...(tls ? { tls } : {}),
    ...(sentinel ? { sentinel } : {}),
  };
}

function resolveSentinelSet(source: YamlSource, input: SentinelInput, topologyFile: string, env: NodeJS.ProcessEnv): SentinelSet | TopologyIssue {
  const password = resolvePassword(source, input.auth, topologyFile, env, ['sentinel', 'auth']);
  if ('message' in password) return password;
  return {
    masterName: input.masterName,
    quorum: input.quorum,
    launch: input.launch,
    ...(input.launch === 'redis-sentinel' && input.redisSentinel !== undefined ? { redisSentinel: executableOf(input.redisSentinel, topologyFile) } : {}),
    ...(input.downAfterMs !== undefined ? { downAfterMs: input.downAfterMs } : {}),
    ...(input.failoverTimeoutMs !== undefined ? { failoverTimeoutMs: input.failoverTimeoutMs } : {}),
    ...(input.parallelSyncs !== undefined ? { parallelSyncs: input.parallelSyncs } : {}),
    password: password.password,
    passwordSource: password.source,
    nodes: input.nodes.map((node, index) => ({ name: `sentinel-${index + 1}`, host: node.host, port: node.port, address: formatAddress(node.host, node.port), index })),
  };
}

/** A path is taken relative to the topology file; a bare name is a command on PATH. */
function redisServerOf(launch: string, value: string | undefined, topologyFile: string): { redisServer?: string } {
  if (launch !== 'redis-server' || value === undefined) return {};
  return { redisServer: executableOf(value, topologyFile) };
}

function executableOf(value: string, topologyFile: string): string {
  return value.includes('/') ? resolve(dirname(topologyFile), value) : value;
}

function sortIssues<T extends { line: number; col: number }>(issues: T[]): T[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}
