// The sentinels' side of one switchover through them (sentinel-steering.ts, sentinel-promote.ts,
// sentinel-follow.ts): sessions to the sentinels, kept for the switch, and when each thing happened.

import type { SentinelNode } from '../../topology/model';
import { NodeSession } from '../../node/node-session';
import type { SentinelSwitchPlan } from './sentinel-plan';
import { roundMs } from './steps';
import type { SentinelSwitchJson } from './types';

/** How often a sentinel is asked while rctl waits on it. */
export const SENTINEL_POLL_MS = 50;

/** The sentinels' side of one switch: sessions to them, whom rctl asked, and when things happened. */
export class SentinelRun {
  private readonly sessions = new Map<string, NodeSession>();
  readonly asked: string[] = [];
  /** The sentinels whose own view chose the candidate, in the order they are asked. */
  ready: SentinelNode[] = [];
  steerMs = 0;
  requestedAt: number | null = null;
  promotedAt: number | null = null;
  agreedAt: number | null = null;

  constructor(
    readonly plan: SentinelSwitchPlan,
    private readonly timeoutMs: number,
  ) {}

  async session(sentinel: SentinelNode): Promise<NodeSession> {
    const open = this.sessions.get(sentinel.name);
    if (open) return open;
    const session = await NodeSession.open(sentinel, { password: this.plan.set.password, passwordSource: this.plan.set.passwordSource, timeoutMs: this.timeoutMs });
    this.sessions.set(sentinel.name, session);
    return session;
  }

  /** Forgets a session that failed, so that the next call reconnects. */
  drop(sentinel: SentinelNode): void {
    this.sessions.get(sentinel.name)?.close();
    this.sessions.delete(sentinel.name);
  }

  close(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  json(): SentinelSwitchJson {
    const since = (at: number | null) => (at !== null && this.requestedAt !== null ? roundMs(at - this.requestedAt) : null);
    return {
      masterName: this.plan.set.masterName,
      asked: [...this.asked],
      steerMs: roundMs(this.steerMs),
      promotedMs: since(this.promotedAt),
      agreedMs: since(this.agreedAt),
      priorities: this.plan.steering.map((s) => ({ node: s.state.node.name, priority: s.original, steeredTo: s.steered })),
    };
  }
}
