// The node's replication role as the rest of the server sees it. The standalone form below is
// what a node without replicas and without a master reports; the replication module replaces it.

import { randomBytes } from 'node:crypto';

export interface ReplicationRole {
  isReplica(): boolean;
  /** True when this replica's link to its master is up (always true on a master). */
  linkUp(): boolean;
  /** min-replicas-to-write check. */
  enoughGoodReplicas(): boolean;
  /** Lines of INFO replication, without the section header. */
  infoLines(): string[];
  /** ROLE reply elements are written by the replication module; a master with no replicas by default. */
  readonly replid: string;
  readonly offset: number;
  stop(): void;
}

export function newReplicationId(): string {
  return randomBytes(20).toString('hex');
}

export class StandaloneReplication implements ReplicationRole {
  readonly replid = newReplicationId();
  readonly offset = 0;

  constructor(private readonly backlogSize: () => number) {}

  isReplica(): boolean {
    return false;
  }
  linkUp(): boolean {
    return true;
  }
  enoughGoodReplicas(): boolean {
    return true;
  }
  infoLines(): string[] {
    return [
      'role:master',
      'connected_slaves:0',
      'master_failover_state:no-failover',
      `master_replid:${this.replid}`,
      'master_replid2:0000000000000000000000000000000000000000',
      'master_repl_offset:0',
      'second_repl_offset:-1',
      'repl_backlog_active:0',
      `repl_backlog_size:${this.backlogSize()}`,
      'repl_backlog_first_byte_offset:0',
      'repl_backlog_histlen:0',
    ];
  }
  stop(): void {}
}
