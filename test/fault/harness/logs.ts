// Waiting for a node to log something: the way a scenario learns that a side detected a fault.

import type { FaultNode } from './nodes';

/** Resolves with the ms elapsed since `since` once the node's log after `mark` matches. */
export async function waitForLog(node: FaultNode, mark: number, pattern: RegExp | string, since: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const matches = () => (typeof pattern === 'string' ? node.logSince(mark).includes(pattern) : pattern.test(node.logSince(mark)));
  while (!matches()) {
    if (Date.now() > deadline) throw new Error(`${node.label} did not log ${pattern} within ${timeoutMs} ms; it logged:\n${node.logSince(mark).slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - since;
}
