// The write rate of a master, from its replication offset (master_repl_offset counts every byte
// of the replication stream) read twice, `sampleMs` apart. The two readings must share a
// replication ID: a failover or restart in between makes the difference meaningless.

import { intField } from '../../node/info';
import type { NodeSession } from '../../node/node-session';
import { sleep } from '../../node/wait';
import type { WriteRate } from './model';

interface OffsetReading {
  replid: string | null;
  offset: number;
  atMs: number;
}

async function readOffset(session: NodeSession): Promise<OffsetReading | null> {
  const info = await session.info('replication');
  const offset = intField(info, 'master_repl_offset');
  if (info.get('role') !== 'master' || offset === null) return null;
  // The clock is read when the reply arrived: the interval is the one the offsets span.
  return { replid: info.get('master_replid') ?? null, offset, atMs: performance.now() };
}

export async function sampleWriteRate(name: string, session: NodeSession, sampleMs: number): Promise<WriteRate | null> {
  const first = await readOffset(session);
  if (!first) return null;
  await sleep(sampleMs);
  const second = await readOffset(session);
  if (!second || second.replid !== first.replid) return null;
  const elapsedMs = second.atMs - first.atMs;
  if (elapsedMs <= 0) return null;
  const bytesPerSecond = Math.max(0, second.offset - first.offset) / (elapsedMs / 1000);
  return { node: name, bytesPerSecond: Math.round(bytesPerSecond * 10) / 10, sampleMs: Math.round(elapsedMs) };
}
