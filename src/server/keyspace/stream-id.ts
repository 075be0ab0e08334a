// Stream IDs (ms-seq, two unsigned 64-bit halves): the values stream.ts and stream-groups.ts share.

export const UINT64_MAX = (1n << 64n) - 1n;

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export const MIN_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: UINT64_MAX, seq: UINT64_MAX };

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}
