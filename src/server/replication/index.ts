// The node's replication role as the rest of the server sees it (implemented by replication.ts).

import { randomBytes } from 'node:crypto';

export interface ReplicationRole {
  isReplica(): boolean;
  /** True when this replica's link to its master is up (always true on a master). */
  linkUp(): boolean;
  /** min-replicas-to-write check. */
  enoughGoodReplicas(): boolean;
  /** Lines of INFO replication, without the section header. */
  infoLines(): string[];
  readonly replid: string;
  readonly offset: number;
  stop(): void;
}

export function newReplicationId(): string {
  return randomBytes(20).toString('hex');
}
