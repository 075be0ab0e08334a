// Runs redis-benchmark with --csv and returns requests per second by test name.

import { spawn } from 'node:child_process';

export interface BenchmarkRun {
  /** Test name as redis-benchmark prints it (SET, GET, INCR, LPUSH, HSET...) -> requests per second. */
  rps: Record<string, number>;
  /** Median latency in ms by test. */
  p50: Record<string, number>;
}

export interface BenchmarkOptions {
  port: number;
  tests: string[];
  requests: number;
  clients: number;
  pipeline: number;
}

/** Parses one CSV line of double-quoted fields. */
function csvFields(line: string): string[] {
  return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1].replace(/""/g, '"'));
}

export function parseBenchmarkCsv(text: string): BenchmarkRun {
  const run: BenchmarkRun = { rps: {}, p50: {} };
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('"'));
  const header = csvFields(lines[0] ?? '');
  const rpsColumn = header.indexOf('rps');
  const p50Column = header.indexOf('p50_latency_ms');
  if (rpsColumn === -1) throw new Error(`unexpected redis-benchmark output:\n${text}`);
  for (const line of lines.slice(1)) {
    const fields = csvFields(line);
    run.rps[fields[0]] = Number(fields[rpsColumn]);
    if (p50Column !== -1) run.p50[fields[0]] = Number(fields[p50Column]);
  }
  return run;
}

export function runRedisBenchmark(options: BenchmarkOptions): Promise<BenchmarkRun> {
  const args = [
    '-h', '127.0.0.1',
    '-p', String(options.port),
    '-c', String(options.clients),
    '-n', String(options.requests),
    '-t', options.tests.join(','),
    '-P', String(options.pipeline),
    '--csv',
  ];
  return runBenchmarkCsv(args).then((run) => {
    const missing = options.tests.filter((test) => !(test.toUpperCase() in run.rps));
    if (missing.length > 0) throw new Error(`redis-benchmark printed no result for ${missing.join(', ')}`);
    return run;
  });
}

/** Runs redis-benchmark with `args` (which include --csv) and parses what it printed. */
export function runBenchmarkCsv(args: string[]): Promise<BenchmarkRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`redis-benchmark ${args.join(' ')} exited with ${code}:\n${stderr}${stdout}`));
      try {
        resolve(parseBenchmarkCsv(stdout));
      } catch (error) {
        reject(error);
      }
    });
  });
}
