import { describe, expect, it } from 'vitest';
import { SyncTransferTotals } from '../../src/cluster/sync';
import { parseInfo, syncTransfer } from '../../src/node/info';
import { symbolsOf } from '../../src/ui/charset';
import { StderrProgress } from '../../src/ui/progress';
import { TransferMeter, transferText } from '../../src/ui/transfer-meter';

const MB = 1024 * 1024;

describe('TransferMeter', () => {
  it('derives the rate over the recent window and the ETA from the bytes left', () => {
    let now = 0;
    const meter = new TransferMeter(() => now);
    expect(meter.record(0, 100 * MB)).toEqual({ doneBytes: 0, totalBytes: 100 * MB, bytesPerSecond: null, etaSeconds: null });
    now = 1000;
    const reading = meter.record(10 * MB, 100 * MB);
    expect(reading.bytesPerSecond).toBe(10 * MB);
    expect(reading.etaSeconds).toBe(9);
    expect(transferText(reading, symbolsOf('ascii'))).toBe('[##..................] 10.0 MB of 100.0 MB, 10.0 MB/s, ETA 9 s');
  });

  it('forgets samples older than the window, so a stall shows as a falling rate', () => {
    let now = 0;
    const meter = new TransferMeter(() => now);
    meter.record(0, null);
    now = 1000;
    meter.record(50 * MB, null);
    for (now = 2000; now <= 9000; now += 1000) meter.record(50 * MB, null);
    const stalled = meter.record(50 * MB, null);
    expect(stalled.bytesPerSecond).toBe(0);
    expect(transferText(stalled, symbolsOf('unicode'))).toBe('50.0 MB received, 0 B/s');
  });

  it('starts over when a new transfer begins (fewer bytes than before)', () => {
    let now = 0;
    const meter = new TransferMeter(() => now);
    meter.record(80 * MB, 100 * MB);
    now = 500;
    expect(meter.record(1 * MB, 100 * MB).bytesPerSecond).toBeNull();
  });

  it('prints long ETAs in minutes and hours', () => {
    const symbols = symbolsOf('unicode');
    expect(transferText({ doneBytes: 0, totalBytes: 4 * 1024 * MB, bytesPerSecond: MB, etaSeconds: 4096 }, symbols)).toBe(
      '[░░░░░░░░░░░░░░░░░░░░] 0 B of 4.00 GB, 1.0 MB/s, ETA 1 h 8 min',
    );
    expect(transferText({ doneBytes: MB, totalBytes: 2 * MB, bytesPerSecond: 1024, etaSeconds: 125 }, symbols)).toContain('ETA 2 min 5 s');
  });
});

describe('sync transfer from INFO replication', () => {
  it('reads 6.0+ read and total bytes, and a diskless total of -1 as unknown', () => {
    const info = (text: string) => syncTransfer(parseInfo(text.split('\n').join('\r\n')));
    expect(info('role:slave\nmaster_sync_in_progress:1\nmaster_sync_total_bytes:1000\nmaster_sync_read_bytes:250\nmaster_sync_left_bytes:750')).toEqual({
      readBytes: 250,
      totalBytes: 1000,
      leftBytes: 750,
    });
    expect(info('role:slave\nmaster_sync_in_progress:1\nmaster_sync_total_bytes:-1\nmaster_sync_read_bytes:4096\nmaster_sync_left_bytes:-4097')).toEqual({
      readBytes: 4096,
      totalBytes: null,
      leftBytes: null,
    });
    expect(info('role:slave\nmaster_sync_in_progress:0')).toBeNull();
  });

  it('sums several replicas, and takes a 5.0 total as the most bytes left seen', () => {
    const totals = new SyncTransferTotals();
    expect(totals.sum([{ name: 'a', transfer: { readBytes: null, totalBytes: null, leftBytes: 800 } }])).toEqual({ done: 0, total: 800 });
    expect(
      totals.sum([
        { name: 'a', transfer: { readBytes: null, totalBytes: null, leftBytes: 300 } },
        { name: 'b', transfer: { readBytes: 100, totalBytes: 200, leftBytes: 100 } },
      ]),
    ).toEqual({ done: 600, total: 1000 });
    expect(totals.sum([{ name: 'b', transfer: { readBytes: 10, totalBytes: null, leftBytes: null } }])).toEqual({ done: 10, total: null });
    expect(totals.sum([{ name: 'a', transfer: null }])).toBeNull();
  });
});

describe('StderrProgress.transfer', () => {
  it('shows the bar as the step detail on a terminal, and restarts the meter with each step', () => {
    const written: string[] = [];
    const progress = new StderrProgress({ write: (text: string) => written.push(text), isTTY: true, columns: 200 }, 'ascii');
    progress.step('waiting for n2 to sync with n1');
    progress.transfer(512, 1024);
    progress.stop();
    expect(written.join('')).toContain('waiting for n2 to sync with n1 ([##########..........] 512 B of 1.0 KB)');
  });
});
