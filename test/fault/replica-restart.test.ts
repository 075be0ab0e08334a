// Issue 7, scenario 5: a replica restarted with persistence continues with a partial resync.
// Two ways down: a clean SHUTDOWN with save points (the RDB holds the master's replication ID and
// offset), and kill -9 some time after a BGSAVE taken under load (the RDB's offset must match
// the data in it exactly, or the counter and the list replayed twice would show it).
// The replica restarts from its own config file, which carries `replicaof`.

import { expect } from 'vitest';
import { faultScenario, type ScenarioContext } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault } from './harness/link-fault';
import type { FaultNode } from './harness/nodes';

const DOWNTIME_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** BGSAVE and wait for it to finish successfully. */
async function backgroundSave(node: FaultNode): Promise<void> {
  const before = Number((await node.info('persistence')).rdb_last_save_time);
  await node.command('BGSAVE');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const p = await node.info('persistence');
    if (p.rdb_bgsave_in_progress === '0' && Number(p.rdb_last_save_time) >= before && p.rdb_last_bgsave_status === 'ok' && Number(p.rdb_changes_since_last_save) >= 0) {
      if (p.rdb_last_save_time !== String(before) || Date.now() > deadline - 9000) return;
    }
    if (Date.now() > deadline) throw new Error(`BGSAVE did not finish: ${JSON.stringify(p)}`);
    await sleep(20);
  }
}

async function expectPartialRestart(context: ScenarioContext, how: 'shutdown' | 'kill'): Promise<void> {
  const outcome = await runLinkFault(context, {
    expected: 'partial resync after restart, data identical',
    pair: { replica: { save: '3600 1' } },
    writer: { pauseMs: 2 },
    async inject({ replica }) {
      if (how === 'shutdown') {
        await replica.shutdown();
      } else {
        await backgroundSave(replica);
        // Writes after the snapshot: the restarted replica must fetch them from the backlog.
        await sleep(300);
        await replica.kill('SIGKILL');
      }
      await sleep(DOWNTIME_MS);
      return {
        description: how === 'shutdown' ? `replica SHUTDOWN (save points), down ${DOWNTIME_MS / 1000} s, restarted` : `replica kill -9 300 ms after a BGSAVE, down ${DOWNTIME_MS / 1000} s, restarted`,
        end: () => replica.restart(),
      };
    },
  });
  const { before, after, missing, differing, writer, logs } = outcome;
  expect(writer.errors, writer.lastError).toBe(0);
  expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
  expect(after.syncFull).toBe(before.syncFull);
  expect(logs.replica).toContain('Successful partial resynchronization with master.');
  expect(missing).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
}

faultScenario('replica restart (SHUTDOWN)', MIXED_TOPOLOGIES, (context) => expectPartialRestart(context, 'shutdown'));
faultScenario('replica kill -9 after BGSAVE', MIXED_TOPOLOGIES, (context) => expectPartialRestart(context, 'kill'));
