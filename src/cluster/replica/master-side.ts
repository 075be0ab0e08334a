// The master's half of a full sync, for the progress line. While the master forks and writes its
// RDB (bgsave) the replica has read nothing yet: its INFO only says "sync in progress", and on a
// few-GB dataset that phase alone takes minutes. The master's INFO replication lists the replica
// as state=wait_bgsave then, so a poller beside waitForSync watches it and the reporter handed to
// waitForSync says "master writing the RDB (bgsave)" instead. Once bytes flow, waitForSync's own
// transfer bar (read of total, rate, ETA) takes over unchanged.

import { RctlError } from '../../errors';
import { NodeSession, type NodeTarget, type SessionOptions } from '../../node/node-session';
import type { Reporter } from '../../node/reporter';
import { waitFor } from '../../node/wait';
import { sameAddress } from '../../topology/model';
import type { InfoFields } from '../../node/info';

export const MASTER_WRITING_RDB = 'master writing the RDB (bgsave)';

/** The state the master reports for the replica at host:port (`slaveN:ip=…,port=…,state=…`), or null when it lists none. */
export function replicaStateOnMaster(fields: InfoFields, replica: { host: string; port: number }): string | null {
  const listed: Array<{ ip: string; port: number; state: string }> = [];
  for (const [name, value] of fields) {
    if (!/^slave\d+$/.test(name)) continue;
    const parts = new Map(value.split(',').map((part) => part.split('=') as [string, string]));
    listed.push({ ip: parts.get('ip') ?? '', port: Number(parts.get('port')), state: parts.get('state') ?? '' });
  }
  const exact = listed.find((r) => sameAddress(r.ip, r.port, replica.host, replica.port));
  if (exact) return exact.state;
  // Over loopback the master may see another source address than the one declared (127.0.0.1
  // for a node on 127.0.0.2): the listening port the replica announced still names it.
  const byPort = listed.filter((r) => r.port === replica.port);
  return byPort.length === 1 ? byPort[0].state : null;
}

/** A reporter that replaces the replica's sync-in-progress detail with the master-side phase while `writing()` holds. */
export function masterSideReporter(reporter: Reporter, replicaName: string, writing: () => boolean): Reporter {
  return {
    step: (text) => reporter.step(text),
    warn: (text) => reporter.warn(text),
    transfer: (done, total) => reporter.transfer(done, total),
    update: (text) => reporter.update(writing() && text.includes(`${replicaName}: full sync in progress`) ? `${replicaName}: ${MASTER_WRITING_RDB}` : text),
  };
}

/**
 * Runs `body` with a reporter that knows the master-side phase, polling the master's INFO
 * replication on a session of its own (waitForSync keeps its own session busy).
 */
export async function withMasterSideView<T>(
  master: NodeTarget,
  sessionOptions: SessionOptions,
  replica: { name: string; host: string; port: number },
  reporter: Reporter,
  body: (reporter: Reporter) => Promise<T>,
): Promise<T> {
  let writing = false;
  const stop = new AbortController();
  const poll = (async () => {
    let session: NodeSession | null = null;
    try {
      session = await NodeSession.open(master, sessionOptions);
      const open = session;
      await waitFor(
        async () => {
          writing = replicaStateOnMaster(await open.info('replication'), replica) === 'wait_bgsave';
          return { done: false, reason: 'watching the master' };
        },
        { interval: 250, timeout: Number.POSITIVE_INFINITY, signal: stop.signal },
      );
    } catch (error) {
      // Stopped, or the master stopped answering: the view is a nicety, waitForSync reports a dead master.
      if (!stop.signal.aborted && !(error instanceof RctlError)) throw error;
    } finally {
      session?.close();
    }
  })();
  try {
    return await body(masterSideReporter(reporter, replica.name, () => writing));
  } finally {
    stop.abort();
    await poll;
  }
}
