#!/usr/bin/env node
// `rctl server` (launched nodes), `rctl status` (polled by scripts) and `rctl completion nodes` (run
// on TAB) skip oclif's start-up cost; the last two hand anything they do not handle (help, watch,
// bad flags, an uncached topology) back to oclif.
const argv = process.argv.slice(2);
const oclif = () => require('@oclif/core').execute({ dir: __dirname }).catch(require('@oclif/core/handle'));
if (argv[0] === 'server' && !argv.includes('--help') && !argv.includes('-h') && !argv.includes('--json')) {
  require('../dist/server.js').runFromArgv(argv.slice(1));
} else if (argv[0] === 'status') {
  require('../dist/status.js')
    .runStatusFast(argv.slice(1), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), stdoutIsTTY: Boolean(process.stdout.isTTY) })
    .then((code) => (code === null ? oclif() : (process.exitCode = code)));
} else if (argv[0] === 'completion' && argv[1] === 'nodes' && !argv.includes('--help')) {
  const names = require('../dist/nodes-fast.js').nodeNamesFast(argv.slice(2), process.env);
  if (names === null) oclif();
  else process.stdout.write(names);
} else {
  oclif();
}
