// `up` step 1: launch the nodes the topology runs itself (embedded, redis-server) that are not
// running yet, and wait until each accepts connections.

import { connect } from 'node:net';
import { NodeFailureError } from '../errors';
import type { ErrorCode } from '../output/error-codes';
import type { Reporter } from '../node/reporter';
import { waitFor, WaitTimeoutError } from '../node/wait';
import type { Topology, TopologyNode } from '../topology/model';
import { writeNodeConfig } from './node-config';
import { logTail, startNodeProcess, type LaunchedProcess } from './process';
import type { NodePaths, TopologyState } from '../state/topology-state';

export interface LaunchResult {
  node: TopologyNode;
  launched: boolean;
  pid: number | null;
  paths: NodePaths;
}

export interface LaunchOptions {
  state: TopologyState;
  /** How long a started node may take to accept connections. */
  startTimeoutMs: number;
  reporter: Reporter;
  /** Launch only these nodes (by name); the others are left as they are. Default: every launched node. */
  only?: ReadonlySet<string>;
  /** Nodes (by name) to start as replicas of an address: their snapshot continues its history. */
  replicaOf?: ReadonlyMap<string, { host: string; port: number }>;
}

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(answer: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    }
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Waits until a process just started accepts connections; its exit or the timeout is a NodeFailureError with the log's tail. */
export async function awaitListening(
  target: { name: string; address: string; host: string; port: number },
  paths: NodePaths,
  child: LaunchedProcess,
  timeoutMs: number,
  codes: { failed: ErrorCode; timedOut: ErrorCode },
): Promise<void> {
  let exitedWith: string | null = null;
  void child.exited.then((why) => (exitedWith = why));
  try {
    await waitFor(
      async () => {
        if (exitedWith !== null) {
          const tail = logTail(paths);
          throw new NodeFailureError(codes.failed, `${target.name} (${target.address}) did not start: ${exitedWith}${tail ? `: ${tail}` : ''}`, `see ${paths.log}`);
        }
        return (await portAnswers(target.host, target.port, 500)) ? { done: true, value: true } : { done: false, reason: 'not accepting connections yet' };
      },
      { interval: 25, timeout: timeoutMs },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new NodeFailureError(codes.timedOut, `${target.name} (${target.address}) was started but does not accept connections after ${error.timeoutMs / 1000}s`, `see ${paths.log}`);
    }
    throw error;
  }
}

export async function launchNodes(topology: Topology, options: LaunchOptions): Promise<LaunchResult[]> {
  const launchable = topology.nodes.filter((node) => node.launch !== 'external' && (!options.only || options.only.has(node.name)));
  // Whatever already answers on the address is used as is: a node from an earlier `up`, or
  // something else that the connection step will then identify (wrong password, not Redis...).
  const answering = await Promise.all(launchable.map((node) => portAnswers(node.host, node.port, 500)));
  const toStart = launchable.filter((_, i) => !answering[i]);
  if (toStart.length > 0) options.reporter.step(`starting ${toStart.map((n) => `${n.name} (${n.launch})`).join(', ')}`);
  return Promise.all(
    launchable.map((node, i) =>
      answering[i] ? { node, launched: false, pid: null, paths: options.state.nodePaths(node.name) } : launchOne(topology, node, options),
    ),
  );
}

async function launchOne(topology: Topology, node: TopologyNode, options: LaunchOptions): Promise<LaunchResult> {
  const paths = options.state.nodePaths(node.name);
  if (node.launch === 'external') throw new Error('external nodes are never launched');
  writeNodeConfig(node, paths, topology.password, options.replicaOf?.get(node.name));
  const child = startNodeProcess(node.launch, paths, node.redisServer);
  await awaitListening(node, paths, child, options.startTimeoutMs, { failed: 'LAUNCH_FAILED', timedOut: 'LAUNCH_TIMEOUT' });
  return { node, launched: true, pid: child.pid, paths };
}
