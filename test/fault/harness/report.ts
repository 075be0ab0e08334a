// One row of the fault report per scenario run. A scenario attaches its row to its test's
// metadata (task.meta), which vitest hands to the reporter (test/fault/report/table-reporter.ts):
// no files to share between workers, and a failed run still shows what was measured.

export interface FaultRow {
  /** Short scenario name, e.g. "link cut". */
  scenario: string;
  /** e.g. "bundled -> redis" (master -> replica). */
  topology: string;
  /** What was injected, with its duration. */
  fault: string;
  /** The outcome the scenario asserts. */
  expected: string;
  /** What happened (resyncs, detection, data comparison). */
  observed: string;
  /** Writes the master acknowledged during the scenario's load. */
  ackedWrites: number;
  /** Acknowledged writes missing from any node at the end. */
  lostWrites: number;
  /** From the end of the fault to the replica back in sync, in ms (null when not measured). */
  recoveryMs: number | null;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    faultRow?: FaultRow;
  }
}

/** Keeps a row on the running test; called again as the scenario learns more. */
export function recordRow(meta: { faultRow?: FaultRow }, row: FaultRow): void {
  meta.faultRow = { ...row };
}
