import { Args } from '@oclif/core';
import type { DryRunJson, FailoverJson } from '../src/cluster/failover/index';
import { FAILOVER_DESCRIPTION, FAILOVER_FLAGS, FailoverRunner } from './_shared/failover-runner';

/** Runbook sugar: `rctl promote NODE` is `rctl failover --promote NODE`. */
export default class PromoteCommand extends FailoverRunner {
  static override summary = 'Make NODE the master: the same as `rctl failover --promote NODE`.';
  static override description = `The documented command is \`rctl failover\`; this is its --promote form for runbooks.

${FAILOVER_DESCRIPTION}`;
  static override examples = [
    { description: 'The plan only', command: '<%= config.bin %> promote slave1 --dry-run' },
    { description: 'Same as failover --promote 10.0.0.17:6379, on a named topology', command: '<%= config.bin %> promote topologies/prod.yml 10.0.0.17:6379 --yes' },
  ];

  static override usage = 'promote [TOPOLOGY.yml] NODE [FLAGS]';

  static override args = {
    node: Args.string({ name: 'NODE', description: 'the replica to promote: name, host or host:port', required: true }),
  };

  static override flags = { ...FAILOVER_FLAGS };

  async run(): Promise<FailoverJson | DryRunJson> {
    const leading = this.leadingTopology();
    const { args, flags } = await this.parse(PromoteCommand, leading.argv);
    return this.runFailover(args.node, flags, leading.file);
  }
}
