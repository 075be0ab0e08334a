// Rules across nodes that a per-field schema cannot express, each located at the offending field.

import type { TopologyIssue } from '../errors';
import { isLoopbackHost, normalizeHost } from './model';
import type { SentinelInput, TopologyInput } from './schema';
import { shownText } from './shown-text';
import type { YamlSource } from './yaml-source';

export function checkTopologyRules(source: YamlSource, input: TopologyInput): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const masters = input.nodes.map((node, index) => ({ node, index })).filter(({ node }) => node.role === 'master');
  if (masters.length === 0) {
    issues.push(source.issue(['nodes'], 'no node has role: master; exactly one is required', 'key'));
  }
  for (const extra of masters.slice(1)) {
    const first = masters[0];
    issues.push(
      source.issue(['nodes', extra.index, 'role'], `a second master: "${first.node.name}" (nodes[${first.index}]) is already the master; exactly one node may have role: master`),
    );
  }

  const byName = new Map<string, number>();
  const byAddress = new Map<string, number>();
  input.nodes.forEach((node, index) => {
    const seenName = byName.get(node.name);
    if (seenName !== undefined) issues.push(source.issue(['nodes', index, 'name'], `duplicate node name "${node.name}" (also nodes[${seenName}])`));
    else byName.set(node.name, index);

    const address = `${normalizeHost(node.host)}:${node.port}`;
    const seenAddress = byAddress.get(address);
    if (seenAddress !== undefined) {
      issues.push(source.issue(['nodes', index, 'port'], `duplicate address ${shownText(node.host)}:${node.port} (also nodes[${seenAddress}] "${input.nodes[seenAddress].name}")`));
    } else {
      byAddress.set(address, index);
    }

    const launch = node.launch ?? input.launch;
    if (node.redisServer !== undefined && launch !== 'redis-server') {
      issues.push(source.issue(['nodes', index, 'redisServer'], `redisServer is the executable of launch: redis-server nodes, and this node's launch is ${launch}`, 'key'));
    }
    if (launch !== 'external' && !isLoopbackHost(node.host)) {
      const where = node.launch !== undefined ? ['nodes', index, 'launch'] : ['nodes', index, 'host'];
      issues.push(
        source.issue(where, `launch: ${launch} starts the node on this machine, so host must be a loopback address (127.0.0.0/8, ::1 or localhost), not ${shownText(node.host)}; use launch: external for remote nodes`),
      );
    }
  });

  issues.push(...authIssues(source, input.auth, ['auth']));
  if (input.sentinel) issues.push(...checkSentinelRules(source, input, input.sentinel));
  return issues;
}

function authIssues(source: YamlSource, auth: TopologyInput['auth'], at: string[]): TopologyIssue[] {
  if (!auth) return [];
  const issues: TopologyIssue[] = [];
  const given = (['password', 'passwordEnv', 'passwordFile'] as const).filter((key) => auth[key] !== undefined);
  if (given.length === 0) issues.push(source.issue(at, 'expected one of password, passwordEnv or passwordFile', 'key'));
  for (const key of given.slice(1)) issues.push(source.issue([...at, key], `use only one of password, passwordEnv, passwordFile (${given[0]} is already set)`, 'key'));
  return issues;
}

function checkSentinelRules(source: YamlSource, input: TopologyInput, sentinel: SentinelInput): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  if (input.tls) {
    issues.push(source.issue(['sentinel'], 'sentinels over TLS are not supported yet: remove the tls section or the sentinel section', 'key'));
  }
  if (sentinel.quorum > sentinel.nodes.length) {
    issues.push(source.issue(['sentinel', 'quorum'], `quorum ${sentinel.quorum} can never be reached by ${sentinel.nodes.length} sentinel${sentinel.nodes.length === 1 ? '' : 's'}`));
  }
  if (sentinel.redisSentinel !== undefined && sentinel.launch !== 'redis-sentinel') {
    issues.push(source.issue(['sentinel', 'redisSentinel'], `redisSentinel is the executable of launch: redis-sentinel, and the sentinels' launch is ${sentinel.launch}`, 'key'));
  }
  const nodeAddresses = new Map(input.nodes.map((node, index) => [`${normalizeHost(node.host)}:${node.port}`, index]));
  const seen = new Map<string, number>();
  sentinel.nodes.forEach((node, index) => {
    const address = `${normalizeHost(node.host)}:${node.port}`;
    const shown = `${shownText(node.host)}:${node.port}`;
    const twin = seen.get(address);
    if (twin !== undefined) issues.push(source.issue(['sentinel', 'nodes', index, 'port'], `duplicate sentinel address ${shown} (also sentinel.nodes[${twin}])`));
    else seen.set(address, index);
    const redis = nodeAddresses.get(address);
    if (redis !== undefined) issues.push(source.issue(['sentinel', 'nodes', index, 'port'], `${shown} is the address of nodes[${redis}] "${input.nodes[redis].name}"; a sentinel needs its own port`));
    if (sentinel.launch === 'redis-sentinel' && !isLoopbackHost(node.host)) {
      issues.push(
        source.issue(['sentinel', 'nodes', index, 'host'], `launch: redis-sentinel starts the sentinel on this machine, so host must be a loopback address (127.0.0.0/8, ::1 or localhost), not ${shownText(node.host)}; use launch: external for remote sentinels`),
      );
    }
  });
  issues.push(...authIssues(source, sentinel.auth, ['sentinel', 'auth']));
  return issues;
}
