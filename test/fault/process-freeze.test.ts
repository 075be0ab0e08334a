// A node process frozen with SIGSTOP (a stuck VM, a debugger, swap storm) for longer than
// repl-timeout, then resumed with SIGCONT. The side still running must time the link out by
// itself; after SIGCONT the replica continues with a partial resync and nothing acknowledged is
// lost. (What `rctl status` shows meanwhile, and the forced failover, are rctl-level scenarios.)

import { expect } from 'vitest';
import { faultScenario, type ScenarioContext } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault } from './harness/link-fault';
import { waitForLog } from './harness/logs';

const REPL_TIMEOUT_S = 2;
const MASTER_DETECTS = /Disconnecting timedout replica \(streaming sync\): 127\.0\.0\.1:\d+/;
const REPLICA_DETECTS = 'MASTER timeout: no data nor PING received...';

async function freeze(context: ScenarioContext, frozen: 'master' | 'replica'): Promise<void> {
  let detectedAfter = 0;
  const outcome = await runLinkFault(context, {
    expected: `the ${frozen === 'master' ? 'replica' : 'master'} times out the link; partial resync after SIGCONT, data identical`,
    pair: {
      master: { 'repl-timeout': String(REPL_TIMEOUT_S), 'repl-ping-replica-period': '1' },
      replica: { 'repl-timeout': String(REPL_TIMEOUT_S) },
    },
    writer: { pauseMs: 5 },
    async inject({ master, replica }) {
      const [stopped, watcher] = frozen === 'master' ? [master, replica] : [replica, master];
      const mark = watcher.logMark();
      const started = Date.now();
      stopped.signal('SIGSTOP');
      try {
        detectedAfter = await waitForLog(watcher, mark, frozen === 'master' ? REPLICA_DETECTS : MASTER_DETECTS, started);
      } finally {
        // A frozen master also holds the writer's pending reply: it resumes before the writer stops.
        if (frozen === 'master') stopped.signal('SIGCONT');
      }
      const description = `${frozen} SIGSTOP ${((Date.now() - started) / 1000).toFixed(1)} s, then SIGCONT; repl-timeout ${REPL_TIMEOUT_S} s`;
      return frozen === 'master' ? { description, end: async () => {} } : { description, end: async () => stopped.signal('SIGCONT') };
    },
  });
  const { before, after, missing, differing, writer } = outcome;
  context.row.observed = `${frozen === 'master' ? 'replica' : 'master'} timed out after ${(detectedAfter / 1000).toFixed(1)} s; ${context.row.observed}`;
  context.save();
  expect(writer.errors, writer.lastError).toBe(0);
  expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
  expect(after.syncFull).toBe(before.syncFull);
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
}

faultScenario('replica frozen (SIGSTOP)', MIXED_TOPOLOGIES, (context) => freeze(context, 'replica'));
faultScenario('master frozen (SIGSTOP)', MIXED_TOPOLOGIES, (context) => freeze(context, 'master'));
