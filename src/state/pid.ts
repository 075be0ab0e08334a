// Whether the process that wrote a record (a lock, a switch) is still running: a record of a dead
// rctl is stale and may be repaired or removed; one of a live rctl is that rctl's own business.

import { existsSync, readFileSync } from 'node:fs';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A detached node outlives the rctl that started it; once it exits it may stay a zombie until
  // init reaps it, and kill(pid, 0) still succeeds on a zombie.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
}
