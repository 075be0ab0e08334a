// npm run bench:backup — `rctl backup` against `redis-cli --rdb`, downloading the same ~200 MB
// dataset from the same redis-server replica in one run, alternating, --runs times each (default 3).
// rctl's time is the whole command: source choice (INFO of every node), download, fsync, its own
// reader over the file, redis-check-rdb, rename and sidecar. redis-cli only downloads and fsyncs.
// The verification steps are also timed alone on the same file, so the download's share shows.
// Options: --keys N (default 200,000), --value-bytes N (default 1,000), --runs N.
// Results go to bench/results/backup.json and backup.md.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { readRdbFile } from '../src/launch/rdb-verify';
import { findRedisCheckRdb, runRedisCheckRdb } from '../src/launch/redis-check-rdb';
import { currentLoad, formatMb, formatRatio, machineInfo, markdownTable, median } from './lib/report';
import { repoRoot, startServerProcess, stopServerProcess } from './lib/servers';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const KEYS = option('keys', 200_000);
const VALUE_BYTES = option('value-bytes', 1000);
const RUNS = option('runs', 3);
const resultsDir = join(repoRoot, 'bench', 'results');

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return ms;
}

async function fill(client: Redis): Promise<void> {
  // Random values: the RDB is as big as the data (LZF finds nothing to compress).
  const batch = 2000;
  for (let start = 0; start < KEYS; start += batch) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(KEYS, start + batch); i++) pipeline.set(`key:${i}`, randomBytes(VALUE_BYTES));
    await pipeline.exec();
  }
}

