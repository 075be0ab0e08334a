// RCTL_HOME (default ~/.rctl): per-topology node directories and the memory of the topology
// last brought up, so `rctl up FILE` followed by a bare `rctl status` works.

import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const CURRENT_FILE = 'current-topology';

export function rctlHome(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.RCTL_HOME;
  return configured && configured !== '' ? resolve(configured) : join(homedir(), '.rctl');
}

/** Absolute path of the topology last brought up, or null. */
export function readCurrentTopology(home: string): string | null {
  try {
    const text = readFileSync(join(home, CURRENT_FILE), 'utf8').trim();
    return text === '' ? null : text;
  } catch {
    return null;
  }
}

export function rememberCurrentTopology(home: string, absoluteFile: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // Write-then-rename so a concurrent `rctl status` never reads half a path.
  const target = join(home, CURRENT_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, absoluteFile + '\n', { mode: 0o600 });
  renameSync(temp, target);
}
