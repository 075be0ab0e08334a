// Small helpers for benchmark reports: medians, number formatting, markdown tables, machine facts.

import { cpus, loadavg } from 'node:os';
import { redisVersion } from './servers';

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const formatInt = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
export const formatRatio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
export const formatMb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ') + ' |';
  return [line(header), '| ' + widths.map((width) => '-'.repeat(width)).join(' | ') + ' |', ...rows.map(line)].join('\n');
}

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  node: string;
  redis: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews results. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    redis: redisVersion(),
    loadAverageStart: Number(loadavg()[0].toFixed(2)),
  };
}

export function currentLoad(): number {
  return Number(loadavg()[0].toFixed(2));
}
