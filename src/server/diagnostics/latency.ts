// The latency monitor (LATENCY LATEST/HISTORY/RESET/DOCTOR/GRAPH) as Redis 7.0's latency.c keeps
// it: per event ("command", "fast-command", "expire-cycle"...) a ring of the last 160 one-second
// samples, each second keeping its worst latency, plus the all-time maximum.

const HISTORY_LENGTH = 160;
const GRAPH_COLUMNS = 80;

export interface LatencySample {
  /** Unix seconds. */
  readonly time: number;
  /** Milliseconds. */
  latency: number;
}

class EventSeries {
  readonly samples: LatencySample[] = [];
  max = 0;

  add(latency: number, now: number): void {
    if (latency > this.max) this.max = latency;
    const last = this.samples[this.samples.length - 1];
    if (last?.time === now) {
      if (latency > last.latency) last.latency = latency;
      return;
    }
    this.samples.push({ time: now, latency });
    if (this.samples.length > HISTORY_LENGTH) this.samples.shift();
  }
}

export interface LatencyLatest {
  readonly event: string;
  readonly time: number;
  readonly latency: number;
  readonly max: number;
}

export class LatencyMonitor {
  private readonly events = new Map<string, EventSeries>();

  /** Records `latencyMs` for `event` when the threshold is on (> 0) and reached. */
  sampleIfNeeded(event: string, latencyMs: number, thresholdMs: number, nowMs: number): void {
    if (thresholdMs <= 0 || latencyMs < thresholdMs) return;
    let series = this.events.get(event);
    if (!series) this.events.set(event, (series = new EventSeries()));
    series.add(latencyMs, Math.floor(nowMs / 1000));
  }

  latest(): LatencyLatest[] {
    return [...this.events].map(([event, series]) => {
      const last = series.samples[series.samples.length - 1];
      return { event, time: last.time, latency: last.latency, max: series.max };
    });
  }

  history(event: string): readonly LatencySample[] {
    return this.events.get(event)?.samples ?? [];
  }

  /** Forgets one event (case-insensitively) or all of them; returns how many were dropped. */
  reset(event?: string): number {
    let resets = 0;
    for (const name of [...this.events.keys()]) {
      if (event === undefined || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        resets++;
      }
    }
    return resets;
  }

  /** LATENCY GRAPH: null when the event has no samples. */
  graph(event: string, nowMs: number): string | null {
    const series = this.events.get(event);
    if (!series) return null;
    const now = Math.floor(nowMs / 1000);
    const values = series.samples.map((sample) => sample.latency);
    const labels = series.samples.map((sample) => ageLabel(now - sample.time));
    const high = Math.max(...values);
    const low = Math.min(...values);
    let out = `${event} - high ${high} ms, low ${low} ms (all time high ${series.max} ms)\n${'-'.repeat(GRAPH_COLUMNS)}\n`;
    for (let start = 0; start < values.length; start += GRAPH_COLUMNS) {
      if (start !== 0) out += '\n';
      out += sparkline(values, labels, start, Math.min(GRAPH_COLUMNS, values.length - start), 4, low, high);
    }
    return out;
  }

  /** LATENCY DOCTOR's report, for the events this node records. */
  report(thresholdMs: number, slowlogThresholdUsec: number, nowMs: number): string {
    if (this.events.size === 0 && thresholdMs === 0) return DISABLED;
    const now = Math.floor(nowMs / 1000);
    let out = '';
    let eventNumber = 0;
    const advice = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, hz: false, largeObjects: false };
    let advices = 0;
    for (const [event, series] of this.events) {
      eventNumber++;
      if (eventNumber === 1) out += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
      const stats = analyze(series, now);
      out += `${eventNumber}. ${event}: ${stats.samples} latency spikes (average ${stats.avg}ms, mean deviation ${stats.mad}ms, period ${(stats.period / stats.samples).toFixed(2)} sec). Worst all time event ${series.max}ms.`;
      const name = event.toLowerCase();
      if (name === 'command') {
        if (slowlogThresholdUsec < 0) {
          advice.slowlogEnabled = true;
          advices++;
        } else if (Math.floor(slowlogThresholdUsec / 1000) > thresholdMs) {
          advice.slowlogTuning = true;
          advices++;
        }
        advice.slowlogInspect = true;
        advice.largeObjects = true;
        advices += 2;
      }
      if (name === 'fast-command') {
        advice.scheduler = true;
        advices++;
      }
      if (name === 'expire-cycle') {
        advice.hz = true;
        advice.largeObjects = true;
        advices += 2;
      }
      out += '\n';
    }
    if (eventNumber === 0 && advices === 0) return out + NO_SPIKES;
    if (advices === 0) return out + NO_ADVICE;
    out += '\nI have a few advices for you:\n\n';
    if (advice.slowlogEnabled) out += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${thresholdMs * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
    if (advice.slowlogTuning) out += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${thresholdMs * 1000}'.\n`;
    if (advice.slowlogInspect) out += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
    if (advice.scheduler) out += SCHEDULER_ADVICE;
    if (advice.hz) out += "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
    if (advice.largeObjects) out += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
    return out;
  }
}

const DISABLED =
  'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
const NO_SPIKES =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
const NO_ADVICE =
  "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
const SCHEDULER_ADVICE =
  '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
  '  1) Lower the system load.\n' +
  '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
  '  3) Check if you have a "noisy neighbour" problem.\n' +
  "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
  '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';

/** Average, mean absolute deviation (integer ms, as Redis computes them) and the seconds covered. */
function analyze(series: EventSeries, now: number): { samples: number; avg: number; mad: number; period: number } {
  const samples = series.samples.length;
  const sum = series.samples.reduce((total, sample) => total + sample.latency, 0);
  const avg = Math.floor(sum / samples);
  const oldest = Math.min(...series.samples.map((sample) => sample.time));
  const period = now - oldest || 1;
  const deviations = series.samples.reduce((total, sample) => total + Math.abs(avg - sample.latency), 0);
  return { samples, avg, mad: Math.floor(deviations / samples), period };
}

function ageLabel(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.floor(elapsed / 60)}m`;
  if (elapsed < 3600 * 24) return `${Math.floor(elapsed / 3600)}h`;
  return `${Math.floor(elapsed / (3600 * 24))}d`;
}

const FILL_CHARS = '_o#';

/** Redis's sparklineRenderRange with SPARKLINE_FILL: `rows` rows of bars, then the labels written downwards. */
function sparkline(values: number[], labels: string[], offset: number, length: number, rows: number, min: number, max: number): string {
  const relativeMax = max - min === 0 ? 1 : max - min;
  const steps = FILL_CHARS.length * rows;
  let out = '';
  for (let row = 0; ; row++) {
    let more = false;
    const chars = new Array<string>(length).fill(' ');
    for (let j = 0; j < length; j++) {
      const value = values[j + offset];
      let step = Math.trunc(((value - min) * steps) / relativeMax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        more = true;
        const index = step - (rows - row - 1) * FILL_CHARS.length;
        if (index >= 0 && index < FILL_CHARS.length) chars[j] = FILL_CHARS[index];
        else if (index >= FILL_CHARS.length) chars[j] = '|';
      } else {
        // One blank row between the bars and the labels.
        if (row - rows < 1) {
          more = true;
          break;
        }
        const label = labels[j + offset];
        const at = row - rows - 1;
        if (label.length > at) {
          more = true;
          chars[j] = label[at];
        }
      }
    }
    if (!more) return out;
    out += chars.join('') + '\n';
  }
}
