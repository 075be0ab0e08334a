import { Flags } from '@oclif/core';
import type { DownJson } from '../src/output/results';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag, TOPOLOGY_ARG } from './_shared/base-command';

export default class DownCommand extends RctlCommand {
  static override summary = 'Stop the nodes rctl launched for a topology; keep their data unless --purge.';
  static override description = `Stops the nodes with launch: embedded or redis-server: SHUTDOWN (the node saves and exits), then SIGTERM and finally SIGKILL if it does not exit within --timeout. Nodes with launch: external are left alone. On a Sentinel-managed set the sentinels rctl launched (launch: redis-sentinel) are stopped first (SIGTERM, then SIGKILL), so they do not fail over while the master stops. --purge also deletes their directories under $RCTL_HOME (data, config, log), after confirmation on a terminal or with --yes.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Stop the nodes of the current set; data kept', command: '<%= config.bin %> down' },
    { description: 'Stop and delete data, config and logs', command: '<%= config.bin %> down topologies/local.yml --purge --yes' },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    purge: Flags.boolean({ description: 'also delete the data, config and log of the stopped nodes', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'confirm --purge without asking', default: false }),
    timeout: secondsFlag({ description: 'how long to wait for a node to exit before the next signal', default: 10 }),
  };

  async run(): Promise<DownJson> {
    const { args, flags } = await this.parse(DownCommand);
    const { loadSelectedTopology, topologyStateOf } = await import('../src/state/index');
    const { stopTopology } = await import('../src/launch/stop');
    const { stopSentinels } = await import('../src/launch/sentinel');
    const { confirmOrRequireYes, isInteractive } = await import('../src/ui/confirm');
    const { renderStopTable } = await import('../src/ui/stop-table');
    const { RefusedError } = await import('../src/errors');

    const topology = await loadSelectedTopology({ argument: args.topology, flag: flags.topology });
    const state = topologyStateOf(topology);
    if (flags.purge) {
      const confirmed = await confirmOrRequireYes(
        'down --purge',
        `Delete the data, config and logs of ${topology.name}'s launched nodes under ${state.home}?`,
        { yes: flags.yes, interactive: isInteractive() },
      );
      if (!confirmed) throw new RefusedError('PURGE_DECLINED', 'purge declined: nothing was stopped or deleted');
    }
    const timeoutMs = Math.max(1, Math.round(flags.timeout * 1000));
    // The sentinels first: with them running, stopping the master would start a failover.
    const sentinels = topology.sentinel ? await stopSentinels(topology.sentinel, { state, graceMs: timeoutMs, purge: flags.purge }) : null;
    const nodes = await stopTopology(topology, { state, timeoutMs: Math.min(timeoutMs, 2000), graceMs: timeoutMs, purge: flags.purge, reporter: this.reporter() });
    this.finishProgress();
    if (sentinels) this.log(renderStopTable(sentinels, this.charset()));
    this.log(renderStopTable(nodes, this.charset()));
    return { topology: topology.name, file: topology.file, nodes, ...(sentinels ? { sentinels } : {}) };
  }
}
