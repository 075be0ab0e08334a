import { Args, Flags } from '@oclif/core';
import type { ReplicaofResult } from '../src/cluster/replicaof';
import { BadInputError } from '../src/errors';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag } from './_shared/base-command';

export default class ReplicaofCommand extends RctlCommand {
  static override summary = 'Make NODE a replica of MASTER, or a master again with "no one".';
  static override description = `The seeds' runbook steps as one command each: CONFIG SET masterauth + REPLICAOF, or REPLICAOF NO ONE; persisted with CONFIG REWRITE. NODE and MASTER may be a node name from the topology, a host, or host:port. Waits until the link is up and caught up (--wait 0 to skip). A NODE holding keys that does not follow MASTER yet would lose them: refused (exit 5) unless confirmed or --yes.

On a Sentinel-managed set (a sentinel section in the topology) it refuses (exit 5, SENTINEL_MANAGED): the sentinels decide who the master is and would reconfigure the node back; \`rctl failover --promote NODE\` moves the master through them.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Repoint slave1 at the master', command: '<%= config.bin %> replicaof slave1 master' },
    { description: 'By address, on a named topology', command: '<%= config.bin %> replicaof topologies/prod.yml 127.0.0.17:6379 127.0.0.58:6379' },
    { description: 'Make slave1 a master again', command: '<%= config.bin %> replicaof slave1 no one' },
    { description: 'Did anything change?', command: '<%= config.bin %> replicaof slave1 master --json | jq .changed' },
  ];

  static override usage = ['replicaof [TOPOLOGY.yml] NODE MASTER [FLAGS]', 'replicaof [TOPOLOGY.yml] NODE no one [FLAGS]'];

  static override args = {
    node: Args.string({ name: 'NODE', description: 'the node to change: name, host or host:port', required: true }),
    master: Args.string({ name: 'MASTER', description: 'its new master (name, host or host:port), or "no one"', required: true }),
    one: Args.string({ name: 'ONE', description: 'the "one" of "no one"', required: false, hidden: true }),
  };

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'accept that NODE loses the keys it holds', default: false }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
    wait: secondsFlag({ description: 'how long to wait for the link to come up and catch up (0: do not wait)', default: 60 }),
  };

  async run(): Promise<ReplicaofResult> {
    const leading = this.leadingTopology();
    const { args, flags } = await this.parse(ReplicaofCommand, leading.argv);
    const noOne = args.master.toLowerCase() === 'no' && args.one?.toLowerCase() === 'one';
    if (!noOne && args.one !== undefined) {
      throw new BadInputError('USAGE', `unexpected argument "${args.one}"`, 'use `rctl replicaof NODE MASTER` or `rctl replicaof NODE no one`');
    }
    if (args.master.toLowerCase() === 'no' && !noOne) throw new BadInputError('USAGE', 'did you mean `no one`?', 'use `rctl replicaof NODE no one`');
    const { loadSelectedTopology, topologyStateOf } = await import('../src/state/index');
    const { resolveNodeRef } = await import('../src/topology/resolve');
    const { replicaof } = await import('../src/cluster/replicaof');
    const { confirmOrDecline, isInteractive } = await import('../src/ui/confirm');

    const topology = await loadSelectedTopology({ argument: leading.file, flag: flags.topology });
    const target = resolveNodeRef(topology, args.node, 'NODE');
    const master = noOne ? null : resolveNodeRef(topology, args.master, 'MASTER');
    const reporter = this.reporter();
    const result = await replicaof(topology, target, master, {
      state: topologyStateOf(topology),
      timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)),
      waitMs: Math.round(flags.wait * 1000),
      reporter,
      confirmDataLoss: (_risks, question) => {
        reporter.suspend();
        return confirmOrDecline(question, { yes: flags.yes, interactive: isInteractive() });
      },
    });
    this.finishProgress();
    const now = result.master === null ? 'is a master' : `replicates ${result.master}${result.linkStatus ? ` (link ${result.linkStatus})` : ''}`;
    this.log(`${result.node} (${result.address}) ${now}${result.changed ? `: ${result.actions.join(', ')}` : '; nothing changed'}`);
    return result;
  }
}
