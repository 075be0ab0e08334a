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

export const SWITCH_PING_PERIOD = '2147483647';
export const FENCE_MIN_REPLICAS = '2147483647';
const FENCE_MAX_LAG = '10';

export const SWITCH_SETTINGS = ['repl-ping-replica-period', 'min-replicas-to-write', 'min-replicas-max-lag'] as const;
export type SwitchSetting = (typeof SWITCH_SETTINGS)[number];

/** Redis 7.0's defaults, for a node that did not say. */
const DEFAULTS: Record<SwitchSetting, string> = { 'repl-ping-replica-period': '10', 'min-replicas-to-write': '0', 'min-replicas-max-lag': '10' };

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

/** Every switch setting back as it was: the fence first, the PING period last. */
export function restoreSettings(original: Partial<Record<string, string>>): Setting[] {
  const order: SwitchSetting[] = ['min-replicas-to-write', 'min-replicas-max-lag', 'repl-ping-replica-period'];
  return order.filter((name) => original[name] !== undefined).map((name) => [name, original[name] as string]);
}