async function inSync(master: Redis, replica: Redis): Promise<void> {
  for (;;) {
    const offset = (info: string) => Number(/master_repl_offset:(\d+)/.exec(info)?.[1]);
    const [m, r] = [offset(await master.info('replication')), offset(await replica.info('replication'))];
    if (m > 0 && m === r && /master_link_status:up/.test(await replica.info('replication'))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const master = await startServerProcess('redis');
  const replica = await startServerProcess('redis');
  const work = mkdtempSync(join(tmpdir(), 'rctl-bench-backup-'));
  const masterClient = new Redis({ port: master.port, lazyConnect: true });
  const replicaClient = new Redis({ port: replica.port, lazyConnect: true });
  try {
    await masterClient.connect();
    await replicaClient.connect();
    // Both tools get the replica's snapshot saved to disk, with no diskless delay in the way.
    await replicaClient.config('SET', 'repl-diskless-sync', 'no');
    await replicaClient.replicaof('127.0.0.1', String(master.port));
    process.stderr.write(`filling ${KEYS} keys of ${VALUE_BYTES} bytes...\n`);
    await fill(masterClient);
    await inSync(masterClient, replicaClient);

    const topology = join(work, 'bench.yml');
    writeFileSync(
      topology,
      `name: bench\nlaunch: external\nnodes:\n  - { name: master, host: 127.0.0.1, port: ${master.port}, role: master }\n  - { name: slave1, host: 127.0.0.1, port: ${replica.port}, role: replica }\n`,
    );
    const env = { ...process.env, RCTL_HOME: join(work, 'home') };
    mkdirSync(env.RCTL_HOME, { recursive: true });
    const rctl = join(repoRoot, 'bin', 'rctl.js');
    const rctlMs: number[] = [];
    const cliMs: number[] = [];
    let bytes = 0;
    for (let run = 1; run <= RUNS; run++) {
      const rctlOut = join(work, `rctl-${run}.rdb`);
      const cliOut = join(work, `cli-${run}.rdb`);
      // Alternating which goes first, so neither always meets a warm or a cold page cache.
      const order = run % 2 === 1 ? ['rctl', 'cli'] : ['cli', 'rctl'];
      for (const tool of order) {
        if (tool === 'rctl') rctlMs.push(timed(process.execPath, [rctl, 'backup', '-t', topology, '--from', 'slave1', '--out', rctlOut, '--idle-timeout', '60'], env));
        else cliMs.push(timed('redis-cli', ['-h', '127.0.0.1', '-p', String(replica.port), '--rdb', cliOut], env));
      }
      bytes = statSync(rctlOut).size;
      process.stderr.write(`run ${run}: rctl ${rctlMs.at(-1)!.toFixed(0)} ms, redis-cli ${cliMs.at(-1)!.toFixed(0)} ms (${formatMb(bytes)} MB)\n`);
      if (run < RUNS) {
        rmSync(rctlOut, { force: true });
        rmSync(`${rctlOut}.json`, { force: true });
        rmSync(cliOut, { force: true });
      }
    }

    // The verification steps alone, on the last file.
    const file = join(work, `rctl-${RUNS}.rdb`);
    let started = performance.now();
    const reading = await readRdbFile(file);
    const readerMs = performance.now() - started;
    if (reading.problem) throw new Error(`the reader failed: ${reading.problem}`);
    const checker = findRedisCheckRdb(undefined);
    started = performance.now();
    const checked = await runRedisCheckRdb(checker, file, 300_000);
    const checkerMs = performance.now() - started;

    const rctlMedian = median(rctlMs);
    const cliMedian = median(cliMs);
    const downloadOnly = rctlMedian - readerMs - (checked.verdict === 'skipped' ? 0 : checkerMs);
    const result = {
      machine: { ...machine, loadAverageEnd: currentLoad() },
      dataset: { keys: KEYS, valueBytes: VALUE_BYTES, rdbBytes: bytes, source: 'redis-server replica (PATH), repl-diskless-sync no' },
      runs: RUNS,
      rctlBackupMs: rctlMs.map(Math.round),
      redisCliRdbMs: cliMs.map(Math.round),
      medianRctlMs: Math.round(rctlMedian),
      medianRedisCliMs: Math.round(cliMedian),
      ratio: Number((rctlMedian / cliMedian).toFixed(2)),
      verification: { readerMs: Math.round(readerMs), redisCheckRdbMs: Math.round(checkerMs), redisCheckRdb: checked.verdict },
      rctlWithoutVerificationMs: Math.round(downloadOnly),
      ratioWithoutVerification: Number((downloadOnly / cliMedian).toFixed(2)),
    };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'backup.json'), JSON.stringify(result, null, 2) + '\n');
    const md = [
      '# bench:backup — `rctl backup` vs `redis-cli --rdb`',
      '',
      `${machine.date}, ${machine.nproc} cores (${machine.cpuModel}), Node ${machine.node}, redis ${machine.redis}; load ${machine.loadAverageStart} → ${result.machine.loadAverageEnd}.`,
      `Dataset: ${KEYS.toLocaleString('en-US')} keys of ${VALUE_BYTES} random bytes, RDB ${formatMb(bytes)} MB, from one redis-server replica saving to disk; ${RUNS} runs each, alternating.`,
      '',
      markdownTable(
        ['', 'median ms', 'runs (ms)'],
        [
          ['`rctl backup` (whole command)', String(result.medianRctlMs), result.rctlBackupMs.join(', ')],
          ['`redis-cli --rdb`', String(result.medianRedisCliMs), result.redisCliRdbMs.join(', ')],
          ['rctl reader over the file (alone)', String(result.verification.readerMs), ''],
          [`redis-check-rdb over the file (alone, ${checked.verdict})`, String(result.verification.redisCheckRdbMs), ''],
          ['rctl backup minus both verifications', String(result.rctlWithoutVerificationMs), ''],
        ],
      ),
      '',
      `Ratio rctl / redis-cli: **${formatRatio(result.ratio)}** for the whole command; ${formatRatio(result.ratioWithoutVerification)} without the two verification passes, which redis-cli does not make.`,
      '',
    ].join('\n');
    writeFileSync(join(resultsDir, 'backup.md'), md);
    process.stdout.write(md);
  } finally {
    masterClient.disconnect();
    replicaClient.disconnect();
    await stopServerProcess(replica);
    await stopServerProcess(master);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
