// The shape of a fault scenario file: one vitest test per topology, each with its own nodes and
// proxy (scenarios are independent), its cleanups, and its report row.

import { describe, it } from 'vitest';
import { describeWithRedis } from '../../helpers/redis-server';
import { topologyLabel, type Topology } from './link';
import { recordRow, type FaultRow } from './report';

export interface ScenarioContext {
  topology: Topology;
  /** The report row; fill it in, then save() (also saved automatically at the end). */
  row: FaultRow;
  save(): void;
  /** Runs at the end of the test, last registered first, even when it fails. */
  defer(cleanup: () => Promise<void> | void): void;
}

export interface ScenarioOptions {
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export function faultScenario(
  scenario: string,
  topologies: readonly Topology[],
  body: (context: ScenarioContext) => Promise<void>,
  options: ScenarioOptions = {},
): void {
  const needsRedis = topologies.some((t) => t.master === 'redis' || t.replica === 'redis');
  const suite = needsRedis ? describeWithRedis : describe;
  suite(`fault: ${scenario}`, () => {
    for (const topology of topologies) {
      // Topologies run side by side: each has its own processes and ports, and the runs mostly
      // wait on timeouts, so this keeps the suite short without starving anything.
      it.concurrent(topologyLabel(topology), async ({ task }) => {
        const cleanups: Array<() => Promise<void> | void> = [];
        const row: FaultRow = { scenario, topology: topologyLabel(topology), fault: '', expected: '', observed: '', ackedWrites: 0, lostWrites: 0, recoveryMs: null };
        const context: ScenarioContext = {
          topology,
          row,
          save: () => recordRow(task.meta, row),
          defer: (cleanup) => cleanups.push(cleanup),
        };
        try {
          await body(context);
        } finally {
          context.save();
          while (cleanups.length > 0) {
            try {
              await cleanups.pop()?.();
            } catch {
              // A cleanup failing must not hide the scenario's own result.
            }
          }
        }
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    }
  });
}
