// The common course of a replication-link scenario: a linked pair with data of every type, a
// counted write load on the master, the fault, its end, the time until the replica is back in
// sync, and the final comparison: acknowledged writes missing and keys that differ.

import { fillEveryType } from '../../helpers/fill-data';
import {
  describeResyncs,
  differingKeys,
  dumpNode,
  resyncCounters,
  startLinkedPair,
  waitInSync,
  type Dump,
  type LinkedPair,
  type PairOptions,
  type ResyncCounters,
} from './link';
import type { ScenarioContext } from './scenario';
import { AckedWriter, type WriterOptions } from './writer';
import type { FaultNode } from './nodes';

export interface InjectedFault {
  /** For the report: what was done, with durations. */
  description: string;
  /** Lifts the fault; the recovery time counts from the moment this is called. Default: proxy.restore(). */
  end?: () => Promise<void>;
}

export interface LinkFaultPlan {
  expected: string;
  pair?: PairOptions;
  writer?: WriterOptions;
  /** Writer steps acknowledged before the fault starts. */
  warmupSteps?: number;
  /** Injects the fault and returns when it should end (writes go on meanwhile). */
  inject(pair: LinkedPair, writer: AckedWriter): Promise<InjectedFault>;
}

export interface LinkFaultOutcome {
  pair: LinkedPair;
  writer: AckedWriter;
  before: ResyncCounters;
  after: ResyncCounters;
  dumps: { master: Dump; replica: Dump };
  missing: { master: number[]; replica: number[] };
  differing: string[];
  /** What each node logged from the start of the fault on. */
  logs: { master: string; replica: string };
}

export async function waitForSteps(writer: AckedWriter, steps: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (writer.acked.size < steps) {
    if (Date.now() > deadline) throw new Error(`the writer got ${writer.acked.size} acknowledgements, expected ${steps} (last error: ${writer.lastError})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A write then `WAIT 1 timeoutMs` on one connection: how many replicas acknowledged that write. */
export async function waitForOneReplica(master: FaultNode, timeoutMs: number): Promise<number> {
  const client = master.client();
  try {
    await client.set('wait-probe', String(Date.now()));
    return Number(await client.wait(1, timeoutMs));
  } finally {
    client.disconnect();
  }
}

export async function runLinkFault(context: ScenarioContext, plan: LinkFaultPlan): Promise<LinkFaultOutcome> {
  const { row } = context;
  row.expected = plan.expected;
  const pair = await startLinkedPair(context.topology, plan.pair);
  context.defer(() => pair.close());
  const { master, replica, proxy } = pair;

  const filler = master.client();
  await fillEveryType(filler);
  await waitInSync(master, replica);
  const before = await resyncCounters(master);

  const writer = new AckedWriter(master.client(), plan.writer).start();
  context.defer(() => writer.stop());
  await waitForSteps(writer, plan.warmupSteps ?? 20);

  const marks = { master: master.logMark(), replica: replica.logMark() };
  const fault = await plan.inject(pair, writer);
  row.fault = fault.description;
  await writer.stop();
  const faultEnd = Date.now();
  await (fault.end ? fault.end() : proxy.restore());
  const recoveredAt = await waitInSync(master, replica);
  row.recoveryMs = recoveredAt - faultEnd;

  const after = await resyncCounters(master);
  const dumps = { master: await dumpNode(master), replica: await dumpNode(replica) };
  const missing = { master: writer.missingIn(dumps.master), replica: writer.missingIn(dumps.replica) };
  const differing = differingKeys(dumps.master, dumps.replica);
  row.ackedWrites = writer.acked.size;
  row.lostWrites = new Set([...missing.master, ...missing.replica]).size;
  row.observed = `${describeResyncs(before, after)}; ${differing.length === 0 ? 'data identical' : `${differing.length} keys differ`}`;
  context.save();
  return { pair, writer, before, after, dumps, missing, differing, logs: { master: master.logSince(marks.master), replica: replica.logSince(marks.replica) } };
}
