// The link is cut in the middle of a MULTI/EXEC block of the replication stream: the replica has
// received MULTI and the first queued command, but not EXEC. Redis replicas only count a
// transaction's bytes as processed once EXEC ran (the master client's reploff does not move while
// it is in MULTI), so their PSYNC asks for the whole transaction again and nothing is lost.
// A replica that counted the queued commands as processed would resume after them and lose them.

import { expect } from 'vitest';
import { faultScenario } from './harness/scenario';
import { MIXED_TOPOLOGIES } from './harness/link';
import { runLinkFault } from './harness/link-fault';
import { replyLength } from '../helpers/raw-connection';

const MULTI = Buffer.from('*1\r\n$5\r\nMULTI\r\n', 'latin1');
const EXEC = Buffer.from('*1\r\n$4\r\nEXEC\r\n', 'latin1');
const CUT_WAIT_MS = 10_000;
const CUT_MS = 500;

/** Just after MULTI's first queued command (and a few bytes of the next), when EXEC comes later. */
function insideTransaction(chunk: Buffer): number {
  const multi = chunk.indexOf(MULTI);
  if (multi === -1) return -1;
  const firstQueued = multi + MULTI.length;
  const length = replyLength(chunk, firstQueued);
  if (length === null) return -1;
  const cut = firstQueued + length + 5;
  const exec = chunk.indexOf(EXEC, firstQueued);
  if (cut >= chunk.length || (exec !== -1 && exec < cut)) return -1;
  return cut;
}

faultScenario('link cut inside MULTI/EXEC', MIXED_TOPOLOGIES, async (context) => {
  const outcome = await runLinkFault(context, {
    expected: 'partial resync resending the whole transaction, data identical',
    writer: { pauseMs: 2, transactions: true },
    async inject({ proxy }) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        proxy.cutAt('toClient', insideTransaction),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no transaction went through the link')), CUT_WAIT_MS))),
      ]).finally(() => clearTimeout(timer));
      await new Promise((resolve) => setTimeout(resolve, CUT_MS));
      return { description: `link cut after MULTI and one queued command (before EXEC), ${CUT_MS} ms; MULTI/EXEC writes go on` };
    },
  });
  const { before, after, missing, differing, writer } = outcome;
  expect(writer.errors, writer.lastError).toBe(0);
  expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
  expect(after.syncFull).toBe(before.syncFull);
  expect(missing, `acknowledged writes missing (differing keys: ${differing.join(', ')})`).toEqual({ master: [], replica: [] });
  expect(differing).toEqual([]);
  expect(outcome.dumps.replica).toEqual(outcome.dumps.master);
});
