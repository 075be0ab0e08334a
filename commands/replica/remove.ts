import { Args, Flags } from '@oclif/core';
import type { ReplicaRemoveResult } from '../../src/cluster/replica/remove';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag } from '../_shared/base-command';

export default class ReplicaRemoveCommand extends RctlCommand {
  static override summary = 'Detach a replica, stop it if rctl launched it, and remove it from the topology file.';
  static override description = `Refuses (exit 5) to remove the current master (fail over first) and the last failover candidate (a replica with priority > 0 that follows the master) unless confirmed on a terminal or --yes.

A node rctl launched is stopped as \`rctl down\` stops it (SHUTDOWN, then SIGTERM, then SIGKILL); its files under $RCTL_HOME stay. A node that keeps running (launch: external, or --keep-running) is never made a writable master: its writes are fenced first (CONFIG SET min-replicas-to-write 2147483647: every write gets -NOREPLICAS), then REPLICAOF NO ONE, persisted with CONFIG REWRITE. It keeps all its keys; CONFIG SET min-replicas-to-write 0 lifts the fence. Nothing is ever flushed.

Then rctl waits until the master no longer lists it and, on a Sentinel-managed set, sends SENTINEL RESET to every sentinel and waits until they relearn the other replicas and each other. Only then is the entry removed from the topology file (comments and layout kept; validated; written atomically) and rctl's records updated, so an interrupted remove leaves the node declared, shown by \`rctl status\`, and finished by the same command again.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Detach and stop a replica', command: '<%= config.bin %> replica remove replica3' },
    { description: 'Keep it running, fenced and detached, on a named topology', command: '<%= config.bin %> replica remove topologies/prod.yml cache2 --keep-running --json' },
  ];

  static override usage = 'replica remove [TOPOLOGY.yml] NAME [FLAGS]';

  static override args = {
    name: Args.string({ name: 'NAME', description: 'the replica to remove', required: true }),
  };

  static override flags = {
    'keep-running': Flags.boolean({ description: 'do not stop a launched node: fence and detach it like an external one', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'remove the last failover candidate without asking', default: false }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node; also how long a launched node may take to exit before the next signal', default: 10 }),
    wait: secondsFlag({ description: 'how long to wait for the master and the sentinels to forget the node', default: 60 }),
  };

  async run(): Promise<ReplicaRemoveResult> {
    const leading = this.leadingTopology();
    const { args, flags } = await this.parse(ReplicaRemoveCommand, leading.argv);
    const { loadSelectedTopology, topologyStateOf } = await import('../../src/state/index');
    const { removeReplica } = await import('../../src/cluster/replica/remove');
    const { confirmOrDecline, isInteractive } = await import('../../src/ui/confirm');
    const { renderStatusTable } = await import('../../src/ui/status-table');

    const topology = await loadSelectedTopology({ argument: leading.file, flag: flags.topology });
    const reporter = this.reporter();
    const timeoutMs = Math.max(1, Math.round(flags.timeout * 1000));
    const { result, view } = await removeReplica(topology, args.name, {
      state: topologyStateOf(topology),
      timeoutMs: Math.min(timeoutMs, 2000),
      graceMs: timeoutMs,
      waitMs: Math.round(flags.wait * 1000),
      keepRunning: flags['keep-running'],
      reporter,
      confirmLastCandidate: (question) => {
        reporter.suspend();
        return confirmOrDecline(question, { yes: flags.yes, interactive: isInteractive() });
      },
    });
    this.finishProgress();
    this.log(`${result.node} (${result.address}) removed from ${topology.displayFile}: ${result.detached}`);
    for (const action of result.actions) this.log(`  ${action.node}: ${action.detail}`);
    this.log(renderStatusTable(view, this.charset()));
    process.exitCode = view.report.healthy ? 0 : 3;
    return result;
  }
}
