#!/usr/bin/env node
// `rctl server` is the hot path for launched nodes: skip oclif entirely for it.
if (process.argv[2] === 'server') {
  require('../dist/server.js').runFromArgv(process.argv.slice(3));
} else {
  require('@oclif/core').execute({ dir: __dirname }).catch(require('@oclif/core/handle'));
}
