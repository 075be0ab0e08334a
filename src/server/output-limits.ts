// client-output-buffer-limit, for every class of client, as Redis applies it: a client whose
// unsent output reaches the hard limit, or stays over the soft limit for longer than its seconds,
// is closed (a subscriber that never reads must not grow the node without bound). An
// unauthenticated client may not hold more than 1 KB of unsent output at all: otherwise anyone who
// can connect grows the node by sending commands without reading (Redis's fix for CVE-2025-21605).

import { parseMemory } from './config';

export const OUTPUT_BUFFER_CLASSES = ['normal', 'replica', 'pubsub'] as const;
export type OutputBufferClass = (typeof OUTPUT_BUFFER_CLASSES)[number];

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export const OUTPUT_BUFFER_DEFAULTS: Record<OutputBufferClass, [number, number, number]> = {
  normal: [0, 0, 0],
  replica: [256 * 1024 * 1024, 64 * 1024 * 1024, 60],
  pubsub: [32 * 1024 * 1024, 8 * 1024 * 1024, 60],
};

/** What an unauthenticated client may have waiting to be sent. */
export const UNAUTHENTICATED_OUTPUT_LIMIT = 1024;

export const LOG_OUTPUT_LIMIT_CLOSE = (clientInfo: string) => `Client ${clientInfo} scheduled to be closed ASAP for overcoming of output buffer limits.`;

/**
 * The three classes with the stored value applied over the defaults, as CONFIG GET shows them
 * ('slave' names the replica class).
 */
export function outputBufferLimits(value: string): Record<OutputBufferClass, [number, number, number]> {
  const limits = { ...OUTPUT_BUFFER_DEFAULTS };
  const parts = value.trim() === '' ? [] : value.trim().split(/\s+/);
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const cls = parts[i].toLowerCase();
    const name = cls === 'slave' ? 'replica' : (cls as OutputBufferClass);
    if (!(name in limits)) continue;
    limits[name] = [parseMemory(parts[i + 1]) ?? 0, parseMemory(parts[i + 2]) ?? 0, Number(parts[i + 3])];
  }
  return limits;
}

/** Parsing the setting on every write would cost more than the check: keep the last one. */
let cachedSetting = '';
let cachedLimits = outputBufferLimits('');

export function outputLimitOf(setting: string, cls: OutputBufferClass): OutputLimit {
  if (setting !== cachedSetting) {
    cachedLimits = outputBufferLimits(setting);
    cachedSetting = setting;
  }
  const [hard, soft, softSeconds] = cachedLimits[cls];
  return { hard, soft, softSeconds };
}

/** Tracks one client's time over its soft limit. */
export class SoftLimitClock {
  private since = 0;

  /** True when `used` bytes break `limit` at `now` (ms). */
  exceeded(used: number, limit: OutputLimit, now: number): boolean {
    if (limit.hard > 0 && used >= limit.hard) return true;
    if (limit.soft > 0 && used >= limit.soft) {
      if (this.since === 0) {
        this.since = now;
        return false;
      }
      return now - this.since > limit.softSeconds * 1000;
    }
    this.since = 0;
    return false;
  }
}
