import { Flags } from '@oclif/core';
import type { BackupResult } from '../src/cluster/backup';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag, TOPOLOGY_ARG } from './_shared/base-command';

export default class BackupCommand extends RctlCommand {
  static override summary = "Download a replica's RDB over the replication protocol, verify it, and write it with a sidecar.";
  static override description = `Takes the RDB from a replica, never the master: by default the replica that is linked to the master and least behind (under Sentinel, the master is the one a quorum of sentinels names). It connects as \`redis-cli --rdb\` does (REPLCONF capa eof, rdb-only on 7.0+, then PSYNC ? -1, which names the replication id and offset of the snapshot), streams the RDB into a temporary file beside --out with a progress bar, and closes the connection as soon as the payload is in, so the source keeps no replica entry.

The file is verified before it becomes --out: the bundled node's RDB reader loads every key and checks the CRC-64 trailer, and redis-check-rdb runs on it when one is found (beside the source's redis-server, else on PATH). A file that fails is removed (exit 4, BACKUP_VERIFY_FAILED). Beside the RDB goes <out>.json (mode 0600, like the RDB): the source's name, address, role and version, the replication id and offset, start and end times, bytes, sha256, keys per db and each verifier's verdict; --json prints the same object.

--from NAME picks the replica. Naming the master is refused (exit 5, BACKUP_FROM_MASTER) unless --from-master is given: the master then forks to save a snapshot and sends it, which loads it. Without a healthy replica: exit 3 (BACKUP_NO_HEALTHY_REPLICA). An existing --out (or its sidecar) is never overwritten without --force (exit 5, BACKUP_OUT_EXISTS). A source that sends nothing for --idle-timeout is abandoned (exit 4, BACKUP_STALLED), and nothing is left at --out.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'From the best replica into the current directory', command: '<%= config.bin %> backup' },
    { description: 'A chosen replica and file, on a named topology', command: '<%= config.bin %> backup topologies/prod.yml --from slave2 --out /backups/prod.rdb' },
    { description: 'Into a directory; keep the path and checksum for the log', command: `<%= config.bin %> backup --out /backups/ --json | jq -r '"\\(.file) \\(.sha256)"'` },
    { description: 'Without a healthy replica: from the master (it forks to save)', command: '<%= config.bin %> backup --from-master --out master.rdb' },
  ];

  static override args = { topology: TOPOLOGY_ARG };

  static override flags = {
    from: Flags.string({ description: 'the node to download from (a replica; the master only with --from-master)', helpValue: 'NAME' }),
    'from-master': Flags.boolean({ description: 'allow the master as the source (it forks to save a snapshot and sends it); alone, takes it from the master', default: false }),
    out: Flags.string({ char: 'o', description: 'the RDB file to write, or an existing directory (default: ./<topology>-<node>-<UTC time>.rdb)', helpValue: 'FILE' }),
    force: Flags.boolean({ description: 'replace an existing --out and its sidecar', default: false }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
    'idle-timeout': secondsFlag({ description: 'abandon the download when the source sends nothing for this long', default: 30 }),
  };

  async run(): Promise<BackupResult> {
    const { args, flags } = await this.parse(BackupCommand);
    const { loadSelectedTopology, topologyStateOf } = await import('../src/state/index');
    const { backup } = await import('../src/cluster/backup');
    const { formatSize } = await import('../src/formats/bytes');

    const topology = await loadSelectedTopology({ argument: args.topology, flag: flags.topology });
    const result = await backup(topology, {
      state: topologyStateOf(topology),
      from: flags.from ?? null,
      fromMaster: flags['from-master'],
      out: flags.out ?? null,
      force: flags.force,
      timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)),
      idleMs: Math.max(1, Math.round(flags['idle-timeout'] * 1000)),
      reporter: this.reporter(),
    });
    this.finishProgress();
    const verified = result.verifiers.filter((v) => v.verdict === 'ok').map((v) => v.name);
    const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
    this.log(
      `${result.file}: ${formatSize(result.bytes)}, ${result.keys.total} keys from ${result.source.name} (${result.source.role ?? 'node'}, offset ${result.offset}) in ${seconds.toFixed(1)}s; verified by ${verified.join(' and ')}; sidecar ${result.file}.json`,
    );
    return result;
  }
}
