// HSCAN and SSCAN on top of the shared SCAN pieces (commands/scan.ts, keyspace/scan-cursors.ts).
// Redis parses the cursor, then looks the key up (missing: empty page; WRONGTYPE), and only then
// the options, so an option error on a missing key still gets the empty page. Collections Redis
// keeps compact (listpack hashes, intsets) come back whole in one step with cursor 0, as in Redis.

import type { CommandContext } from '../context';
import type { Value } from '../keyspace/values';
import { ERR_INVALID_CURSOR } from '../errors';
import { globMatch } from '../glob';
import { parseScanCursor, scanStep } from '../keyspace/scan-cursors';
import { parseScanArguments, replyScanPage } from './scan';
import { lookupTyped, WRONGTYPE } from './util';

export interface CollectionScanSpec<T extends Map<string, string> | Set<string>> {
  is: (value: Value) => value is T;
  /** The whole content in Redis's order when Redis would return it in one step, else null. */
  compactOrder: (collection: T) => Iterable<string> | null;
  /** Hashes reply field/value pairs. */
  withValues: boolean;
}

/** HSCAN/SSCAN key cursor [MATCH pattern] [COUNT count]. */
export function collectionScan<T extends Map<string, string> | Set<string>>(client: CommandContext, args: string[], spec: CollectionScanSpec<T>): void {
  if (parseScanCursor(args[2]) === null) return client.reply.error(ERR_INVALID_CURSOR);
  const collection = lookupTyped(client, args[1], spec.is);
  if (collection === WRONGTYPE) return;
  if (!collection) return replyEmptyScan(client);
  const options = parseScanArguments(client, args, 2, false);
  if (!options) return;
  let cursor = 0n;
  let keys = spec.compactOrder(collection);
  if (!keys) {
    const step = scanStep({
      scope: client.server,
      source: collection,
      cursor: options.cursor,
      makeIterator: () => collection.keys(),
      size: collection.size,
      count: options.count,
    });
    cursor = step.cursor;
    keys = step.items;
  }
  const out: string[] = [];
  for (const key of keys) {
    if (options.pattern !== null && !globMatch(options.pattern, key)) continue;
    out.push(key);
    if (spec.withValues) out.push((collection as Map<string, string>).get(key) as string);
  }
  replyScanPage(client, cursor, out);
}

export interface CollectionScanOptions {
  count: number;
  /** null when absent or "*", which Redis treats as no filter. */
  pattern: string | null;
}

/** COUNT and MATCH from args[from] on (the cursor sits just before); TYPE is a syntax error here. */
export function parseCollectionScanOptions(client: CommandContext, args: string[], from: number): CollectionScanOptions | null {
  const parsed = parseScanArguments(client, args, from - 1, false);
  return parsed && { count: parsed.count, pattern: parsed.pattern };
}

export function replyEmptyScan(client: CommandContext): void {
  replyScanPage(client, 0n, []);
}
