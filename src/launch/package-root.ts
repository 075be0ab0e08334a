// The rctl package root, from which a launched bundled node runs `bin/rctl.js server`.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cachedRoot: string | null = null;

/** The rctl package root (holds bin/rctl.js), from the bundle in dist/ or the sources in src/launch/. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'bin', 'rctl.js')) && existsSync(join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find the rctl package root above ${__dirname}`);
}

export function rctlBinary(): string {
  return join(packageRoot(), 'bin', 'rctl.js');
}
