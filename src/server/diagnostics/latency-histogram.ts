// Per-command latency histograms (latency-tracking, INFO latencystats, LATENCY HISTOGRAM) laid out
// as the HdrHistogram Redis 7.0 uses: nanoseconds from 1 to 10^9 with two significant digits, so
// the percentiles and the power-of-two buckets it reports fall on the same values as Redis's.

const LOWEST = 1;
const HIGHEST = 1_000_000_000;
/** 2 significant digits: 2 * 10^2 values need single-unit resolution, so 256 sub-buckets. */
const SUB_BUCKET_COUNT = 256;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
/** Buckets until 256 << (n - 1) covers HIGHEST. */
const BUCKET_COUNT = 23;
const COUNTS_LENGTH = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

function bitLength(value: number): number {
  return value === 0 ? 0 : Math.floor(Math.log2(value)) + 1;
}

function bucketIndexOf(value: number): number {
  // value | mask, without 32-bit truncation.
  const masked = value <= SUB_BUCKET_MASK ? SUB_BUCKET_MASK : value;
  return bitLength(masked) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function countsIndexOf(value: number): number {
  const bucket = bucketIndexOf(value);
  const subBucket = Math.floor(value / 2 ** bucket);
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
}

function valueAtIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

function lowestEquivalent(value: number): number {
  const bucket = bucketIndexOf(value);
  return Math.floor(value / 2 ** bucket) * 2 ** bucket;
}

function highestEquivalent(value: number): number {
  const bucket = bucketIndexOf(value);
  const subBucket = Math.floor(value / 2 ** bucket);
  const adjusted = subBucket >= SUB_BUCKET_COUNT ? bucket + 1 : bucket;
  return lowestEquivalent(value) + 2 ** adjusted - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(COUNTS_LENGTH);
  total = 0;

  /** Records one command's duration. */
  recordNanoseconds(ns: number): void {
    const value = Math.min(HIGHEST, Math.max(LOWEST, Math.round(ns)));
    this.counts[countsIndexOf(value)]++;
    this.total++;
  }

  /** hdr_value_at_percentile: the highest value equivalent to the one the percentile falls on (the lowest for p0). */
  valueAtPercentile(percentile: number): number {
    const requested = Math.min(percentile, 100);
    const countAt = Math.max(1, Math.floor((requested / 100) * this.total + 0.5));
    let seen = 0;
    for (let i = 0; i < COUNTS_LENGTH; i++) {
      seen += this.counts[i];
      if (seen >= countAt) {
        const value = valueAtIndex(i);
        return percentile === 0 ? lowestEquivalent(value) : highestEquivalent(value);
      }
    }
    return 0;
  }

  /**
   * LATENCY HISTOGRAM's buckets: Redis walks the histogram in powers of two from 1024 ns and reports
   * at each level the highest value equivalent to it (in µs) with the count so far, when it grew.
   */
  cumulativeBuckets(): Array<[micros: number, cumulative: number]> {
    const out: Array<[number, number]> = [];
    let level = 1024;
    let levelLowest = lowestEquivalent(level);
    let index = -1;
    let value = 0;
    let cumulative = 0;
    let reported = 0;
    while (cumulative < this.total || valueAtIndex(index + 1) > levelLowest) {
      // Step to the first index at or past this level, then report the level.
      while (value < levelLowest) {
        index++;
        if (index >= COUNTS_LENGTH) return out;
        cumulative += this.counts[index];
        value = valueAtIndex(index);
      }
      if (cumulative > reported) out.push([Math.floor(highestEquivalent(value) / 1000), cumulative]);
      reported = cumulative;
      level *= 2;
      levelLowest = lowestEquivalent(level);
    }
    return out;
  }
}

const histograms = new WeakMap<object, LatencyHistogram>();

/** The command's histogram (commands are per server, so are their histograms); null before its first call. */
export function histogramOf(command: object): LatencyHistogram | null {
  return histograms.get(command) ?? null;
}

export function recordLatency(command: object, ns: number): void {
  let histogram = histograms.get(command);
  if (!histogram) histograms.set(command, (histogram = new LatencyHistogram()));
  histogram.recordNanoseconds(ns);
}

/** CONFIG RESETSTAT. */
export function resetLatency(command: object): void {
  histograms.delete(command);
}

/** "50", "99.9", "0": a percentile as Redis prints it (%f with the trailing zeros trimmed). */
export function formatPercentile(percentile: number): string {
  return percentile.toFixed(6).replace(/\.?0+$/, '');
}
