import { Flags } from '@oclif/core';
import type { DryRunJson, FailoverJson } from '../src/cluster/failover/index';
import { TOPOLOGY_ARG } from './_shared/base-command';
import { FAILOVER_DESCRIPTION, FAILOVER_FLAGS, FailoverRunner } from './_shared/failover-runner';

export default class FailoverCommand extends FailoverRunner {
  static override summary = 'Make a replica the master without losing a write or forcing a full resync.';
  static override description = FAILOVER_DESCRIPTION;
  static override examples = [
    { description: 'See what a failover would do: every step, node and command; nothing changes', command: '<%= config.bin %> failover --dry-run' },
    { description: 'The runbook card: make 10.0.0.17 the master', command: '<%= config.bin %> failover --promote 10.0.0.17' },
    { description: 'A named topology, the best candidate, no prompt', command: '<%= config.bin %> failover topologies/prod.yml --yes' },
    { description: 'For the incident log: who, how long writes paused, resyncs', command: `<%= config.bin %> failover --promote slave1 --yes --json | jq '{from, to, writesPausedMs, fullResyncs}'` },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    promote: Flags.string({ description: 'the replica to promote: name, host or host:port (default: the best candidate)', helpValue: 'NODE' }),
    ...FAILOVER_FLAGS,
  };

  async run(): Promise<FailoverJson | DryRunJson> {
    const { args, flags } = await this.parse(FailoverCommand);
    return this.runFailover(flags.promote ?? null, flags, args.topology);
  }
}
