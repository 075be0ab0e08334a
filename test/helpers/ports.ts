// Free loopback ports for test servers and benchmarks.
//
// Asking the OS for port 0 proved unsafe: it hands a just-released port out again (one CI run
// got the same port for two nodes of one set), and its ports come from the ephemeral range, where
// any outgoing connection (a replica's link, a sentinel's) may take a port a test just chose.
// So ports come from below the ephemeral range (32768-60999 on Linux), one block per vitest
// worker so parallel files never choose alike, never twice within a process, and each is
// checked free by binding it.

import { createServer } from 'node:net';

const RANGE_START = 20_000;
const RANGE_END = 32_000;
/** Enough blocks for every concurrent vitest worker, plus one for processes outside vitest. */
const BLOCKS = 6;
const BLOCK_SIZE = Math.floor((RANGE_END - RANGE_START) / BLOCKS);

function blockIndex(): number {
  const poolId = Number(process.env.VITEST_POOL_ID);
  return Number.isInteger(poolId) && poolId > 0 ? poolId % BLOCKS : 0;
}

const blockStart = RANGE_START + blockIndex() * BLOCK_SIZE;
// A worker's next file starts elsewhere in its block, away from ports a previous file's
// lingering processes may still hold.
let offset = Math.floor(Math.random() * BLOCK_SIZE);
const handedOut = new Set<number>();

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let tried = 0; tried < BLOCK_SIZE; tried++) {
    const port = blockStart + offset;
    offset = (offset + 1) % BLOCK_SIZE;
    // A whole lap later, the ports handed out first are long released.
    if (offset === 0) handedOut.clear();
    if (handedOut.has(port)) continue;
    if (await bindable(port, host)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port left in ${blockStart}-${blockStart + BLOCK_SIZE - 1} on ${host}`);
}
