// Argument parsing and replies shared by SCAN, HSCAN, SSCAN and ZSCAN (Redis's scanGenericCommand).
// The iteration itself lives in keyspace/scan-cursors.ts.

import type { CommandContext } from '../context';
import { ERR_INVALID_CURSOR, ERR_NOT_INTEGER, ERR_SYNTAX } from '../errors';
import { parseInt64 } from '../resp/numbers';
import { parseScanCursor } from '../keyspace/scan-cursors';

/** Redis's default COUNT. */
export const DEFAULT_SCAN_COUNT = 10;

export interface ScanArguments {
  cursor: bigint;
  /** Entries to visit in this call. */
  count: number;
  /** MATCH pattern, or null when absent or "*" (which matches everything). */
  pattern: string | null;
  /** TYPE filter (SCAN only), compared case-insensitively; an unknown name simply matches nothing. */
  type: string | null;
}

/**
 * Parses `<cursor> [MATCH p] [COUNT n] [TYPE t]` starting at args[cursorIndex].
 * Replies with Redis's error and returns null when invalid.
 */
export function parseScanArguments(client: CommandContext, args: string[], cursorIndex: number, allowType: boolean): ScanArguments | null {
  const cursor = parseScanCursor(args[cursorIndex]);
  if (cursor === null) {
    client.reply.error(ERR_INVALID_CURSOR);
    return null;
  }
  const parsed: ScanArguments = { cursor, count: DEFAULT_SCAN_COUNT, pattern: null, type: null };
  for (let i = cursorIndex + 1; i < args.length; i += 2) {
    const option = args[i].toLowerCase();
    const hasValue = i + 1 < args.length;
    if (option === 'count' && hasValue) {
      const count = parseInt64(args[i + 1]);
      if (count === null) {
        client.reply.error(ERR_NOT_INTEGER);
        return null;
      }
      if (count < 1) {
        client.reply.error(ERR_SYNTAX);
        return null;
      }
      parsed.count = typeof count === 'bigint' ? Infinity : count;
    } else if (option === 'match' && hasValue) {
      parsed.pattern = args[i + 1] === '*' ? null : args[i + 1];
    } else if (option === 'type' && allowType && hasValue) {
      parsed.type = args[i + 1].toLowerCase();
    } else {
      client.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  return parsed;
}

/** The two-element reply: the next cursor as a bulk string, then the elements. */
export function replyScanPage(client: CommandContext, cursor: bigint, elements: readonly string[]): void {
  client.reply.arrayHeader(2);
  client.reply.bulk(cursor.toString());
  client.reply.bulkArray(elements);
}
