// How long-running operations report progress without knowing where it is shown. The CLI
// implements it with a spinner or plain lines on stderr (src/ui/progress.ts); tests collect it.

export interface Reporter {
  /** A new step begins; the previous one is complete. */
  step(text: string): void;
  /** The current step's live detail changed (e.g. which replicas are still syncing). */
  update(text: string): void;
  /** Something the operator should know that does not stop the operation. */
  warn(text: string): void;
  /**
   * Bytes moved so far by the current step's transfer (a full sync's RDB, a backup download);
   * totalBytes is null while the sender has not said (diskless sync, 5.0). The display derives
   * the bar, rate and ETA, so callers report numbers only.
   */
  transfer(doneBytes: number, totalBytes: number | null): void;
}

export const silentReporter: Reporter = { step() {}, update() {}, warn() {}, transfer() {} };
