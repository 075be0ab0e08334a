// Finds a node from what an operator types: a name, a host, or host:port.

import { BadInputError } from '../errors';
import { formatAddress, normalizeHost, sameAddress, type TlsFiles, type Topology, type TopologyNode } from './model';

export interface NodeRef {
  name: string;
  host: string;
  port: number;
  address: string;
  /** The topology node, when the reference names one. */
  node: TopologyNode | null;
  /** The topology's tls: a node outside the file is still reached the way the file's nodes are. */
  tls?: TlsFiles;
}

const DEFAULT_PORT = 6379;

function fromNode(node: TopologyNode): NodeRef {
  return { name: node.name, host: node.host, port: node.port, address: node.address, node, ...(node.tls ? { tls: node.tls } : {}) };
}

function splitHostPort(text: string): { host: string; port: number | null } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : null };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = text.split(':');
    if (!/^\d+$/.test(port)) return null;
    return { host, port: Number(port) };
  }
  return { host: text, port: null };
}

export function resolveNodeRef(topology: Topology, text: string, what: string): NodeRef {
  const byName = topology.nodes.find((n) => n.name === text);
  if (byName) return fromNode(byName);
  const parsed = splitHostPort(text.trim());
  if (!parsed || parsed.host === '' || (parsed.port !== null && (parsed.port < 1 || parsed.port > 65535))) {
    throw new BadInputError('USAGE', `${what} "${text}" is not a node name, host or host:port`, `nodes in ${topology.displayFile}: ${topology.nodes.map((n) => n.name).join(', ')}`);
  }
  if (parsed.port !== null) {
    const byAddress = topology.nodes.find((n) => sameAddress(n.host, n.port, parsed.host, parsed.port as number));
    if (byAddress) return fromNode(byAddress);
    const address = formatAddress(parsed.host, parsed.port);
    return { name: address, host: parsed.host, port: parsed.port, address, node: null, ...tlsOf(topology) };
  }
  const byHost = topology.nodes.filter((n) => normalizeHost(n.host) === normalizeHost(parsed.host));
  if (byHost.length === 1) return fromNode(byHost[0]);
  if (byHost.length > 1) {
    throw new BadInputError('USAGE', `${what} "${text}" is ambiguous: it is the host of ${byHost.map((n) => n.name).join(', ')}`, 'use a node name or host:port');
  }
  const address = formatAddress(parsed.host, DEFAULT_PORT);
  return { name: address, host: parsed.host, port: DEFAULT_PORT, address, node: null, ...tlsOf(topology) };
}

function tlsOf(topology: Topology): { tls?: TlsFiles } {
  return topology.tls ? { tls: topology.tls } : {};
}
