// The old master's settings a graceful switch changes, and the values it changes them to.
//
// - repl-ping-replica-period: real Redis sends its replication PING every period seconds even
//   while writes are paused, and each one moves master_repl_offset by 14 bytes. One sent after the
//   candidate's last probe would leave the old master ahead of the promoted node's history and
//   force it into a full resync. The cron sends it when its seconds counter is a multiple of the
//   period, so the largest period Redis accepts (INT_MAX) never fires during a switch.
// - min-replicas-to-write (the fence): CLIENT PAUSE only holds writes until its deadline. Before a
//   candidate is promoted, the old master must refuse writes for good, or a partition that cuts
//   rctl off from it after the promotion would leave two writable masters once the pause ends.
//   No master has INT_MAX good replicas, so it answers -NOREPLICAS until the setting is restored;
//   min-replicas-max-lag 0 would switch that check off, hence a lag when it is 0.
// - replica-read-only: the old master becomes a replica, and the writes its pause held then run;
//   so do those of every client still connected to it, which follows no ROLE change without an
//   error. A writable replica would acknowledge them all, and lose them at its next sync. So it is
//   set to yes with the fence when it was no, and left so (the result says it, `rctl check` flags
//   writable replicas): it is not one of the settings a switch puts back.
// - hz: before 6.2 Redis lifts an expired CLIENT PAUSE only at its next cron tick, 1000/hz ms
//   apart: hz 100 in the pause's own transaction brings a 10 ms pause from about 60 ms down to
//   about 13 ms (measured on 5.0.14), so it is raised for the switch when it is lower.
// Only what a switch changes is recorded and restored (switchedSettings).

export const SWITCH_PING_PERIOD = '2147483647';
export const FENCE_MIN_REPLICAS = '2147483647';
const FENCE_MAX_LAG = '10';

export const SWITCH_SETTINGS = ['repl-ping-replica-period', 'min-replicas-to-write', 'min-replicas-max-lag', 'replica-read-only', 'hz'] as const;
export type SwitchSetting = (typeof SWITCH_SETTINGS)[number];

/** Redis 7.0's defaults, for a node that did not say. */
const DEFAULTS: Record<SwitchSetting, string> = { 'repl-ping-replica-period': '10', 'min-replicas-to-write': '0', 'min-replicas-max-lag': '10', 'replica-read-only': 'yes', hz: '10' };
const PAUSE_LIFT_HZ = 100;

export type SwitchSettings = Record<SwitchSetting, string>;

/** What a switch sets: read back from a node an earlier switch left unrepaired, it is not the original. */
const SWITCH_VALUES: Partial<Record<SwitchSetting, string>> = { 'repl-ping-replica-period': SWITCH_PING_PERIOD, 'min-replicas-to-write': FENCE_MIN_REPLICAS };

export function withDefaults(read: Partial<Record<string, string | null>>): SwitchSettings {
  const settings = { ...DEFAULTS };
  for (const name of SWITCH_SETTINGS) {
    const value = read[name];
    if (typeof value === 'string' && value !== '' && value !== SWITCH_VALUES[name]) settings[name] = value;
  }
  return settings;
}

/** A parameter and its value, as CONFIG SET takes them. */
export type Setting = readonly [name: string, value: string];

/** The switch's PING period (before the pause). */
export function quietPingSettings(): Setting[] {
  return [['repl-ping-replica-period', SWITCH_PING_PERIOD]];
}

/**
 * The fence: every write gets -NOREPLICAS while the node is a master. The lag goes first so that
 * the two never apply apart on a version that sets them one at a time (capabilities.ts).
 */
export function fenceSettings(original: SwitchSettings): Setting[] {
  const settings: Setting[] = [];
  if (original['min-replicas-max-lag'] === '0') settings.push(['min-replicas-max-lag', FENCE_MAX_LAG]);
  settings.push(['min-replicas-to-write', FENCE_MIN_REPLICAS]);
  return settings;
}

/** A demoted old master refuses writes: replica-read-only yes, where it was not. */
export function readOnlySettings(original: SwitchSettings): Setting[] {
  return original['replica-read-only'] === 'yes' ? [] : [['replica-read-only', 'yes']];
}

/** A pause that cannot be ended early lifts within 10 ms of its deadline: hz 100, where it is lower. */
export function pauseLiftSettings(original: SwitchSettings): Setting[] {
  return Number(original.hz) >= PAUSE_LIFT_HZ ? [] : [['hz', String(PAUSE_LIFT_HZ)]];
}

/** The original values of what a switch of this kind changes: what its record keeps and its end restores. */
export function switchedSettings(original: SwitchSettings, kind: 'pause-writes' | 'pause-and-demote' | 'none'): Partial<SwitchSettings> {
  if (kind === 'none') return {};
  const changed: Partial<SwitchSettings> = {
    'repl-ping-replica-period': original['repl-ping-replica-period'],
    'min-replicas-to-write': original['min-replicas-to-write'],
    'min-replicas-max-lag': original['min-replicas-max-lag'],
  };
  if (kind === 'pause-and-demote' && pauseLiftSettings(original).length > 0) changed.hz = original.hz;
  return changed;
}

/** Settings back as they were, from what a switch recorded: the fence first. */
export function restoreSettings(recorded: Partial<Record<string, string>>): Setting[] {
  const order: SwitchSetting[] = ['min-replicas-to-write', 'min-replicas-max-lag', 'repl-ping-replica-period', 'hz'];
  return order.filter((name) => recorded[name] !== undefined).map((name) => [name, recorded[name] as string]);
}
