// npm run bench:sync — full synchronization of 1M keys (16-byte values), in one run, for
// bundled->bundled, redis->redis, bundled->redis and redis->bundled, with the replica's resident
// memory; then (with --seeds) the seeds' 10,000,105 keys bundled->bundled and redis->redis.
// Results go to bench/results/sync.json and sync.md.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitForPort, type StartedProcess } from '../test/helpers/processes';

const repoRoot = join(__dirname, '..', '..');
const resultsDir = join(repoRoot, 'bench', 'results');
type Kind = 'bundled' | 'redis';

interface Proc {
  kind: Kind;
  port: number;
  child: ChildProcess;
  dir: string;
  started: StartedProcess;
}

async function start(kind: Kind): Promise<Proc> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `rctl-bench-${kind}-`));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--repl-diskless-sync-delay', '0', '--logfile', join(dir, 'node.log')];
  const started =
    kind === 'redis'
      ? startProcess('redis-server', args, { captureOutput: false })
      : startProcess(process.execPath, ['--max-old-space-size=16384', join(repoRoot, 'bin', 'rctl.js'), 'server', ...args], { captureOutput: false });
  await waitForPort('127.0.0.1', port, { timeoutMs: 10_000 });
  return { kind, port, child: started.child, dir, started };
}

async function stop(proc: Proc): Promise<void> {
  await proc.started.stop();
  rmSync(proc.dir, { recursive: true, force: true });
}

function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

function info(port: number): Record<string, string> {
  return Object.fromEntries(
    cli(port, 'INFO', 'replication')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Loads `count` keys with 16-byte values through redis-cli --pipe (the mass-insertion protocol). */
function load(port: number, count: number): void {
  const batch = 1_000_000;
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(count, start + batch);
    const parts: string[] = [];
    for (let i = start; i < end; i++) {
      const key = `key:${i}`;
      const value = String(i).padStart(16, '0');
      parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$16\r\n${value}\r\n`);
    }
    const result = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { input: parts.join(''), maxBuffer: 1 << 30, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`load failed: ${result.stderr || result.stdout}`);
  }
  const size = Number(cli(port, 'DBSIZE'));
  if (size !== count) throw new Error(`expected ${count} keys, found ${size}`);
}

interface SyncResult {
  pair: string;
  keys: number;
  seconds: number;
  replicaRssMb: number;
  masterRssMb: number;
}

async function measureSync(masterKind: Kind, replicaKind: Kind, keys: number): Promise<SyncResult> {
  const master = await start(masterKind);
  const replica = await start(replicaKind);
  try {
    load(master.port, keys);
    const started = performance.now();
    cli(replica.port, 'REPLICAOF', '127.0.0.1', String(master.port));
    for (;;) {
      const r = info(replica.port);
      if (r.master_link_status === 'up' && Number(cli(replica.port, 'DBSIZE')) === keys) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      pair: `${masterKind}->${replicaKind}`,
      keys,
      seconds,
      replicaRssMb: rssMb(replica.child.pid as number),
      masterRssMb: rssMb(master.child.pid as number),
    };
  } finally {
    await Promise.all([stop(master), stop(replica)]);
  }
}

/** The seeds' dataset size (their DBSIZE transcript). */
const SEED_KEYS = 10_000_105;

async function main(): Promise<void> {
  const seeds = process.argv.includes('--seeds');
  const keys = 1_000_000;
  const results: SyncResult[] = [];
  const pairs: Array<[Kind, Kind]> = [
    ['bundled', 'bundled'],
    ['redis', 'redis'],
    ['bundled', 'redis'],
    ['redis', 'bundled'],
  ];
  for (const [m, r] of pairs) {
    const result = await measureSync(m, r, keys);
    results.push(result);
    process.stderr.write(`${result.pair}: ${result.seconds.toFixed(2)} s, replica RSS ${result.replicaRssMb.toFixed(0)} MB\n`);
  }
  if (seeds) {
    // The seeds' dataset, both ways round, so it has its own ratio.
    for (const kind of ['bundled', 'redis'] as const) {
      const result = await measureSync(kind, kind, SEED_KEYS);
      results.push(result);
      process.stderr.write(`${result.pair} (seeds): ${result.seconds.toFixed(2)} s, replica RSS ${result.replicaRssMb.toFixed(0)} MB\n`);
    }
  }
  const timeOf = (pair: string, count: number) => results.find((r) => r.pair === pair && r.keys === count)?.seconds;
  const ratio = (timeOf('bundled->bundled', keys) as number) / (timeOf('redis->redis', keys) as number);
  const seedsRatio = seeds ? (timeOf('bundled->bundled', SEED_KEYS) as number) / (timeOf('redis->redis', SEED_KEYS) as number) : null;
  const redisVersion = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, redis: redisVersion },
    target: 'bundled->bundled full sync of 1M keys in no more than redis->redis time',
    bundledToBundledOverRedisToRedis: Number(ratio.toFixed(3)),
    seedsBundledOverRedis: seedsRatio === null ? null : Number(seedsRatio.toFixed(3)),
    results: results.map((r) => ({ ...r, seconds: Number(r.seconds.toFixed(3)), replicaRssMb: Math.round(r.replicaRssMb), masterRssMb: Math.round(r.masterRssMb) })),
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'sync.json'), JSON.stringify(report, null, 2) + '\n');
  const lines = [
    '# bench:sync — full synchronization',
    '',
    `${report.date}; ${report.machine.cpus} cores, Node ${report.machine.node}, ${redisVersion}.`,
    'Time from REPLICAOF until the replica reports its link up with every key loaded. 16-byte values, repl-diskless-sync-delay 0.',
    '',
    '| master -> replica | keys | seconds | replica RSS (MB) | master RSS (MB) |',
    '|---|---:|---:|---:|---:|',
    ...report.results.map((r) => `| ${r.pair} | ${r.keys} | ${r.seconds} | ${r.replicaRssMb} | ${r.masterRssMb} |`),
    '',
    `bundled->bundled / redis->redis time: **${report.bundledToBundledOverRedisToRedis}x** (target: <= 1).`,
    ...(seedsRatio === null ? [] : [`The seeds' ${SEED_KEYS.toLocaleString('en-US')} keys, bundled->bundled / redis->redis time: **${report.seedsBundledOverRedis}x**.`]),
    '',
  ];
  writeFileSync(join(resultsDir, 'sync.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().catch((error) => {
  process.stderr.write(`bench:sync failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
