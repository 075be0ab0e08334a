// Times each step of a failover. Steps running in parallel keep the order in which they started,
// so the report reads like the procedure whatever finished first.

import { performance } from 'node:perf_hooks';
import type { Reporter } from '../../node/reporter';
import type { FailoverStep } from './types';

export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export class StepLog {
  readonly steps: FailoverStep[] = [];

  constructor(private readonly reporter: Reporter) {}

  /** Runs and times one step; it is ok when the action resolves (and `judge` approves the value). */
  async run<T>(step: string, node: string, action: () => Promise<T>, judge?: (value: T) => boolean): Promise<T> {
    const entry: FailoverStep = { step, node, ms: 0, ok: false };
    this.steps.push(entry);
    const start = performance.now();
    try {
      const value = await action();
      entry.ok = judge ? judge(value) : true;
      return value;
    } finally {
      entry.ms = roundMs(performance.now() - start);
    }
  }

  /** Progress on stderr for the slow parts only: the critical section must not wait for a terminal. */
  announce(text: string): void {
    this.reporter.step(text);
  }
}
