import { Flags } from '@oclif/core';
import type { RollingJson } from '../src/cluster/rolling/types';
import { EXIT_CODES_HELP, TOPOLOGY_ARG } from './_shared/base-command';
import { ROLLING_FLAGS, RollingRunner } from './_shared/rolling-runner';

export default class UpgradeCommand extends RollingRunner {
  static override summary = 'Move launched nodes to another Redis version (or the bundled node), one at a time, with no full resync.';
  static override description = `A rolling restart (see \`rctl restart --help\`) in which every node comes back on --to: "embedded" for the bundled node, or the path of a redis-server executable (5.0 to 7.2). The version is read from the executable (--version) before anything stops. Replicas move first, then a graceful switchover to a moved replica, then the old master, as a replica on the new version. Each node's entry in the topology file gets launch (and redisServer) as soon as it runs the new version (comments and layout kept), so \`rctl up\` relaunches it on that version.

Refused before anything changes (exit 5, VERSION_CANNOT_FOLLOW) when a node's own RDB is newer than the target loads (a downgrade across RDB versions: 7.2 writes RDB 11, 7.0 and the bundled node RDB 10, 5.0 and 6.2 RDB 9; the bundled node reads up to 11). Nodes left on an older version behind a newer master are warned about: they continue with partial resyncs but could not full-sync. A node that does not start on the new version is started again as it was, and the upgrade stops (exit 4). Nodes already on the target are skipped, so a rerun finishes an interrupted upgrade.

Only nodes rctl launches; upgrade external nodes with your own tooling through \`rctl restart --exec\`.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'The plan for moving every node to another redis-server', command: '<%= config.bin %> upgrade --all --to /usr/local/bin/redis-server-7.2 --dry-run' },
    { description: 'Every node to the bundled node, on a named topology', command: '<%= config.bin %> upgrade topologies/prod.yml --all --to embedded --yes' },
    { description: 'Versions before and after, per node', command: `<%= config.bin %> upgrade --all --to embedded --yes --json | jq '.nodes[] | {name, versionBefore, versionAfter}'` },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    ...ROLLING_FLAGS,
    to: Flags.string({ description: 'embedded, or the path of the redis-server executable to move to', required: true, helpValue: 'BINARY|embedded' }),
  };

  async run(): Promise<RollingJson> {
    const { args, flags } = await this.parse(UpgradeCommand);
    return this.runRolling('upgrade', flags, { exec: null, to: flags.to, topology: args.topology });
  }
}
