// The one writer of rctl's records under RCTL_HOME. Records can hold a password (the topology
// cache) or decide what a failover does next (roles, switch, master), so every one is written the
// same way: a 0700 directory, a 0600 temporary file, then a rename, so a concurrent reader sees
// the old record or the new one and never half a file.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writePrivateFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

export function writePrivateJson(path: string, value: unknown, options: { pretty?: boolean } = {}): void {
  writePrivateFileAtomically(path, JSON.stringify(value, null, options.pretty ? 2 : undefined) + '\n');
}

/** Removes a record; one that is already gone is not an error. */
export function removeRecord(path: string): void {
  rmSync(path, { force: true });
}

/** A record's JSON object, or null when it is missing, unreadable or not an object: a damaged record never blocks a command. */
export function readRecordObject(path: string): Record<string, unknown> | null {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}
