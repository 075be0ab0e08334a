// Polling for tests: retries a probe until it returns a truthy value or the timeout passes.

export async function eventually<T>(probe: () => Promise<T | false | null | undefined> | T | false | null | undefined, options: { timeout?: number; interval?: number; what?: string } = {}): Promise<T> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 25;
  const deadline = Date.now() + timeout;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${options.what ?? 'condition'}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
