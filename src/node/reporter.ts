// How long-running operations report progress without knowing where it is shown. The CLI
// implements it with a spinner or plain lines on stderr (src/ui/progress.ts); tests collect it.

export interface Reporter {
  /** A new step begins; the previous one is complete. */
  step(text: string): void;
  /** The current step's live detail changed (e.g. which replicas are still syncing). */
  update(text: string): void;
  /** Something the operator should know that does not stop the operation. */
  warn(text: string): void;
}

export const silentReporter: Reporter = { step() {}, update() {}, warn() {} };
