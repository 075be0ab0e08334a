// Undo steps a test registers as it goes (stop a node, close a client, remove a directory), run
// last first after each test, whether it passed or not.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface Cleanups {
  add(step: () => unknown): void;
  /** A new directory under the system's temp dir, removed after the test. */
  tempDir(prefix: string): string;
}

/** Call at the top level of a test file: registers the afterEach that runs the steps. */
export function useCleanups(): Cleanups {
  const steps: Array<() => unknown> = [];
  afterEach(async () => {
    while (steps.length > 0) await steps.pop()?.();
  });
  return {
    add: (step) => {
      steps.push(step);
    },
    tempDir: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      steps.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
