// The per-key access field Redis keeps in each object's 24 `lru` bits, read one of two ways as
// the policy says: under an LFU policy (minutes of last decrement << 8) | log counter, otherwise
// the LRU clock in seconds. Like Redis, switching policy reinterprets the field, which is why
// Redis warns that LRU and LFU data take time to adjust.

/** Redis's LFU_INIT_VAL: a new key starts here so it is not evicted before it can be used. */
export const LFU_INIT_VAL = 5;
const LFU_COUNTER_MAX = 255;
/** LFUGetTimeInMinutes wraps at 16 bits. */
const MINUTES_WRAP = 65535;

export interface LfuSettings {
  logFactor: number;
  decayTime: number;
  random(): number;
}

/** LRU_CLOCK: seconds, the resolution Redis's lruclock has (LRU_CLOCK_RESOLUTION 1000 ms). */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

/** estimateObjectIdleTime in ms. Our clock does not wrap at 24 bits, so no wrap-around case. */
export function idleMs(field: number, nowMs: number): number {
  return Math.max(0, lruClock(nowMs) - field) * 1000;
}

function minutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & MINUTES_WRAP;
}

function minutesElapsed(ldt: number, nowMs: number): number {
  const now = minutes(nowMs);
  return now >= ldt ? now - ldt : MINUTES_WRAP - ldt + now;
}

export function lfuInitial(nowMs: number): number {
  return (minutes(nowMs) << 8) | LFU_INIT_VAL;
}

/** LFUDecrAndReturn: the counter after one decrement per lfu-decay-time minutes idle (not stored). */
export function lfuDecayed(field: number, nowMs: number, settings: LfuSettings): number {
  const ldt = field >>> 8;
  const counter = field & 255;
  const periods = settings.decayTime > 0 ? Math.floor(minutesElapsed(ldt, nowMs) / settings.decayTime) : 0;
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr: the higher the counter, the less likely an access raises it (lfu-log-factor). */
function logIncrement(counter: number, settings: LfuSettings): number {
  if (counter === LFU_COUNTER_MAX) return counter;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * settings.logFactor + 1);
  return settings.random() < p ? counter + 1 : counter;
}

/** updateLFU: decay, then a probabilistic increment, stamped with the current minute. */
export function lfuTouched(field: number, nowMs: number, settings: LfuSettings): number {
  const counter = logIncrement(lfuDecayed(field, nowMs, settings), settings);
  return (minutes(nowMs) << 8) | counter;
}
