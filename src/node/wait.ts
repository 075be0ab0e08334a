// The one polling loop of rctl. Every "wait until..." goes through waitFor, so intervals,
// deadlines and timeout errors behave the same everywhere.

export interface WaitOptions {
  /** Milliseconds between probes. */
  interval: number;
  /** Milliseconds until giving up. */
  timeout: number;
  /** Aborts the wait early (e.g. the launched process exited). */
  signal?: AbortSignal;
}

export type ProbeResult<T> = { done: true; value: T } | { done: false; reason: string };

export class WaitTimeoutError extends Error {
  constructor(
    readonly lastReason: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms: ${lastReason}`);
  }
}

/**
 * Runs `probe` until it reports done, at most every `interval` ms, for at most `timeout` ms.
 * The probe's last reason goes into the timeout error. A probe that throws ends the wait.
 */
export async function waitFor<T>(probe: () => Promise<ProbeResult<T>>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeout;
  let lastReason = 'not ready';
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const result = await probe();
    if (result.done) return result.value;
    lastReason = result.reason;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeoutError(lastReason, options.timeout);
    await sleep(Math.min(options.interval, remaining), options.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
