import type { CheckReport } from '../src/cluster/check/index';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag, TOPOLOGY_ARG } from './_shared/base-command';

export default class CheckCommand extends RctlCommand {
  static override summary = 'Read the live nodes and report configurations that risk data or availability.';
  static override description = `Reads every node in parallel (INFO and CONFIG GET), measures the master's write rate from its replication offset over --sample seconds, and reports findings, each with a severity, the node, the reason and the exact fix (passwords shown as <password>): masters or replicas without persistence, masterauth not matching the master's requirepass, writable replicas, a backlog shorter than 60 s of writes, chained or misdirected replicas and two masters, no replica eligible for failover, versions (a replica that cannot read its master's RDB format, a candidate newer than the other nodes, a master on which a failover pauses reads, unsupported or untested versions, mixed versions), min-replicas-to-write blocking all writes, unprotected nodes bound beyond loopback, unreachable nodes. When Sentinels manage the set (a sentinel: section), every sentinel is asked too (with the sentinels' own password) and the nodes are judged against the master a quorum of them names: a sentinel unreachable, not monitoring the master name, naming another master, seeing the live master down (auth-pass), failing CKQUORUM, running other settings than the file, or knowing fewer (or more) replicas and sentinels than the file; the sentinels disagreeing or failing over; too few sentinels, an even number, a quorum below or above the majority, sentinels sharing the master's machine or one machine; and a master with min-replicas-to-write 0, which keeps acknowledging writes a failover discards. Notices (a version past the Redis project's security support) are listed but change nothing. Exits 0 when clean, 3 when anything is found, 4 when no node can be read.

--json prints {topology, clean, findings: [{severity, node, code, reason, fix}], notices: [...], writeRate: {node, bytesPerSecond, sampleMs}}; node is a node's name, a sentinel's (sentinel-1, ...) or "sentinels" for the set of them.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Configuration risks of the current set', command: '<%= config.bin %> check' },
    { description: 'A named topology file, sampling the write rate for 5 s', command: '<%= config.bin %> check topologies/prod.yml --sample 5' },
    { description: 'Only the errors, with the command that fixes each', command: `<%= config.bin %> check --json | jq -r '.findings[] | select(.severity=="error") | "\\(.node): \\(.fix)"'` },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    timeout: secondsFlag({ description: 'connect and reply timeout per node and per sentinel', default: 2 }),
    sample: secondsFlag({ description: "how long to watch the master's replication offset for its write rate (0: skip)", default: 1 }),
  };

  async run(): Promise<CheckReport> {
    const { args, flags } = await this.parse(CheckCommand);
    const { loadSelectedTopology } = await import('../src/state/index');
    const { runCheck } = await import('../src/cluster/check/index');
    const { renderCheckReport } = await import('../src/ui/check-report');

    const topology = await loadSelectedTopology({ argument: args.topology, flag: flags.topology });
    const report = await runCheck(topology, {
      timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)),
      sampleMs: Math.round(flags.sample * 1000),
    });
    this.log(
      renderCheckReport(report, {
        charset: this.charset(),
        width: process.stdout.isTTY ? process.stdout.columns : undefined,
        nodeCount: topology.nodes.length,
        sentinelCount: topology.sentinel?.nodes.length ?? 0,
      }),
    );
    process.exitCode = report.clean ? 0 : 3;
    return report;
  }
}
