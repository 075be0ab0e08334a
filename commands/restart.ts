import { Flags } from '@oclif/core';
import type { RollingJson } from '../src/cluster/rolling/types';
import { EXIT_CODES_HELP, TOPOLOGY_ARG } from './_shared/base-command';
import { ROLLING_FLAGS, RollingRunner } from './_shared/rolling-runner';

export default class RestartCommand extends RollingRunner {
  static override summary = 'Restart nodes one at a time, each back with a partial resync and no acknowledged write lost.';
  static override description = `A rolling restart for a config change or a kernel patch. Replicas first, one at a time; then a graceful switchover to a replica that is already done (through the sentinels on a Sentinel-managed set: writes paused only while the new master catches up); then the old master, restarted as a replica of the new one.

Each node comes back with its dataset and its replication ID and offset, so its master takes it back with a partial resync: launched nodes are stopped with SHUTDOWN SAVE; before the --exec command of an external node, rctl runs BGSAVE when a stop by signal would save nothing (save "", or 7.0's shutdown-on-sigterm nosave). A node with appendonly yes would load its AOF, which carries no replication ID: a launched one is started once with --appendonly no on the RDB SHUTDOWN SAVE wrote, then gets CONFIG SET appendonly yes (its AOF rebuilt; rctl waits for the rewrite); an external one is refused (exit 5, FULL_RESYNC_EXPECTED) unless --allow-full-resync.

rctl waits for each node's link and catch-up before the next one, and checks its master's sync counters: a full resync, a node not back within --timeout, or a failing --exec command stops the operation with the set healthy (exit 4), what was done, and the exact command that finishes it. A killed rctl leaves $RCTL_HOME/<topology>/rolling.json: \`rctl status\` reports it, and the rerun skips the nodes already done.

--exec 'COMMAND' restarts the nodes rctl did not launch: a template run with sh once per node, with {name}, {host} and {port} filled in (quoted for sh where needed); rctl orchestrates and verifies, the command does the restart.

--json prints {kind, dryRun, masterBefore, masterAfter, target, plan, nodes: [{name, resync, downMs, ms, versionBefore, versionAfter}], switchover, fullResyncs, partialResyncs, writesPausedMs, durationMs, warnings}.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'The plan: order, switchover, expected resyncs', command: '<%= config.bin %> restart --all --dry-run' },
    { description: 'One replica', command: '<%= config.bin %> restart topologies/prod.yml --node replica1 --yes' },
    { description: 'Nodes rctl did not launch', command: `<%= config.bin %> restart --all --exec 'ssh {host} sudo systemctl restart redis-server' --yes` },
    { description: 'Check that nothing needed a full resync', command: `<%= config.bin %> restart --all --yes --json | jq '{fullResyncs, writesPausedMs}'` },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    ...ROLLING_FLAGS,
    exec: Flags.string({ description: 'the command that restarts one node rctl did not launch ({name}, {host}, {port} filled in)', helpValue: "'COMMAND'" }),
  };

  async run(): Promise<RollingJson> {
    const { args, flags } = await this.parse(RestartCommand);
    return this.runRolling('restart', flags, { exec: flags.exec ?? null, to: null, topology: args.topology });
  }
}
