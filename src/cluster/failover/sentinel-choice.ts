// Which replica a sentinel would promote if asked now, from what it reports itself (SENTINEL
// MASTER and SENTINEL REPLICAS). Sentinel chooses from its cached view, refreshed from each
// replica's INFO every 10 s, not from the replicas as they are: a replica-priority rctl has just
// set counts only once the sentinel has read it. So rctl asks SENTINEL FAILOVER only when this
// says the sentinel's own view names the candidate.
//
// The rules are sentinelSelectSlave's (sentinel.c, Redis 5.0 to 7.2): a replica is skipped when
// it is down (s_down, o_down) or disconnected, when its last good PING reply is older than 5 PING
// periods (5 s), when its priority is 0, when its INFO is older than 3 INFO periods (30 s; 5 s
// while the master is subjectively down), or when its link to the master has been down longer
// than the master plus ten times down-after-milliseconds. The rest rank by lowest priority, then
// highest offset, then lowest run id (case-insensitive; a missing one ranks last).

import type { SentinelFields } from '../../node/sentinel';
import { flagsOf, numberField } from '../../node/sentinel';

const PING_PERIOD_MS = 1000;
const INFO_PERIOD_MS = 10_000;
// The choice is read some 100 ms before the sentinel makes it: a replica on the edge of a limit
// may cross it meanwhile, so the candidate must be clear of each limit by this much.
const MARGIN_MS = 1000;

export interface ReplicaChoice {
  host: string;
  port: number;
  runid: string;
  priority: number;
  offset: number;
}

export interface SentinelChoice {
  /** The replica the sentinel would promote now, or null when none qualifies. */
  chosen: ReplicaChoice | null;
  /** Every replica it skips, with why. */
  skipped: Array<{ host: string; port: number; why: string }>;
}

function compareReplicas(a: ReplicaChoice, b: ReplicaChoice): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.offset !== b.offset) return b.offset - a.offset;
  if (a.runid === '' || b.runid === '') return a.runid === b.runid ? 0 : a.runid === '' ? 1 : -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Sentinel's choice among `replicas` (SENTINEL REPLICAS) of `master` (SENTINEL MASTER).
 * `marginMs` tightens every time limit, for a choice that must still hold a moment later.
 */
export function sentinelChoice(master: SentinelFields, replicas: SentinelFields[], marginMs = 0): SentinelChoice {
  const masterDown = flagsOf(master).includes('s_down');
  const downAfter = numberField(master, 'down-after-milliseconds') ?? 30_000;
  const maxMasterDownMs = (masterDown ? (numberField(master, 's-down-time') ?? 0) : 0) + downAfter * 10;
  const infoValidityMs = masterDown ? PING_PERIOD_MS * 5 : INFO_PERIOD_MS * 3;
  const qualified: ReplicaChoice[] = [];
  const skipped: SentinelChoice['skipped'] = [];
  for (const fields of replicas) {
    const host = fields.ip ?? '';
    const port = Number(fields.port);
    const flags = flagsOf(fields);
    const priority = numberField(fields, 'slave-priority') ?? 100;
    const skip = (why: string) => skipped.push({ host, port, why });
    if (flags.includes('s_down') || flags.includes('o_down')) skip('it is down');
    else if (flags.includes('disconnected')) skip('it is disconnected from the sentinel');
    else if ((numberField(fields, 'last-ok-ping-reply') ?? Infinity) > PING_PERIOD_MS * 5 - marginMs) skip('no recent PING reply');
    else if (priority === 0) skip('replica-priority 0');
    else if ((numberField(fields, 'info-refresh') ?? Infinity) > infoValidityMs - marginMs) skip('its INFO is stale');
    else if ((numberField(fields, 'master-link-down-time') ?? 0) > maxMasterDownMs - marginMs) skip('its link to the master has been down too long');
    else qualified.push({ host, port, runid: fields.runid ?? '', priority, offset: numberField(fields, 'slave-repl-offset') ?? 0 });
  }
  qualified.sort(compareReplicas);
  return { chosen: qualified[0] ?? null, skipped };
}

/** The choice with the margin a request made right after it needs. */
export function choiceBeforeRequest(master: SentinelFields, replicas: SentinelFields[]): SentinelChoice {
  return sentinelChoice(master, replicas, MARGIN_MS);
}
