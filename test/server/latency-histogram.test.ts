// The per-command latency histogram laid out as Redis's HdrHistogram (1 ns to 1 s, 2 significant
// digits): the values Redis prints for known durations (1 µs reads 1.003, 2 µs 2.007...) and the
// power-of-two buckets of LATENCY HISTOGRAM.

import { describe, expect, it } from 'vitest';
import { formatPercentile, LatencyHistogram } from '../../src/server/diagnostics/latency-histogram';

describe('latency histogram', () => {
  // 50 ms: bucket 18 (2^25 <= v < 2^26, 256 sub-buckets), so [190 * 2^18, 191 * 2^18 - 1].
  it('reports the highest value equivalent to the recorded one, as hdr_value_at_percentile', () => {
    const histogram = new LatencyHistogram();
    histogram.recordNanoseconds(1000);
    expect(histogram.valueAtPercentile(50)).toBe(1003);
    expect(histogram.valueAtPercentile(0)).toBe(1000);
    const wider = new LatencyHistogram();
    for (const micros of [1, 2, 2, 3, 4, 50_000]) wider.recordNanoseconds(micros * 1000);
    expect(wider.valueAtPercentile(50)).toBe(2007);
    expect(wider.valueAtPercentile(99)).toBe(50_069_503);
    expect(wider.valueAtPercentile(100)).toBe(50_069_503);
    expect(wider.total).toBe(6);
  });

  it('clamps to 1 ns .. 1 s', () => {
    const histogram = new LatencyHistogram();
    histogram.recordNanoseconds(0);
    histogram.recordNanoseconds(5e12);
    expect(histogram.valueAtPercentile(0)).toBe(1);
    expect(histogram.valueAtPercentile(100)).toBeGreaterThanOrEqual(1e9);
  });

  it('buckets by powers of two from 1024 ns, cumulative, skipping levels that add nothing', () => {
    const histogram = new LatencyHistogram();
    for (const micros of [1, 1, 3, 100]) histogram.recordNanoseconds(micros * 1000);
    expect(histogram.cumulativeBuckets()).toEqual([
      [1, 2],
      [4, 3],
      [132, 4],
    ]);
    expect(new LatencyHistogram().cumulativeBuckets()).toEqual([]);
  });

  it('prints percentiles as %f with trailing zeros trimmed', () => {
    expect([50, 99, 99.9, 0, 100, 12.5].map(formatPercentile)).toEqual(['50', '99', '99.9', '0', '100', '12.5']);
  });
});
