// Rules across nodes that a per-field schema cannot express, each located at the offending field.

import type { TopologyIssue } from '../errors';
import { isLoopbackHost, normalizeHost } from './model';
import type { TopologyInput } from './schema';
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

  if (input.auth) {
    const given = (['password', 'passwordEnv', 'passwordFile'] as const).filter((key) => input.auth?.[key] !== undefined);
    if (given.length === 0) issues.push(source.issue(['auth'], 'expected one of password, passwordEnv or passwordFile', 'key'));
    for (const key of given.slice(1)) issues.push(source.issue(['auth', key], `use only one of password, passwordEnv, passwordFile (${given[0]} is already set)`, 'key'));
  }
  return issues;
}
