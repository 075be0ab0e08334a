import { Flags } from '@oclif/core';
import type { UpJson } from '../src/output/results';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag, TOPOLOGY_ARG } from './_shared/base-command';

export default class UpCommand extends RctlCommand {
  static override summary = 'Bring the nodes of a topology file up as one master and its replicas.';
  static override description = `Launches the nodes that need launching (launch: embedded or redis-server) under $RCTL_HOME/<topology>/<node>/, authenticates, sets requirepass and masterauth, makes each replica REPLICAOF the master (skipping replicas that already follow it), persists with CONFIG REWRITE, waits until every link is up and caught up, then prints the status table. A second run changes nothing.

A declared replica that holds keys and does not follow the master yet would lose them: up refuses (exit 5) unless you confirm on a terminal or pass --yes. The topology becomes the default of later commands.

A master that would come back empty (down, and nothing to load: no persistence) while replicas hold data, or that is already running again after a restart with its history reset or from an older snapshot (new run id, offset below what rctl recorded or below its replicas'), would make the replicas copy it and wipe themselves: up refuses (exit 5, MASTER_WOULD_RESTART_EMPTY or MASTER_RESTARTED_EMPTY) before touching them. With the master down it still launches the replicas, so \`rctl failover\` can promote one. --force carries on anyway.

With a sentinel section, up first asks the sentinels: the master a quorum of them names is the master up works with (never repointed against them). With launch: redis-sentinel it then starts redis-sentinel processes under $RCTL_HOME/<topology>/_sentinels/ (0600 configs); every sentinel is checked (SENTINEL MONITOR when it lacks the master name, SENTINEL SET for differing settings; one monitoring another address is reported, not repointed), and up waits until each sees every replica and every other sentinel.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Launch and link the set; it becomes the default of later commands', command: '<%= config.bin %> up topologies/local.yml' },
    { description: 'Accept that declared replicas holding keys lose them', command: '<%= config.bin %> up topologies/local.yml --yes' },
    { description: 'For a script: did anything change?', command: '<%= config.bin %> up topologies/local-redis-server.yml --json | jq .changed' },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'accept that declared replicas holding keys lose them', default: false }),
    force: Flags.boolean({ description: 'relaunch or keep a master that restarted empty (or would), even though its replicas then copy it and lose their data', default: false }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
    wait: secondsFlag({ description: 'how long to wait for nodes to start, load and sync', default: 60 }),
  };

  async run(): Promise<UpJson> {
    const { args, flags } = await this.parse(UpCommand);
    const { loadSelectedTopology, topologyStateOf, rememberCurrentTopology } = await import('../src/state/index');
    const { upWithSentinels } = await import('../src/cluster/sentinel/up');
    const { confirmOrDecline, isInteractive } = await import('../src/ui/confirm');
    const { renderStatusTable } = await import('../src/ui/status-table');

    const topology = await loadSelectedTopology({ argument: args.topology, flag: flags.topology });
    const state = topologyStateOf(topology);
    rememberCurrentTopology(state.home, topology.file);
    const reporter = this.reporter();
    const result = await upWithSentinels(topology, {
      state,
      timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)),
      waitMs: Math.round(flags.wait * 1000),
      reporter,
      force: flags.force,
      confirmDataLoss: (_risks, question) => {
        reporter.suspend();
        return confirmOrDecline(question, { yes: flags.yes, interactive: isInteractive() });
      },
    });
    this.finishProgress();

    if (result.changed) {
      this.log(`${topology.name}: ${result.actions.length} change${result.actions.length === 1 ? '' : 's'}`);
      for (const action of result.actions) this.log(`  ${action.node}: ${action.detail}`);
    } else {
      this.log(`${topology.name}: nothing changed, the nodes already match ${topology.displayFile}`);
    }
    this.log(renderStatusTable(result.status, this.charset()));
    process.exitCode = result.status.report.healthy ? 0 : 3;
    return {
      topology: topology.name,
      file: topology.file,
      changed: result.changed,
      actions: result.actions,
      warnings: result.warnings,
      status: result.status.report,
    };
  }
}
