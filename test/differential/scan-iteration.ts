// Full HSCAN/SSCAN iterations on a real redis-server and on the bundled node. Page boundaries and
// order of large collections are Redis implementation details, so the comparison is on what a
// whole iteration returns, and on SCAN's guarantee: every element present from start to end of
// the iteration is returned, even while other elements are added and removed between pages.

import { expect, it } from 'vitest';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import { splitAggregate, realAndBundledPair } from '../helpers/differential';

function decodeBulk(raw: string): string {
  const lineEnd = raw.indexOf('\r\n');
  return raw.slice(lineEnd + 2, raw.length - 2);
}

/** Decodes a SCAN-family reply into its cursor and elements. */
function decodeScanPage(reply: Buffer): { cursor: string; elements: string[] } {
  const [cursorRaw, listRaw] = splitAggregate(reply).elements;
  const list = splitAggregate(Buffer.from(listRaw, 'latin1'));
  return { cursor: decodeBulk(cursorRaw), elements: list.elements.map(decodeBulk) };
}

export interface ScanIterationCase {
  name: string;
  setup: string[][];
  /** The scan command without its cursor: [name, key, ...options after the cursor]. */
  scan: [string, string, ...string[]];
  /** Commands run between pages, by page number (they must not touch `stable` elements). */
  betweenPages?: (page: number) => string[][];
  /** Elements that stay in the collection for the whole iteration (all must be returned). */
  stable: string[];
  /** HSCAN returns field/value pairs: only fields are collected. */
  pairs?: boolean;
}

async function iterate(conn: RawConnection, testCase: ScanIterationCase): Promise<{ seen: Set<string>; pages: number }> {
  const [name, key, ...options] = testCase.scan;
  const seen = new Set<string>();
  let cursor = '0';
  let pages = 0;
  do {
    conn.send([name, key, cursor, ...options]);
    const page = decodeScanPage(await conn.readReply());
    cursor = page.cursor;
    const step = testCase.pairs ? 2 : 1;
    for (let i = 0; i < page.elements.length; i += step) seen.add(page.elements[i]);
    pages++;
    for (const command of testCase.betweenPages?.(pages) ?? []) await conn.command(command);
    if (pages > 10_000) throw new Error('scan did not terminate');
  } while (cursor !== '0');
  return { seen, pages };
}

export function describeScanIterations(group: string, cases: ScanIterationCase[]): void {
  describeWithRedis(`full scans: ${group}`, () => {
    const servers = realAndBundledPair();

    for (const testCase of cases) {
      it(testCase.name, async () => {
        const [real, ours] = await Promise.all([RawConnection.open(servers.redis.host, servers.redis.port), RawConnection.open(servers.node.host, servers.node.port)]);
        try {
          for (const conn of [real, ours]) {
            await conn.command(['FLUSHALL']);
            for (const command of testCase.setup) await conn.command(command);
          }
          const [fromRedis, fromNode] = [await iterate(real, testCase), await iterate(ours, testCase)];
          for (const result of [fromRedis, fromNode]) {
            for (const element of testCase.stable) expect(result.seen.has(element), `element ${element} returned`).toBe(true);
          }
          // Both page (or both answer at once) the same collection.
          expect(fromNode.pages > 1).toBe(fromRedis.pages > 1);
          if (!testCase.betweenPages) expect([...fromNode.seen].sort()).toEqual([...fromRedis.seen].sort());
        } finally {
          real.close();
          ours.close();
        }
      });
    }
  });
}
