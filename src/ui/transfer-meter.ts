// A byte transfer's progress line (a full sync's RDB, a backup download): bar, bytes of total,
// rate and ETA. The rate is taken over the last few seconds, so a transfer that stalls shows it.

import { formatRate, formatSize } from '../formats/bytes';
import type { Symbols } from './charset';

const RATE_WINDOW_MS = 5000;
const BAR_CELLS = 20;

interface Sample {
  at: number;
  bytes: number;
}

export interface TransferReading {
  doneBytes: number;
  totalBytes: number | null;
  /** Bytes per second over the recent window; null until two samples apart in time. */
  bytesPerSecond: number | null;
  /** Seconds left at the recent rate; null without a total or a rate. */
  etaSeconds: number | null;
}

export class TransferMeter {
  private samples: Sample[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(doneBytes: number, totalBytes: number | null): TransferReading {
    const at = this.now();
    const last = this.samples.at(-1);
    // Fewer bytes than before means a new transfer began (a sync restarted).
    if (last && doneBytes < last.bytes) this.samples = [];
    this.samples.push({ at, bytes: doneBytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = at - first.at;
    const bytesPerSecond = elapsed > 0 ? ((doneBytes - first.bytes) * 1000) / elapsed : null;
    const left = totalBytes === null ? null : Math.max(0, totalBytes - doneBytes);
    const etaSeconds = left !== null && bytesPerSecond !== null && bytesPerSecond > 0 ? left / bytesPerSecond : null;
    return { doneBytes, totalBytes, bytesPerSecond, etaSeconds };
  }
}

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `[████░░░░] 412.3 MB of 1.21 GB, 85.3 MB/s, ETA 9 s`; without a total, no bar and no ETA. */
export function transferText(reading: TransferReading, symbols: Symbols): string {
  const parts: string[] = [];
  if (reading.totalBytes !== null && reading.totalBytes > 0) {
    const fraction = Math.min(1, reading.doneBytes / reading.totalBytes);
    const cells = Math.round(fraction * BAR_CELLS);
    parts.push(`[${symbols.barDone.repeat(cells)}${symbols.barLeft.repeat(BAR_CELLS - cells)}] ${formatSize(reading.doneBytes)} of ${formatSize(reading.totalBytes)}`);
  } else {
    parts.push(`${formatSize(reading.doneBytes)} received`);
  }
  if (reading.bytesPerSecond !== null) parts.push(formatRate(reading.bytesPerSecond));
  if (reading.etaSeconds !== null) parts.push(`ETA ${formatEta(reading.etaSeconds)}`);
  return parts.join(', ');
}
