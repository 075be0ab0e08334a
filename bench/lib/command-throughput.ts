// redis-benchmark running one arbitrary command (EVALSHA of a loaded script, FCALL, XADD...) with
// random keys (-r), for workloads its -t tests do not cover.

import { runBenchmarkCsv } from './redis-benchmark';

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
  return runBenchmarkCsv(args).then((run) => {
    const values = Object.values(run.rps);
    if (values.length !== 1 || !Number.isFinite(values[0])) throw new Error(`unexpected redis-benchmark output for ${options.command.join(' ')}`);
    return values[0];
  });
}
