// The one place that decides whether a replica's PSYNC can continue from the backlog
// or needs a full resynchronization, with the reason Redis logs for the decision.

export interface PsyncRequest {
  replid: string;
  /** The first offset the replica is missing (its processed offset + 1); -1 with replid '?'. */
  offset: number;
}

export interface MasterHistory {
  replid: string;
  replid2: string;
  /** Last offset valid under replid2 is secondReplOffset - 1; -1 when there is no replid2. */
  secondReplOffset: number;
  masterReplOffset: number;
  backlog: { firstByteOffset: number; histlen: number; offset: number } | null;
}

export type PsyncDecision =
  | { kind: 'continue'; fromOffset: number; reason: string }
  | { kind: 'fullresync'; reason: string; /** Counted in sync_partial_err: a real PSYNC attempt failed. */ partialAttempted: boolean };

export function decidePsync(request: PsyncRequest, history: MasterHistory): PsyncDecision {
  if (request.replid === '?') {
    return { kind: 'fullresync', reason: 'Full resync requested by replica', partialAttempted: false };
  }
  const matchesCurrent = request.replid === history.replid;
  const matchesPrevious = request.replid === history.replid2 && request.offset <= history.secondReplOffset;
  if (!matchesCurrent && !matchesPrevious) {
    const reason =
      request.replid !== history.replid2
        ? `Replication ID mismatch (Replica asked for '${request.replid}', my replication IDs are '${history.replid}' and '${history.replid2}')`
        : `Requested offset for second ID was ${request.offset}, but I can reply up to ${history.secondReplOffset}`;
    return { kind: 'fullresync', reason, partialAttempted: true };
  }
  const backlog = history.backlog;
  if (!backlog || request.offset < backlog.firstByteOffset || request.offset > backlog.offset + 1 || (backlog.histlen === 0 && request.offset !== backlog.offset + 1)) {
    return { kind: 'fullresync', reason: `lack of backlog (Replica request was: ${request.offset})`, partialAttempted: true };
  }
  return {
    kind: 'continue',
    fromOffset: request.offset,
    reason: matchesCurrent ? 'replication ID matches' : 'replica follows my previous replication ID',
  };
}
