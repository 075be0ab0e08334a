// Repairs what a failover interrupted mid-switch (rctl killed, machine lost) leaves on the old
// master: writes paused until the pause deadline, and the replication PING period raised to its
// maximum (its replicas would then time out whenever there are no writes). The lock file of the
// dead rctl says which node and which period to restore.

import { existsSync, unlinkSync } from 'node:fs';
import type { Topology } from '../../topology/model';
import { processAlive } from '../../launch/process';
import { NodeSession } from '../node-session';
import { lockPath, readHolder } from './lock';
import { SWITCH_PING_PERIOD } from './execute';

/** Undoes the pause and the PING period of an interrupted failover; returns true when it repaired one. */
export async function repairInterruptedFailover(topology: Topology, home: string, timeoutMs: number, warn: (text: string) => void): Promise<boolean> {
  const path = lockPath(home, topology.name);
  if (!existsSync(path)) return false;
  const holder = readHolder(path);
  if (!holder || processAlive(holder.pid) || !holder.pausedMaster) return false;
  const paused = holder.pausedMaster;
  const address = `${paused.host}:${paused.port}`;
  let session: NodeSession | null = null;
  try {
    session = await NodeSession.open(
      { name: paused.name || address, host: paused.host, port: paused.port, address, tls: topology.tls },
      { password: topology.password, passwordSource: topology.passwordSource, timeoutMs },
    );
    await session.expect(['CLIENT', 'UNPAUSE'], 'CLIENT UNPAUSE');
    if ((await session.configGet('repl-ping-replica-period')) === SWITCH_PING_PERIOD) {
      await session.expect(['CONFIG', 'SET', 'repl-ping-replica-period', paused.pingPeriod], 'CONFIG SET repl-ping-replica-period');
    }
    warn(`repaired an interrupted failover (pid ${holder.pid}, started ${holder.startedAt}): writes resumed on ${paused.name || address} and its repl-ping-replica-period restored to ${paused.pingPeriod}`);
    unlinkSync(path);
    return true;
  } catch (error) {
    warn(`an interrupted failover (pid ${holder.pid}) left ${paused.name || address} possibly paused, and it could not be reached to repair it: ${(error as Error).message}`);
    return false;
  } finally {
    session?.close();
  }
}
