import { RctlCommand, TOPOLOGY_ARG } from '../_shared/base-command';

/** The completion script's source of node names: one per line, nothing else, never a prompt. */
export default class CompletionNodesCommand extends RctlCommand {
  static override hidden = true;
  static override enableJsonFlag = false;
  static override summary = 'Print the node names of the topology, one per line (for shell completion).';
  static override examples = ['<%= config.bin %> completion nodes topologies/local.yml'];

  static override args = { topology: TOPOLOGY_ARG };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CompletionNodesCommand);
    const { loadSelectedTopology } = await import('../../src/state/index');
    const topology = await loadSelectedTopology({ argument: args.topology, flag: flags.topology });
    this.log(topology.nodes.map((node) => node.name).join('\n'));
  }
}
