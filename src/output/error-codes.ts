// Every code an rctl error can carry (`{error: {code}}` under --json), what it means and the exit
// code it comes with. RctlError.code is typed as ErrorCode, so a code that is not listed here does
// not compile: a new code is documented before it can be thrown. The README and docs/errors.md
// render this table; test/output/error-codes.test.ts checks it against the throw sites.

import { ExitCode, type ExitCodeValue } from '../exit-codes';

export interface ErrorCodeEntry {
  exitCode: ExitCodeValue;
  meaning: string;
}

export const ERROR_CODES = {
  // Bad input (exit 2): nothing was touched.
  USAGE: { exitCode: ExitCode.BadInput, meaning: 'a flag or an argument is wrong or missing (also oclif parser errors)' },
  CONFIRMATION_REQUIRED: { exitCode: ExitCode.BadInput, meaning: 'the action needs confirmation and there is no terminal: pass --yes' },
  NO_TOPOLOGY: { exitCode: ExitCode.BadInput, meaning: 'no -t FILE, no $RCTL_TOPOLOGY and no topology brought up yet' },
  TOPOLOGY_NOT_FOUND: { exitCode: ExitCode.BadInput, meaning: 'the topology file (given, from $RCTL_TOPOLOGY or the last up) does not exist' },
  TOPOLOGY_UNREADABLE: { exitCode: ExitCode.BadInput, meaning: 'the topology file exists but cannot be read' },
  TOPOLOGY_YAML: { exitCode: ExitCode.BadInput, meaning: 'the topology file is not valid YAML; `issues` locates each problem' },
  TOPOLOGY_INVALID: { exitCode: ExitCode.BadInput, meaning: 'the topology file breaks a rule (unknown key, two masters, bad port...); `issues` lists them' },
  TOPOLOGY_PASSWORD: { exitCode: ExitCode.BadInput, meaning: 'the password source (passwordEnv, passwordFile) cannot be read' },
  UNKNOWN_NODE: { exitCode: ExitCode.BadInput, meaning: '--promote names an address that is not a node of the topology' },
  ALREADY_MASTER: { exitCode: ExitCode.BadInput, meaning: 'the node to promote is the master already' },
  PRIORITY_ZERO: { exitCode: ExitCode.BadInput, meaning: 'the node to promote has replica-priority 0 (never promote)' },
  NO_REPLICAS: { exitCode: ExitCode.BadInput, meaning: 'the topology has no replica to fail over to' },
  UPGRADE_BINARY: { exitCode: ExitCode.BadInput, meaning: 'upgrade --to names no executable that answers --version as Redis 5.0 to 7.2' },
  EXEC_NEEDED: { exitCode: ExitCode.BadInput, meaning: 'a node rctl did not launch can only be restarted by the --exec command you give' },

  UNEXPECTED: { exitCode: ExitCode.Unexpected, meaning: 'a bug or an unforeseen failure; rerun with DEBUG=1 for the stack' },

  ROLE_DRIFT: { exitCode: ExitCode.Unhealthy, meaning: 'the recorded master is a replica (or silent) and another node is the master: run `rctl status`, then `rctl up`' },
  SET_UNHEALTHY: { exitCode: ExitCode.Unhealthy, meaning: 'a rolling restart or upgrade starts only from a healthy set (every node up, every link up); see `rctl status`' },

  // Failed (exit 4): a node could not be reached, refused, or a wait expired.
  NODE_REFUSED: { exitCode: ExitCode.Failed, meaning: 'connection refused: the node is not running' },
  NODE_UNREACHABLE: { exitCode: ExitCode.Failed, meaning: 'the host cannot be reached or resolved, or the connect timed out' },
  NODE_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'connected, but no reply within --timeout (frozen node, or not Redis)' },
  NODE_CLOSED: { exitCode: ExitCode.Failed, meaning: 'the node closed the connection mid-conversation' },
  NOT_REDIS: { exitCode: ExitCode.Failed, meaning: 'something else listens on that port' },
  AUTH_REQUIRED: { exitCode: ExitCode.Failed, meaning: 'the node requires a password and the topology has none' },
  AUTH_WRONGPASS: { exitCode: ExitCode.Failed, meaning: 'the node rejected the topology password' },
  NODE_LOADING: { exitCode: ExitCode.Failed, meaning: 'the node is still loading its dataset' },
  EXEC_FAILED: { exitCode: ExitCode.Failed, meaning: 'the --exec command failed, was killed or timed out on a node; the set was left healthy' },
  RESTART_FAILED: { exitCode: ExitCode.Failed, meaning: 'a restarted node did not come back (exited, or not accepting connections within --timeout)' },
  RESTART_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'a restarted node did not link to its master and catch up within --timeout' },
  FULL_RESYNC: { exitCode: ExitCode.Failed, meaning: 'a restarted node needed a full resync: rctl waited for it to finish and stopped before the next node' },
  NODE_COMMAND_FAILED: { exitCode: ExitCode.Failed, meaning: 'the node answered a command with an error or an unexpected reply' },
  UNSUPPORTED_VERSION: { exitCode: ExitCode.Failed, meaning: 'the node runs a Redis older than 5.0, which rctl does not change' },
  LAUNCH_FAILED: { exitCode: ExitCode.Failed, meaning: 'a launched node exited at start-up (see its node.log)' },
  LAUNCH_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'a launched node runs but does not accept connections within --wait' },
  SENTINEL_LAUNCH_FAILED: { exitCode: ExitCode.Failed, meaning: 'a launched redis-sentinel exited at start-up (see its sentinel.log)' },
  SENTINEL_LAUNCH_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'a launched redis-sentinel runs but does not accept connections within --wait' },
  SENTINEL_UNREACHABLE: { exitCode: ExitCode.Failed, meaning: 'a sentinel rctl launched does not answer' },
  SENTINEL_REPLY: { exitCode: ExitCode.Failed, meaning: 'a sentinel address answered SENTINEL commands unexpectedly (not a Redis Sentinel?)' },
  SENTINEL_DISCOVERY_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'the sentinels did not see every replica and every other sentinel within --wait' },
  SENTINEL_FAILOVER_IN_PROGRESS: { exitCode: ExitCode.Failed, meaning: 'a sentinel reports a failover in progress: up and failover change nothing until it is done' },
  SENTINEL_CHOICE_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'the sentinel\'s own view did not come to choose the candidate within --wait: nothing paused, priorities put back' },
  SENTINEL_REFUSED: { exitCode: ExitCode.Failed, meaning: 'the sentinels refused SENTINEL FAILOVER (-INPROG, -NOGOODSLAVE) or none could be asked: rolled back, nothing changed' },
  SENTINEL_GAVE_UP: { exitCode: ExitCode.Failed, meaning: 'the sentinel ended its failover without promoting the candidate: rolled back, nothing changed' },
  SENTINEL_MASTER_UNKNOWN: { exitCode: ExitCode.Failed, meaning: 'the sentinels agree on a master that is no node of the topology' },
  SYNC_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'replicas did not link and catch up within --wait' },
  LINK_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'after a failover, a node did not link to the new master within --wait' },
  REPAIR_FAILED: { exitCode: ExitCode.Failed, meaning: 'up could not put back settings an interrupted failover left on a node' },
  NO_CANDIDATE: { exitCode: ExitCode.Failed, meaning: 'no replica can be promoted (all down, priority 0, or not following the master)' },
  NOT_A_CANDIDATE: { exitCode: ExitCode.Failed, meaning: 'the named node is not a replica of the master\'s history' },
  CANDIDATE_UNREACHABLE: { exitCode: ExitCode.Failed, meaning: 'the named node to promote does not answer' },
  SETTINGS_UNREADABLE: { exitCode: ExitCode.Failed, meaning: 'CONFIG GET of the master\'s replication settings failed; a graceful failover needs them' },
  CATCH_UP_TIMEOUT: { exitCode: ExitCode.Failed, meaning: 'the candidate did not catch up within --timeout: rolled back, nothing changed' },
  FENCE_UNKNOWN: { exitCode: ExitCode.Failed, meaning: 'the old master stopped answering while being fenced: not promoted; `rctl up` repairs it once it answers' },
  DEMOTION_UNKNOWN: { exitCode: ExitCode.Failed, meaning: 'the old master stopped answering while being made a replica: not promoted; `rctl up` repairs it' },
  PROMOTION_UNKNOWN: { exitCode: ExitCode.Failed, meaning: 'the candidate did not answer REPLICAOF NO ONE, or the sentinels\' failover did not settle; it is recorded as the master and `rctl up` finishes the switch' },
  RESTORE_FAILED: { exitCode: ExitCode.Failed, meaning: 'switched, but the old master refused to have its settings put back' },
  FAILOVER_STEP_FAILED: { exitCode: ExitCode.Failed, meaning: 'switched, but a node refused a later step (REPLICAOF, CONFIG REWRITE)' },

  // Refused for safety (exit 5): nothing was changed.
  DATA_LOSS_REFUSED: { exitCode: ExitCode.Refused, meaning: 'a node holding keys or writes would lose them: confirm on a terminal or pass --yes' },
  FULL_RESYNC_EXPECTED: { exitCode: ExitCode.Refused, meaning: 'a node would come back without its replication history (AOF, no snapshot): a restart forces a full resync; --allow-full-resync' },
  VERSION_CANNOT_FOLLOW: { exitCode: ExitCode.Refused, meaning: 'the target version cannot load the data or the master\'s RDB format (a downgrade across RDB versions)' },
  MASTER_WOULD_RESTART_EMPTY: { exitCode: ExitCode.Refused, meaning: 'the master is down and would come back empty while replicas hold data: fail over first, or --force' },
  MASTER_RESTARTED_EMPTY: { exitCode: ExitCode.Refused, meaning: 'the master restarted with its history reset or from an older snapshot: fail over first, or --force' },
  TWO_MASTERS: { exitCode: ExitCode.Refused, meaning: 'two nodes are masters; a failover could lose one\'s writes: run `rctl up` first' },
  CANDIDATE_BEHIND: { exitCode: ExitCode.Refused, meaning: 'the named node is behind another replica: promote that one, or --force' },
  FAILOVER_RUNNING: { exitCode: ExitCode.Refused, meaning: 'another rctl holds the failover lock of this topology' },
  REPAIR_PENDING: { exitCode: ExitCode.Refused, meaning: 'an interrupted failover left a node fenced or paused that could not be repaired yet' },
  FAILOVER_DECLINED: { exitCode: ExitCode.Refused, meaning: 'the failover plan was declined at the prompt' },
  ROLLING_DECLINED: { exitCode: ExitCode.Refused, meaning: 'the rolling restart or upgrade plan was declined at the prompt' },
  PURGE_DECLINED: { exitCode: ExitCode.Refused, meaning: '`down --purge` was declined at the prompt' },
  SENTINEL_MANAGED: { exitCode: ExitCode.Refused, meaning: 'the set is managed by Sentinel: replicaof would act against the sentinels' },
  SENTINEL_NO_QUORUM: { exitCode: ExitCode.Refused, meaning: 'no quorum of sentinels answers and agrees on the master: failover refuses unless --force' },

  // rctl backup.
  BACKUP_UNKNOWN_NODE: { exitCode: ExitCode.BadInput, meaning: 'backup --from names no node of the topology' },
  BACKUP_NO_HEALTHY_REPLICA: { exitCode: ExitCode.Unhealthy, meaning: 'backup found no replica linked to the master and in sync: name one with --from, or allow the master with --from-master' },
  BACKUP_SOURCE_UNHEALTHY: { exitCode: ExitCode.Unhealthy, meaning: 'the replica backup --from names is not linked to the master or not in sync' },
  BACKUP_SYNC_REFUSED: { exitCode: ExitCode.Failed, meaning: 'the source refused to send its RDB (PSYNC answered with an error, e.g. NOMASTERLINK)' },
  BACKUP_STALLED: { exitCode: ExitCode.Failed, meaning: 'the source sent nothing for --idle-timeout during the download: abandoned, nothing written to --out' },
  BACKUP_TRANSFER_FAILED: { exitCode: ExitCode.Failed, meaning: 'the download broke off (connection closed, not the replication protocol): nothing written to --out' },
  BACKUP_WRITE_FAILED: { exitCode: ExitCode.Failed, meaning: 'the RDB or its sidecar could not be written (disk full, permissions)' },
  BACKUP_VERIFY_FAILED: { exitCode: ExitCode.Failed, meaning: 'the downloaded RDB failed verification (rctl\'s reader or redis-check-rdb): not kept' },
  BACKUP_FROM_MASTER: { exitCode: ExitCode.Refused, meaning: 'backup would take the RDB from the master (a fork and a transfer on it): pass --from-master to allow it' },
  BACKUP_OUT_EXISTS: { exitCode: ExitCode.Refused, meaning: 'the --out file (or its .json sidecar) exists: backup never overwrites one unless --force' },

  // rctl replica add / remove.
  TOPOLOGY_CHANGED: { exitCode: ExitCode.BadInput, meaning: 'the topology file changed while rctl was editing it: nothing written, run the command again' },
  REPLICA_NAME_TAKEN: { exitCode: ExitCode.BadInput, meaning: '`replica add`: a node of that name is already declared at another address (or is the master)' },
  REPLICA_ADDRESS_TAKEN: { exitCode: ExitCode.BadInput, meaning: '`replica add`: the address is already a node or a sentinel of the topology, or a launched node\'s port is in use' },
  REPLICA_NOT_FOUND: { exitCode: ExitCode.BadInput, meaning: '`replica remove`: no node of that name in the topology' },
  REMOVE_MASTER_REFUSED: { exitCode: ExitCode.Refused, meaning: '`replica remove` names the current master: fail over first' },
  LAST_CANDIDATE_REFUSED: { exitCode: ExitCode.Refused, meaning: '`replica remove` would leave no failover candidate (replica with priority > 0): add one first, or --yes' },
  // rctl discover.
  DISCOVER_PASSWORD: { exitCode: ExitCode.BadInput, meaning: '`discover`: --password-env names an unset variable, or --password-file cannot be read' },
  DISCOVER_NOT_A_SENTINEL: { exitCode: ExitCode.BadInput, meaning: '`discover --sentinel`: the sentinel does not monitor --master-name (or is no sentinel)' },
  DISCOVER_NO_MASTER: { exitCode: ExitCode.Failed, meaning: '`discover`: the set\'s master does not answer (the replicas name it): --include-unreachable writes it anyway' },
  DISCOVER_SENTINELS_UNREACHABLE: { exitCode: ExitCode.Failed, meaning: '`discover --sentinel`: fewer sentinels answer than the quorum: --include-unreachable writes them anyway' },
  DISCOVER_OUT_EXISTS: { exitCode: ExitCode.Refused, meaning: '`discover`: the --out file exists: discover never overwrites one unless --force' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
