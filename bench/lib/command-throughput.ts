// redis-benchmark running one arbitrary command (EVALSHA of a loaded script, FCALL, XADD...) with
// random keys (-r), for workloads its -t tests do not cover.

import { spawn } from 'node:child_process';
import { parseBenchmarkCsv } from './redis-benchmark';

export interface CommandRunOptions {
  port: number;
  /** The command and its arguments; __rand_int__ in them is replaced by redis-benchmark. */
  command: string[];
  requests: number;
  clients: number;
  pipeline: number;
  /** Range of __rand_int__. */
  keyspace: number;
}

/** Requests per second of the command. */
export function runCommandBenchmark(options: CommandRunOptions): Promise<number> {
  const args = [
    '-h', '127.0.0.1',
    '-p', String(options.port),
    '-c', String(options.clients),
    '-n', String(options.requests),
    '-P', String(options.pipeline),
    '-r', String(options.keyspace),
    '--csv',
    ...options.command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`redis-benchmark exited with ${code}:\n${stderr}${stdout}`));
      const values = Object.values(parseBenchmarkCsv(stdout).rps);
      if (values.length !== 1 || !Number.isFinite(values[0])) return reject(new Error(`unexpected redis-benchmark output:\n${stdout}${stderr}`));
      resolve(values[0]);
    });
  });
}
