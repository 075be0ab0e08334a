import { Args, Flags } from '@oclif/core';
import type { ReplicaAddResult } from '../../src/cluster/replica/add';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag } from '../_shared/base-command';

export default class ReplicaAddCommand extends RctlCommand {
  static override summary = 'Add a replica to the topology file, launch and configure it, and follow its full sync.';
  static override description = `Declares NAME at HOST:PORT in the topology file (its comments and layout kept: the entry is spliced into the text, which is validated and written atomically), launches it when its launch is embedded or redis-server (default: the file's launch), configures it as \`rctl up\` does (masterauth, requirepass, replica-priority, REPLICAOF the current master, CONFIG REWRITE) and waits for its full sync, showing the RDB transfer (bytes of total, rate, ETA; before that, while the master writes its RDB). On a Sentinel-managed set it then waits until a quorum of sentinels lists the new replica.

Checked before anything changes (exit 2): NAME is new, the address is no node or sentinel of the topology, a launched node's host is a loopback address and its port is free, an external node's host is loopback or already a host of the topology. A running node (external) that holds keys and is not a replica of the master's history would lose them: refused (exit 5) unless confirmed on a terminal or --yes.

The file is edited first: from then on the node is declared, \`rctl status\` shows its state, and an interrupted add is finished by the same command again (or by \`rctl up\`). --dry-run prints the plan and changes nothing.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Check and print the plan; nothing changes', command: '<%= config.bin %> replica add replica3 127.0.0.1:6382 --dry-run' },
    { description: 'A bundled node, on a named topology', command: '<%= config.bin %> replica add topologies/prod.yml replica3 127.0.0.1:6382' },
    { description: 'A redis-server node that is never promoted', command: '<%= config.bin %> replica add replica4 127.0.0.1:6383 --launch redis-server --priority 0' },
    { description: 'A node you run yourself', command: '<%= config.bin %> replica add cache2 10.0.0.18:6379 --launch external --yes' },
  ];

  static override usage = 'replica add [TOPOLOGY.yml] NAME HOST:PORT [FLAGS]';

  static override args = {
    name: Args.string({ name: 'NAME', description: 'the new node\'s name in the topology', required: true }),
    address: Args.string({ name: 'HOST:PORT', description: 'its address ([::1]:PORT for IPv6)', required: true }),
  };

  static override flags = {
    launch: Flags.string({ description: 'how the node runs (default: the topology\'s launch)', options: ['embedded', 'redis-server', 'external'] }),
    priority: Flags.integer({ description: 'replica-priority written to the file (0: never promoted)', min: 0, max: 2147483647 }),
    'dry-run': Flags.boolean({ description: 'check and print the plan; change nothing', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'accept that a running node holding keys loses them', default: false }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
    wait: secondsFlag({ description: 'how long to wait for the node to start and sync (a few GB take minutes)', default: 600 }),
  };

  async run(): Promise<ReplicaAddResult> {
    const leading = this.leadingTopology();
    const { args, flags } = await this.parse(ReplicaAddCommand, leading.argv);
    const { loadSelectedTopology, topologyStateOf } = await import('../../src/state/index');
    const [{ addReplica }, { parseAddress }] = await Promise.all([import('../../src/cluster/replica/add'), import('../../src/topology/address')]);
    const { confirmOrDecline, isInteractive } = await import('../../src/ui/confirm');
    const { renderStatusTable } = await import('../../src/ui/status-table');

    const { host, port } = parseAddress(args.address);
    const topology = await loadSelectedTopology({ argument: leading.file, flag: flags.topology });
    const reporter = this.reporter();
    const { result, view } = await addReplica(
      topology,
      { name: args.name, host, port, ...(flags.launch ? { launch: flags.launch as 'embedded' | 'redis-server' | 'external' } : {}), ...(flags.priority !== undefined ? { priority: flags.priority } : {}) },
      {
        state: topologyStateOf(topology),
        timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)),
        waitMs: Math.round(flags.wait * 1000),
        reporter,
        dryRun: flags['dry-run'],
        confirmDataLoss: (_risks, question) => {
          reporter.suspend();
          return confirmOrDecline(question, { yes: flags.yes, interactive: isInteractive() });
        },
      },
    );
    this.finishProgress();
    if (result.dryRun) {
      this.log(`${result.node} (${result.address}): the plan, nothing changed`);
      for (const action of result.actions) this.log(`  ${action.action}: ${action.detail}`);
      return result;
    }
    this.log(`${result.node} (${result.address}) replicates ${result.master}${result.changed ? `: ${result.actions.length} change${result.actions.length === 1 ? '' : 's'}` : '; nothing changed'}`);
    for (const action of result.actions) this.log(`  ${action.node}: ${action.detail}`);
    if (view) {
      this.log(renderStatusTable(view, this.charset()));
      process.exitCode = view.report.healthy ? 0 : 3;
    }
    return result;
  }
}
