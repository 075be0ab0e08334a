// A rename is only durable once the directory holding it is fsynced: after a power cut the old
// name could come back otherwise, e.g. a manifest still listing files a rewrite then deleted.
// Redis does the same (fsyncFileDir) after renaming a dump, a base or a manifest.

import { closeSync, fsyncSync, openSync } from 'node:fs';

export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself has happened.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
