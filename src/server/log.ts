// Log lines in Redis's format: "pid:R dd Mon yyyy hh:mm:ss.mmm <level> message".
// R is the role letter (M master, S replica, C child); the level mark is . - * # as in Redis.

import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LogSink {
  write(line: string): void;
}

export class Logger {
  level: LogLevel = 'notice';
  role: 'M' | 'S' | 'C' = 'M';
  /** Every line is also kept here when set (tests read replication events from it). */
  memory: string[] | null = null;

  constructor(
    private sink: LogSink | null,
    private readonly now: () => number = Date.now,
  ) {}

  setSink(sink: LogSink | null): void {
    this.sink = sink;
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  verbose(message: string): void {
    this.log('verbose', message);
  }
  notice(message: string): void {
    this.log('notice', message);
  }
  warning(message: string): void {
    this.log('warning', message);
  }

  log(level: LogLevel, message: string): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.level]) return;
    const line = `${process.pid}:${this.role} ${formatLogTime(this.now())} ${LEVEL_MARK[level]} ${message}`;
    this.memory?.push(line);
    this.sink?.write(line + '\n');
  }
}

export function formatLogTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export const stdoutSink: LogSink = { write: (line) => process.stdout.write(line) };

export function fileSink(path: string): LogSink {
  return { write: (line) => appendFileSync(path, line) };
}
