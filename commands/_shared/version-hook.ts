// oclif's `finally` hook: after oclif has printed `rctl --version` (rctl/X.Y.Z platform node-vNN),
// a second line names the Redis version the bundled node answers as. A `finally` hook because it
// runs after oclif's own version line (an `init` hook would print before it), and it works under
// the explicit command strategy: hooks are listed in package.json, not discovered.

import type { Hook } from '@oclif/core';
import { RCTL_NODE_VERSION, REDIS_COMPAT_VERSION } from '../../src/server/version';

export function bundledNodeVersionLine(): string {
  return `bundled node: Redis ${REDIS_COMPAT_VERSION} compatible (rctl node ${RCTL_NODE_VERSION}; \`rctl server --version\`)`;
}

const versionHook: Hook<'finally'> = async function (options) {
  if (options.Command === undefined && options.id === '--version' && options.error === undefined) {
    process.stdout.write(bundledNodeVersionLine() + '\n');
  }
};

export default versionHook;
