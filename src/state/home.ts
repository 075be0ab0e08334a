// RCTL_HOME (default ~/.rctl): per-topology node directories and the memory of the topology
// last brought up, so `rctl up FILE` followed by a bare `rctl status` works.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writePrivateFileAtomically } from './private-file';

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
  writePrivateFileAtomically(join(home, CURRENT_FILE), absoluteFile + '\n');
}
