// Where a launched node keeps its files: RCTL_HOME/<topology>/<node>/.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface NodePaths {
  /** RCTL_HOME/<topology>/<node>, mode 0700: it holds the password in node.conf. */
  dir: string;
  dataDir: string;
  config: string;
  log: string;
  pid: string;
}

export function topologyDir(home: string, topologyName: string): string {
  return join(home, topologyName);
}

export function nodePaths(home: string, topologyName: string, nodeName: string): NodePaths {
  const dir = join(topologyDir(home, topologyName), nodeName);
  return { dir, dataDir: join(dir, 'data'), config: join(dir, 'node.conf'), log: join(dir, 'node.log'), pid: join(dir, 'node.pid') };
}

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
