// rctl discover: from one node (or one sentinel) of a running set to a topology file that rctl
// can use with no edit. Read (walk.ts, sentinels.ts), decide what belongs (walk.ts), name
// (naming.ts), render (topology-text.ts), check with rctl's own loader, then write.

import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BadInputError, NodeFailureError, RefusedError } from '../../errors';
import type { Reporter } from '../../node/reporter';
import { rememberCurrentTopology } from '../../state/home';
import { formatAddress, type TlsFiles } from '../../topology/model';
import { parseTopology } from '../../topology/load';
import { describeReference, type Credentials } from './credentials';
import { loopbackListeners } from './local-listeners';
import { nameNodes } from './naming';
import { probeNode, type Address, type Probe } from './probe';
import { readSentinelView, type SentinelView } from './sentinels';
import { renderTopology, type DraftNode, type TopologyDraft } from './topology-text';
import { chooseSet, DEFAULT_MAX_NODES, walkSet, type SetMember, type WalkedNode } from './walk';

/** One node in `rctl discover --json`. */
export interface DiscoveredNode {
  name: string;
  address: string;
  role: 'master' | 'replica';
  reachable: boolean;
  /** Written to the file: every reachable node; an unreachable one only when confirmed or --include-unreachable. */
  included: boolean;
  /** The address a replica follows (its master_host:master_port); null for the master or when unreachable. */
  follows: string | null;
  linkStatus: 'up' | 'down' | null;
  priority: number | null;
  version: string | null;
  bundled: boolean;
  /** Addresses of the nodes whose INFO named it; empty for the address discovery started from. */
  namedBy: string[];
  error: string | null;
}

export interface DiscoveredSentinel {
  address: string;
  reachable: boolean;
  included: boolean;
  error: string | null;
}

/** `rctl discover --json`. */
export interface DiscoverResult {
  topology: string;
  /** Absolute path of the file; null with --dry-run. */
  file: string | null;
  written: boolean;
  master: string;
  /** How the file names the password (passwordEnv VAR, passwordFile F, …); null: no auth section. */
  auth: string | null;
  nodes: DiscoveredNode[];
  /** Nodes the walk met that belong to another set (a second master, a stale listing). */
  outside: Array<{ address: string; reason: string }>;
  sentinel: { masterName: string; quorum: number; nodes: DiscoveredSentinel[] } | null;
  warnings: string[];
}

export interface DiscoverRequest {
  /** HOST:PORT of any node; null with a sentinel. */
  seed: Address | null;
  sentinel: { address: Address; masterName: string; credentials: Credentials } | null;
  credentials: Credentials;
  /**
   * Asked when a node needs a password and none was given (a terminal prompt); null without a
   * terminal: the discovery then fails with AUTH_REQUIRED.
   */
  askPassword: ((what: string) => Promise<Credentials>) | null;
  /** Which unreachable nodes (or sentinels) to write anyway; null without a terminal. */
  confirmUnreachable: ((what: string) => Promise<boolean>) | null;
  includeUnreachable: boolean;
  /** The name field; null: the master name under Sentinel, else the file's base name. */
  name: string | null;
  /** Absolute path of the file to write. */
  out: string;
  force: boolean;
  dryRun: boolean;
  tls: TlsFiles | null;
  timeoutMs: number;
  maxNodes?: number;
  /** Stands in for /proc/net/tcp in tests (local-listeners.ts). */
  loopbackListeners?: (port: number) => string[];
  /** The command line as typed, for the file's header. */
  command: string;
  home: string;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  now?: Date;
}

export interface Discovery {
  result: DiscoverResult;
  /** The file's text (with --dry-run, what would be written). */
  text: string;
}

