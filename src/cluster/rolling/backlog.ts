// A restarted node resumes with a partial resync only if its master's backlog still holds every
// write since its snapshot: stop, start, load, PSYNC. Redis's default 1mb backlog lasts well
// under a second at a few MB/s of writes (a measured full resync on the first replica made this
// plain), so for the length of the operation every node's repl-backlog-size is raised to cover
// RESTART_WINDOW_S at the write rate measured on the master, and put back at the end. Every
// node, because each may be the master a restarted one returns to after the switchover; and
// again on each node after its own restart, which brings back the value in its config file.

import { RctlError } from '../../errors';
import { formatBytes, formatRate } from '../../formats/bytes';
import { NodeSession } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import type { BacklogOriginal } from '../../state/rolling-record';
import type { TopologyState } from '../../state/topology-state';
import type { Topology, TopologyNode } from '../../topology/model';
import { sampleWriteRate } from '../check/write-rate';
import { persistConfig } from '../persist-config';

/** How long a node may be away from its master's stream: stop, start, load, relink. */
export const RESTART_WINDOW_S = 30;
/** The most rctl raises a backlog to on its own: beyond this the operator should decide. */
export const MAX_BACKLOG_BYTES = 512 * 1024 * 1024;
const SAMPLE_MS = 1000;
const MB = 1024 * 1024;

export interface BacklogGuard {
  /** Measured on the master, bytes per second. */
  writeRate: number;
  /** The size every node runs with during the operation, or null when no node needed a change. */
  raisedTo: number | null;
  /** What each node had before; put back at the end. */
  originals: BacklogOriginal[];
}

/** A session that knows the node's version, which CONFIG SET needs to pick its form. */
async function open(topology: Topology, node: TopologyNode, timeoutMs: number): Promise<NodeSession> {
  const session = await NodeSession.open(node, { password: topology.password, passwordSource: topology.passwordSource, timeoutMs });
  try {
    await session.capabilities();
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}

async function backlogOf(session: NodeSession): Promise<number> {
  return Number(await session.configGet('repl-backlog-size')) || MB;
}

/**
 * Measures the write rate and raises every node's backlog that is smaller than what the window
 * needs. `recorded` are the originals an interrupted run saved: they, not the raised values the
 * nodes still carry, are what gets put back.
 */
export async function raiseBacklogs(topology: Topology, master: TopologyNode, recorded: BacklogOriginal[], options: { connectTimeoutMs: number; reporter: Reporter }): Promise<BacklogGuard> {
  const masterSession = await open(topology, master, options.connectTimeoutMs);
  let writeRate = 0;
  try {
    writeRate = (await sampleWriteRate(master.name, masterSession, SAMPLE_MS))?.bytesPerSecond ?? 0;
  } finally {
    masterSession.close();
  }
  const needed = Math.min(MAX_BACKLOG_BYTES, Math.ceil((writeRate * RESTART_WINDOW_S) / MB) * MB);
  if (writeRate * RESTART_WINDOW_S > MAX_BACKLOG_BYTES) {
    options.reporter.warn(`writes at ${formatRate(writeRate)} would need a ${formatBytes(writeRate * RESTART_WINDOW_S)} backlog to cover a ${RESTART_WINDOW_S} s restart; rctl raises it to ${formatBytes(MAX_BACKLOG_BYTES)} at most: a slower restart may need a full resync`);
  }
  const originals: BacklogOriginal[] = [];
  await Promise.all(
    topology.nodes.map(async (node) => {
      const session = await open(topology, node, options.connectTimeoutMs);
      try {
        const current = await backlogOf(session);
        const original = recorded.find((r) => r.node === node.name)?.bytes ?? current;
        if (current < needed) await session.configSet([['repl-backlog-size', String(needed)]]);
        if (current < needed || original !== current) originals.push({ node: node.name, bytes: original });
      } finally {
        session.close();
      }
    }),
  );
  const raised = originals.length > 0 ? needed : null;
  if (raised !== null) options.reporter.update(`repl-backlog-size ${formatBytes(raised)} on every node for the operation (writes at ${formatRate(writeRate)})`);
  return { writeRate, raisedTo: raised, originals };
}

/** A node just restarted came back with its config file's backlog: raised again. */
export async function reapplyBacklog(topology: Topology, node: TopologyNode, guard: BacklogGuard, connectTimeoutMs: number): Promise<void> {
  if (guard.raisedTo === null) return;
  const session = await open(topology, node, connectTimeoutMs);
  try {
    if ((await backlogOf(session)) < guard.raisedTo) await session.configSet([['repl-backlog-size', String(guard.raisedTo)]]);
  } finally {
    session.close();
  }
}

/** Puts every original back (and into the config files the switchover rewrote). Failures are warnings: the data is safe either way. */
export async function restoreBacklogs(topology: Topology, guard: BacklogGuard, state: TopologyState, options: { connectTimeoutMs: number; reporter: Reporter }): Promise<void> {
  await Promise.all(
    guard.originals.map(async ({ node: name, bytes }) => {
      const node = topology.nodes.find((n) => n.name === name);
      if (!node) return;
      try {
        const session = await open(topology, node, options.connectTimeoutMs);
        try {
          await session.configSet([['repl-backlog-size', String(bytes)]]);
          const persisted = await persistConfig(topology, node, session, state);
          if (persisted !== true) options.reporter.warn(persisted);
        } finally {
          session.close();
        }
      } catch (error) {
        if (!(error instanceof RctlError)) throw error;
        options.reporter.warn(`${name}: repl-backlog-size could not be put back to ${formatBytes(bytes)} (${error.message})`);
      }
    }),
  );
}
