// The text of a discovered topology file: YAML written by hand rather than dumped, so that every
// field carries a comment saying what it is and where its value came from. The result is checked
// by rctl's own loader before it is written (index.ts).

import { dirname, isAbsolute, relative } from 'node:path';
import type { Secret } from '../../topology/secret';
import type { AuthReference } from './credentials';

export interface DraftNode {
  name: string;
  host: string;
  port: number;
  role: 'master' | 'replica';
  priority: number | null;
  version: string | null;
  bundled: boolean;
  reachable: boolean;
  /** A chained replica: the name of the replica it follows. */
  chainedTo: string | null;
}

export interface DraftSentinel {
  masterName: string;
  quorum: number;
  downAfterMs: number | null;
  failoverTimeoutMs: number | null;
  parallelSyncs: number | null;
  auth: AuthReference | null;
  /** The sentinels' password, only when their auth is inline. */
  password: Secret | null;
  nodes: Array<{ host: string; port: number; reachable: boolean }>;
}

export interface TopologyDraft {
  name: string;
  /** The command line as typed (no password ever is), for the header. */
  command: string;
  discoveredAt: string;
  auth: AuthReference | null;
  /** The password, only when auth is inline (--write-password). */
  password: Secret | null;
  /** Absolute paths; written relative to the file. */
  tls: { ca: string; cert: string; key: string } | null;
  nodes: DraftNode[];
  sentinel: DraftSentinel | null;
}

/** A scalar YAML reads back as the same string: plain when safe, else double-quoted (JSON's escapes are YAML's). */
export function yamlString(value: string): string {
  const plain = /^[A-Za-z0-9_./][A-Za-z0-9_./:-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|~|[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?|\.inf|\.nan|0x[\da-f]+|0o[0-7]+)$/i.test(value) && !value.endsWith(':');
  return plain ? value : JSON.stringify(value);
}

function pathFrom(file: string, path: string, given?: string): string {
  if (given !== undefined && isAbsolute(given)) return given;
  const rel = relative(dirname(file), path);
  return rel === '' ? path : rel;
}

function authLines(reference: AuthReference | null, password: Secret | null, file: string, indent: string): string[] {
  if (!reference) return [];
  if (reference.kind === 'env') return [`${indent}passwordEnv: ${reference.variable}   # the password is read from this environment variable by every rctl command`];
  if (reference.kind === 'file') return [`${indent}passwordFile: ${yamlString(pathFrom(file, reference.path, reference.given))}   # the password is read from this file (relative paths: to this file)`];
  if (!password) throw new Error('auth: inline without a password');
  return [`${indent}password: ${yamlString(password.reveal())}   # written at your request (--write-password); this file is mode 0600`];
}

function nodeComment(node: DraftNode): string {
  const parts: string[] = [];
  if (!node.reachable) parts.push('did not answer at discovery: included at your request');
  else parts.push(`${node.bundled ? 'rctl\'s bundled node, as' : 'Redis'} ${node.version ?? '(version unknown)'}`);
  if (node.chainedTo) parts.push(`at discovery it replicated ${node.chainedTo} (a chained replica); rctl has replicas follow the master and \`rctl up\` would repoint it`);
  return parts.join('; ');
}

export function renderTopology(draft: TopologyDraft, file: string): string {
  const lines: string[] = [
    `# Written by \`${draft.command}\` on ${draft.discoveredAt}.`,
    '# What rctl knows of this set: edit it freely (rename nodes, change priorities) and',
    '# check the result with `rctl status -t <this file>`. Every field: docs/topology.md.',
    '',
    '# name: this set\'s name in rctl\'s messages; its state lives in $RCTL_HOME/<name> (default ~/.rctl).',
    `name: ${yamlString(draft.name)}`,
  ];
  if (draft.auth) {
    lines.push('', '# auth: the password of the nodes (their requirepass, and the masterauth replicas use).', 'auth:', ...authLines(draft.auth, draft.password, file, '  '));
  }
  if (draft.tls) {
    lines.push(
      '',
      '# tls: rctl reaches every node over TLS with these PEM files (relative paths: to this file).',
      'tls:',
      `  ca: ${yamlString(pathFrom(file, draft.tls.ca))}     # the CA that signs the nodes' certificates`,
      `  cert: ${yamlString(pathFrom(file, draft.tls.cert))}   # the certificate rctl presents`,
      `  key: ${yamlString(pathFrom(file, draft.tls.key))}     # its private key`,
    );
  }
  lines.push('', '# launch: external: the nodes run already, started by you or your service manager;', '# rctl never starts or stops them.', 'launch: external');
  if (draft.sentinel) lines.push('', ...sentinelLines(draft.sentinel, file));
  lines.push(
    '',
    '# nodes: the set as its INFO replication showed it, the master first.',
    '#   name      how rctl commands and tables refer to the node; change it at will (--promote NAME, ...)',
    '#   host/port the address the node answered on, as its master or replicas name it',
    '#   role      at discovery; after a failover rctl records the new master under $RCTL_HOME, not here',
    '#   priority  the node\'s replica-priority at discovery (lower is promoted first; 0: never promoted)',
    'nodes:',
  );
  for (const node of draft.nodes) {
    lines.push(`  - name: ${yamlString(node.name)}   # ${nodeComment(node)}`);
    lines.push(`    host: ${yamlString(node.host)}`);
    lines.push(`    port: ${node.port}`);
    lines.push(`    role: ${node.role}`);
    if (node.priority !== null) lines.push(`    priority: ${node.priority}`);
    else lines.push('    # priority: not read (CONFIG GET denied or the node did not answer); the node keeps its own');
  }
  return lines.join('\n') + '\n';
}

function sentinelLines(sentinel: DraftSentinel, file: string): string[] {
  const lines = [
    '# sentinel: Redis Sentinel watches this set and decides who the master is; rctl asks the',
    '# sentinels first (status, check) and fails over through them. Values as the sentinels run them.',
    'sentinel:',
    `  masterName: ${yamlString(sentinel.masterName)}   # the name the sentinels monitor the master under`,
    `  quorum: ${sentinel.quorum}   # sentinels that must agree the master is down`,
    '  launch: external   # the sentinels run already; rctl never starts or stops them',
  ];
  if (sentinel.downAfterMs !== null) lines.push(`  downAfterMs: ${sentinel.downAfterMs}   # down-after-milliseconds`);
  if (sentinel.failoverTimeoutMs !== null) lines.push(`  failoverTimeoutMs: ${sentinel.failoverTimeoutMs}   # failover-timeout`);
  if (sentinel.parallelSyncs !== null) lines.push(`  parallelSyncs: ${sentinel.parallelSyncs}   # parallel-syncs`);
  if (sentinel.auth) lines.push('  auth:   # the sentinels\' own requirepass', ...authLines(sentinel.auth, sentinel.password, file, '    '));
  lines.push('  nodes:   # every sentinel that monitors the master');
  for (const node of sentinel.nodes) lines.push(`    - { host: ${yamlString(node.host)}, port: ${node.port} }${node.reachable ? '' : '   # did not answer at discovery: included at your request'}`);
  return lines;
}