export async function discover(request: DiscoverRequest): Promise<Discovery> {
  const { reporter } = request;
  const warnings: string[] = [];
  let view: SentinelView | null = null;
  if (request.sentinel) {
    const { address, masterName } = request.sentinel;
    reporter.step(`asking sentinel ${formatAddress(address.host, address.port)} about ${masterName}`);
    let sentinelCredentials = request.sentinel.credentials;
    view = await withPassword(
      (credentials) => readSentinelView(address, masterName, { password: credentials.secret, passwordSource: credentials.source, timeoutMs: request.timeoutMs }),
      sentinelCredentials,
      request.askPassword ? async () => (sentinelCredentials = await (request.askPassword as NonNullable<DiscoverRequest['askPassword']>)(`sentinel ${formatAddress(address.host, address.port)}`)) : null,
    );
    request = { ...request, sentinel: { ...request.sentinel, credentials: sentinelCredentials } };
  }

  const seeds = view ? [view.master, ...view.replicas] : [request.seed as Address];
  let credentials = request.credentials;
  // The first node that answers tells whether a password is needed, before the walk reads them all.
  reporter.step(`reading ${formatAddress(seeds[0].host, seeds[0].port)}`);
  await withPassword(
    async (given) => {
      for (const seed of seeds) {
        const probe = await probeNode(seed, { password: given.secret, passwordSource: given.source, timeoutMs: request.timeoutMs, ...(request.tls ? { tls: request.tls } : {}) });
        if (probe.reachable) return probe;
      }
      return null;
    },
    credentials,
    request.askPassword ? async () => (credentials = await (request.askPassword as NonNullable<DiscoverRequest['askPassword']>)('the nodes')) : null,
  );

  reporter.step('following the replication links');
  const probe = (address: Address): Promise<Probe> => probeNode(address, { password: credentials.secret, passwordSource: credentials.source, timeoutMs: request.timeoutMs, ...(request.tls ? { tls: request.tls } : {}) });
  const walk = await walkSet(seeds, probe, {
    maxNodes: request.maxNodes ?? DEFAULT_MAX_NODES,
    vouchedBy: view && request.sentinel ? `sentinel ${formatAddress(request.sentinel.address.host, request.sentinel.address.port)}` : null,
    loopbackListeners: request.loopbackListeners ?? loopbackListeners,
  });
  if (!request.sentinel && !walk.nodes[0].probe.reachable) {
    throw new NodeFailureError(walk.nodes[0].probe.code, `${walk.nodes[0].address}: ${walk.nodes[0].probe.error}`, 'check the address: discover starts from a running node');
  }
  const chosen = chooseSet(walk);
  warnings.push(...chosen.warnings);
  if (!chosen.master) throw new NodeFailureError('DISCOVER_NO_MASTER', `no master found from ${walk.nodes[0].address}: ${chosen.noMaster}`, 'start from another node, or check the replication links with INFO replication');

  const names = nameNodes(chosen.members.map((m) => m.node));
  const nameOf = new Map(chosen.members.map((m, i) => [m.node, names[i]]));
  const included = new Set<WalkedNode>();
  for (const member of chosen.members) {
    if (member.node.probe.reachable) {
      included.add(member.node);
      continue;
    }
    const what = `${member.role === 'master' ? 'the master' : 'replica'} ${member.node.address} (named by ${member.node.namedBy.join(', ')}) does not answer: ${member.node.probe.error}`;
    if (request.includeUnreachable || (request.confirmUnreachable && (await confirmSuspended(reporter, request.confirmUnreachable, `${what}. Write it to the file anyway?`)))) {
      included.add(member.node);
      warnings.push(`${what}; written to the file`);
    } else {
      warnings.push(`${what}; left out of the file (--include-unreachable writes it)`);
    }
  }
  if (!included.has(chosen.master)) {
    throw new NodeFailureError('DISCOVER_NO_MASTER', `the master ${chosen.master.address} does not answer (${errorOf(chosen.master.probe)}); its replicas name it`, 'start it, fail over first, or pass --include-unreachable to write it anyway');
  }
  for (const member of chosen.members) {
    if (member.chainedTo && included.has(member.node)) {
      warnings.push(`${nameOf.get(member.node)} (${member.node.address}) replicates ${nameOf.get(member.chainedTo) ?? member.chainedTo.address}, not the master: rctl has every replica follow the master, so \`rctl status\` reports it and \`rctl up\` would repoint it`);
    }
  }
  const passwordless = walk.nodes.filter((n) => n.probe.reachable && n.probe.passwordless);
  if (credentials.secret && passwordless.length > 0) {
    const reachable = walk.nodes.filter((n) => n.probe.reachable);
    if (passwordless.length === reachable.length) {
      warnings.push('the nodes have no password: the file has no auth section');
      credentials = { secret: null, reference: null, source: null };
    } else {
      warnings.push(`${passwordless.map((n) => n.address).join(', ')} ${passwordless.length === 1 ? 'has' : 'have'} no password while the others do`);
    }
  }

  const sentinelNodes = view ? await chooseSentinels(view, request, reporter, warnings) : null;
  const name = request.name ?? defaultName(view, request.out);
  const draft: TopologyDraft = {
    name,
    command: request.command,
    discoveredAt: (request.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z'),
    auth: credentials.reference,
    password: credentials.reference?.kind === 'inline' ? credentials.secret : null,
    tls: request.tls,
    nodes: chosen.members.filter((m) => included.has(m.node)).map((m) => draftNode(m, nameOf)),
    sentinel:
      view && request.sentinel && sentinelNodes
        ? {
            masterName: view.masterName,
            quorum: view.quorum,
            downAfterMs: view.downAfterMs,
            failoverTimeoutMs: view.failoverTimeoutMs,
            parallelSyncs: view.parallelSyncs,
            auth: request.sentinel.credentials.reference,
            password: request.sentinel.credentials.reference?.kind === 'inline' ? request.sentinel.credentials.secret : null,
            nodes: sentinelNodes.filter((s) => s.included).map((s) => ({ host: s.host, port: s.port, reachable: s.reachable })),
          }
        : null,
  };
  const text = renderTopology(draft, request.out);
  checkWithLoader(text, request, credentials, request.sentinel?.credentials ?? null);
  const secretInFile = draft.password !== null || (draft.sentinel?.password ?? null) !== null;
  if (!request.dryRun) {
    writeDiscovered(request.out, text, { force: request.force, private: secretInFile });
    rememberCurrentTopology(request.home, request.out);
  }

  const result: DiscoverResult = {
    topology: name,
    file: request.dryRun ? null : request.out,
    written: !request.dryRun,
    master: nameOf.get(chosen.master) as string,
    auth: describeReference(credentials.reference),
    nodes: chosen.members.map((m) => nodeJson(m, nameOf.get(m.node) as string, included.has(m.node))),
    outside: chosen.outsiders.map(({ node, reason }) => ({ address: node.address, reason })),
    sentinel: view && sentinelNodes ? { masterName: view.masterName, quorum: view.quorum, nodes: sentinelNodes.map(({ address, reachable, included: kept, error }) => ({ address, reachable, included: kept, error })) } : null,
    warnings,
  };
  return { result, text };
}

/**
 * Runs `read` with the given credentials; when a node answers that it needs a password and none
 * was given, asks once (a terminal prompt) and runs it again.
 */
async function withPassword<T>(read: (credentials: Credentials) => Promise<T>, credentials: Credentials, ask: (() => Promise<Credentials>) | null): Promise<T> {
  try {
    return await read(credentials);
  } catch (error) {
    if (error instanceof NodeFailureError && error.code === 'AUTH_WRONGPASS') throw new NodeFailureError('AUTH_WRONGPASS', error.message, `check the password in ${credentials.source ?? 'the password given'}`);
    if (!(error instanceof NodeFailureError) || error.code !== 'AUTH_REQUIRED' || credentials.secret !== null) throw error;
    if (!ask) throw new NodeFailureError('AUTH_REQUIRED', error.message, 'pass --password-env VAR or --password-file FILE (or run on a terminal to be asked)');
    return read(await ask());
  }
}

async function confirmSuspended(reporter: Reporter, confirm: (question: string) => Promise<boolean>, question: string): Promise<boolean> {
  (reporter as Reporter & { suspend?: () => void }).suspend?.();
  return confirm(question);
}

async function chooseSentinels(view: SentinelView, request: DiscoverRequest, reporter: Reporter, warnings: string[]): Promise<Array<SentinelView['sentinels'][number] & { included: boolean }>> {
  const out: Array<SentinelView['sentinels'][number] & { included: boolean }> = [];
  for (const sentinel of view.sentinels) {
    if (sentinel.reachable) {
      out.push({ ...sentinel, included: true });
      continue;
    }
    const what = `sentinel ${sentinel.address} (known to sentinel ${formatAddress(request.sentinel?.address.host ?? '', request.sentinel?.address.port ?? 0)}) does not answer: ${sentinel.error}`;
    const include = request.includeUnreachable || (request.confirmUnreachable !== null && (await confirmSuspended(reporter, request.confirmUnreachable, `${what}. Write it to the file anyway?`)));
    warnings.push(`${what}; ${include ? 'written to the file' : 'left out of the file (--include-unreachable writes it)'}`);
    out.push({ ...sentinel, included: include });
  }
  const kept = out.filter((s) => s.included).length;
  if (kept < view.quorum) {
    throw new NodeFailureError('DISCOVER_SENTINELS_UNREACHABLE', `only ${kept} of ${out.length} sentinels answer, fewer than the quorum ${view.quorum}`, 'start the others, or pass --include-unreachable to write them anyway');
  }
  return out;
}

function draftNode(member: SetMember, nameOf: Map<WalkedNode, string>): DraftNode {
  const probe = member.node.probe;
  return {
    name: nameOf.get(member.node) as string,
    host: member.node.host,
    port: member.node.port,
    role: member.role,
    priority: probe.reachable ? probe.priority : null,
    version: probe.reachable ? probe.version : null,
    bundled: probe.reachable && probe.bundled,
    reachable: probe.reachable,
    chainedTo: member.chainedTo ? (nameOf.get(member.chainedTo) ?? member.chainedTo.address) : null,
  };
}

function nodeJson(member: SetMember, name: string, included: boolean): DiscoveredNode {
  const probe = member.node.probe;
  return {
    name,
    address: member.node.address,
    role: member.role,
    reachable: probe.reachable,
    included,
    follows: probe.reachable && probe.follows ? formatAddress(probe.follows.host, probe.follows.port) : null,
    linkStatus: probe.reachable ? probe.linkStatus : null,
    priority: probe.reachable ? probe.priority : null,
    version: probe.reachable ? probe.version : null,
    bundled: probe.reachable && probe.bundled,
    namedBy: member.node.namedBy,
    error: probe.reachable ? null : probe.error,
  };
}

function errorOf(probe: Probe): string {
  return probe.reachable ? 'answers' : probe.error;
}

/** The sentinels' name for the master, else the file's base name when it makes a valid name. */
function defaultName(view: SentinelView | null, out: string): string {
  if (view) return view.masterName;
  const base = out.replace(/^.*\//, '').replace(/\.(ya?ml)$/i, '');
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(base) ? base : 'discovered';
}

/**
 * The loader that every later command uses must accept the text as it is. A password the file
 * names by variable may not be set in this shell (typed at the prompt): the check stands one in.
 */
function checkWithLoader(text: string, request: DiscoverRequest, nodes: Credentials, sentinel: Credentials | null): void {
  const env: NodeJS.ProcessEnv = { ...request.env };
  for (const credentials of [nodes, sentinel]) {
    const reference = credentials?.reference;
    if (reference?.kind === 'env' && !env[reference.variable]) env[reference.variable] = 'stand-in';
  }
  try {
    parseTopology(request.out, request.out, text, env);
  } catch (error) {
    throw new Error(`discover produced a file rctl cannot load (a bug): ${(error as Error).message}`);
  }
}

/** Never over an existing file without --force: an exclusive create, else a temporary file renamed over it. */
function writeDiscovered(file: string, text: string, options: { force: boolean; private: boolean }): void {
  const mode = options.private ? 0o600 : 0o644;
  if (!options.force) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new RefusedError('DISCOVER_OUT_EXISTS', `${file} exists; discover does not overwrite it`, 'pass --force to replace it, or --out another file');
      throw new BadInputError('USAGE', `cannot write ${file}: ${code ?? (error as Error).message}`);
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const temporary = join(dirname(file), `.${file.replace(/^.*\//, '')}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

