// The order of a switch's stages and what an interrupted one leaves: which stages run for each
// way of holding writes, that the switch record's stage only ever moves forward along the order a
// repair reads, and which error a command gone unanswered ends the switch with.

import { describe, expect, it } from 'vitest';
import { NodeFailureError } from '../../src/errors';
import type { SwitchHold } from '../../src/cluster/failover/pause';
import { rollBack } from '../../src/cluster/failover/rollback';
import { stagesToPromotion, type SwitchStep } from '../../src/cluster/failover/stages';
import type { SwitchRun } from '../../src/cluster/failover/switch-run';
import { SWITCH_STAGES, type SwitchStage } from '../../src/state/switch-record';

const PAUSE_WRITES: SwitchHold = { kind: 'pause-writes', ms: 5000, command: ['CLIENT', 'PAUSE', '5000', 'WRITE'] };
const PAUSE_AND_DEMOTE: SwitchHold = { kind: 'pause-and-demote', ms: 300, command: ['CLIENT', 'PAUSE', '300'], note: 'reads too' };

const names = (stages: SwitchStep[]) => stages.map((stage) => stage.name);

/** Just what a stage's judgement of an unanswered command reads: names, the hold, the steps so far. */
function runOf(hold: SwitchRun['hold']): SwitchRun {
  return {
    plan: { from: { node: { name: 'm1', address: '127.0.0.58:6379' } }, to: { node: { name: 'r1', address: '127.0.0.17:6379' } } },
    hold,
    master: hold ? {} : null,
    log: { steps: [] },
  } as unknown as SwitchRun;
}

const noAnswer = () => new NodeFailureError('NODE_TIMEOUT', 'no reply within 2s');

describe('stages of a switch', () => {
  it('from 6.2: pause writes, catch up, fence, record the new master, promote', () => {
    expect(names(stagesToPromotion(PAUSE_WRITES))).toEqual(['pause writes', 'catch up', 'fence', 'record roles', 'promote']);
  });

  it('before 6.2: pause and fence in one transaction, catch up, demote, record, promote', () => {
    expect(names(stagesToPromotion(PAUSE_AND_DEMOTE))).toEqual(['pause and fence', 'catch up', 'demote', 'record roles', 'promote']);
  });

  it('forced: only record and promote', () => {
    expect(names(stagesToPromotion(null))).toEqual(['record roles', 'promote']);
  });

  it('the switch record moves only forward, and the promotion is recorded before it is sent', () => {
    for (const hold of [PAUSE_WRITES, PAUSE_AND_DEMOTE, null]) {
      const stages = stagesToPromotion(hold);
      const recorded = stages.map((stage) => stage.records).filter((stage): stage is SwitchStage => stage !== undefined);
      const positions = recorded.map((stage) => SWITCH_STAGES.indexOf(stage));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(stages.at(-1)?.records).toBe('promoting');
      // The new master is recorded before REPLICAOF NO ONE goes out: a killed rctl finishes forward.
      expect(names(stages).indexOf('record roles')).toBe(stages.length - 2);
    }
  });

  it('only the record of the new master is undone outside the old master; every stage touching the old master has an undo or is covered by the final restore', () => {
    const recordRoles = stagesToPromotion(PAUSE_WRITES).find((stage) => stage.name === 'record roles');
    expect(recordRoles?.undoRecord).toBeTypeOf('function');
    expect(recordRoles?.undoOnMaster).toBeUndefined();
    for (const name of ['fence', 'pause and fence', 'demote']) {
      const stage = [...stagesToPromotion(PAUSE_WRITES), ...stagesToPromotion(PAUSE_AND_DEMOTE)].find((candidate) => candidate.name === name);
      expect(stage?.undoOnMaster, name).toBeTypeOf('function');
    }
  });
});

describe('a command gone unanswered', () => {
  const upTo = (stages: SwitchStep[], last: string) => stages.slice(0, names(stages).indexOf(last) + 1);

  it.each([
    ['fence', PAUSE_WRITES, 'FENCE_UNKNOWN'],
    ['promote', PAUSE_WRITES, 'PROMOTION_UNKNOWN'],
    ['pause and fence', PAUSE_AND_DEMOTE, 'FENCE_UNKNOWN'],
    // The candidate's link can break while it catches up: the fence may already hold.
    ['catch up', PAUSE_AND_DEMOTE, 'FENCE_UNKNOWN'],
    ['demote', PAUSE_AND_DEMOTE, 'DEMOTION_UNKNOWN'],
    ['record roles', PAUSE_AND_DEMOTE, 'DEMOTION_UNKNOWN'],
    ['promote', PAUSE_AND_DEMOTE, 'PROMOTION_UNKNOWN'],
    ['promote', null, 'PROMOTION_UNKNOWN'],
  ] as const)('during %s (%s): %s, with nothing undone', async (last, hold, code) => {
    const run = runOf(hold);
    const error = await rollBack(run, upTo(stagesToPromotion(hold), last), noAnswer());
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain('no reply within 2s');
  });

  it('a refusal is not an unknown outcome: it goes to the rollback', async () => {
    const refused = new NodeFailureError('NODE_COMMAND_FAILED', 'ERR no such command');
    // Forced switch (no old master to undo): the rollback has only the record to put back.
    const run = { ...runOf(null), options: { state: null }, rolesBefore: null } as unknown as SwitchRun;
    const stages = stagesToPromotion(null).filter((stage) => stage.name === 'promote');
    const error = await rollBack(run, stages, refused);
    expect(error.code).toBe('NODE_COMMAND_FAILED');
    expect(error.message).toContain('nothing changed');
  });
});
