import { Flags } from '@oclif/core';
import type { StatusReport } from '../src/cluster/status';
import { BadInputError } from '../src/errors';
import { defaultWatchValue } from '../src/ui/argv';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag, TOPOLOGY_ARG } from './_shared/base-command';

export default class StatusCommand extends RctlCommand {
  static override summary = "Show every node's role, link, offset, lag, keys and health.";
  static override description = `Queries all nodes in parallel, each with a connect and reply timeout, and flags drift from the topology file: a declared replica that is a master, two masters, a replica following the wrong node, an unreachable node, a Redis version before 5.0. Exits 0 when healthy, 3 when degraded.

On a Sentinel-managed set (a sentinel section) every sentinel is asked too (GET-MASTER-ADDR-BY-NAME, SENTINEL MASTER, CKQUORUM): the nodes are judged against the master a quorum of sentinels names, a second table shows each sentinel's view, and sentinels that disagree, monitor a wrong address, see the master down or cannot reach their quorum make the set degraded.

--json prints {topology, master, healthy, nodes: [{name, address, reachable, role, linkStatus, master, offset, lagBytes, keys, connectedReplicas, replid, replid2, version, error}]}, plus sentinel: {masterName, master, quorum, agreeing, error, sentinels: [{name, address, reachable, master, flags, epoch, otherSentinels, replicas, quorumReachable, error}]} on a Sentinel-managed set.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'The set of the topology last brought up (or $RCTL_TOPOLOGY)', command: '<%= config.bin %> status' },
    { description: 'A named topology file', command: '<%= config.bin %> status topologies/prod.yml' },
    { description: 'Lag of every replica, for a script or a dashboard', command: `<%= config.bin %> status --json | jq '.nodes[] | select(.role=="replica") | {name, lagBytes}'` },
    { description: 'Exit code only: 0 healthy, 3 degraded', command: '<%= config.bin %> status topologies/prod.yml > /dev/null || echo degraded' },
    { description: 'Watch while something else runs', command: '<%= config.bin %> status --watch 5' },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    watch: Flags.string({ char: 'w', description: 'redraw every SECONDS (default 2) until interrupted', helpValue: '[SECONDS]' }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
  };

  async run(): Promise<StatusReport> {
    const { args, flags } = await this.parse(StatusCommand, defaultWatchValue(this.argv));
    const { loadSelectedTopology, topologyStateOf } = await import('../src/state/index');
    const { observeStatus } = await import('../src/cluster/sentinel/status');
    const { renderStatusTable } = await import('../src/ui/status-table');

    const topology = await loadSelectedTopology({ argument: args.topology, flag: flags.topology });
    const timeoutMs = Math.max(1, Math.round(flags.timeout * 1000));
    const state = topologyStateOf(topology);
    const snapshot = () => observeStatus(topology, { timeoutMs, state });

    if (flags.watch === undefined) {
      const view = await snapshot();
      this.log(renderStatusTable(view, this.charset()));
      process.exitCode = view.report.healthy ? 0 : 3;
      return view.report;
    }

    if (this.jsonEnabled()) throw new BadInputError('USAGE', '--watch redraws a table and cannot be combined with --json', 'poll `rctl status --json` instead');
    const intervalSeconds = Number(flags.watch);
    if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) throw new BadInputError('USAGE', `--watch expects a number of seconds, got "${flags.watch}"`);
    const { sleep } = await import('../src/node/wait');
    const stop = new AbortController();
    const onInterrupt = () => stop.abort();
    process.once('SIGINT', onInterrupt);
    let view = await snapshot();
    try {
      for (;;) {
        const screen = renderStatusTable(view, this.charset());
        const footer = `every ${intervalSeconds}s, ${new Date().toLocaleTimeString()}; Ctrl-C to stop`;
        // Redraw in place on a terminal; a log gets one table after another.
        if (this.animated(process.stdout)) process.stdout.write(`\x1b[H\x1b[2J${screen}\n${footer}\n`);
        else this.log(`${screen}\n${footer}\n`);
        await sleep(intervalSeconds * 1000, stop.signal);
        if (stop.signal.aborted) break;
        view = await snapshot();
      }
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
    process.exitCode = view.report.healthy ? 0 : 3;
    return view.report;
  }
}
