// CLI speed benchmark (`npm run bench:cli`): wall time of the built `rctl` binary.
//   - `rctl status` on 3 nodes            target: median <= 120 ms
//   - `rctl status` on 50 nodes           target: median <= 300 ms
//   - `rctl up` of 3 embedded nodes, from nothing to healthy    target: <= 1.5 s
// Writes bench/results/cli.json and bench/results/cli.md. Every number is a median over several
// runs; the machine's load average is recorded next to them because it moves them a lot.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/ports';

const root = join(__dirname, '..', '..');
// RCTL_BENCH_BIN measures another entry point (e.g. a candidate bin/rctl.js) against the same nodes.
const rctl = process.env.RCTL_BENCH_BIN ?? join(root, 'bin', 'rctl.js');
const resultsDir = join(root, 'bench', 'results');

/** `count` distinct free ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}

function hasRedisServer(): boolean {
  return spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0;
}

interface Timing {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (n: number) => Math.round(n * 10) / 10;
  return { runs: sorted.length, medianMs: round(at(0.5)), p90Ms: round(at(0.9)), minMs: round(sorted[0]), maxMs: round(sorted[sorted.length - 1]) };
}

function timeOnce(args: string[], env: NodeJS.ProcessEnv, expectCodes: number[] = [0]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status === null || !expectCodes.includes(result.status)) {
    throw new Error(`${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return elapsed;
}

function timeMany(args: string[], env: NodeJS.ProcessEnv, runs: number, warmup = 3): Timing {
  for (let i = 0; i < warmup; i++) timeOnce(args, env);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(timeOnce(args, env));
  return summarize(samples);
}

function topologyText(name: string, launch: string, ports: number[]): string {
  const nodes = ports.map((port, i) => `  - { name: n${i}, host: 127.0.0.1, port: ${port}, role: ${i === 0 ? 'master' : 'replica'} }`);
  return `name: ${name}\nauth:\n  password: "bench-pass"\nlaunch: ${launch}\nnodes:\n${nodes.join('\n')}\n`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rctl-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, RCTL_HOME: join(work, 'home') };
  delete env.RCTL_TOPOLOGY;
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    binary: rctl,
    loadAverageBefore: loadavg().map((n) => Math.round(n * 100) / 100),
    nodeStartupMs: timeMany(['-e', '0'], env, runs),
  };
  const cleanups: string[] = [];
  try {
    // 1. `up` of 3 embedded nodes from nothing to healthy, repeated from scratch.
    const upSamples: number[] = [];
    const upRuns = Number(process.env.BENCH_UP_RUNS ?? 5);
    let threeFile = '';
    for (let i = 0; i < upRuns; i++) {
      const ports = await freePorts(3);
      threeFile = join(work, `three-${i}.yml`);
      writeFileSync(threeFile, topologyText(`three-${i}`, 'embedded', ports));
      upSamples.push(timeOnce([rctl, 'up', threeFile], env));
      if (i < upRuns - 1) timeOnce([rctl, 'down', threeFile, '--purge', '--yes'], env);
    }
    cleanups.push(threeFile);
    results.upThreeEmbedded = { ...summarize(upSamples), targetMs: 1500 };

    // 2. `status` on those 3 nodes.
    results.statusThree = { ...timeMany([rctl, 'status', '-t', threeFile], env, runs), targetMs: 120 };

    // 3. `status` on 50 nodes (redis-server: 50 bundled nodes would need ~2 GB of RAM).
    if (hasRedisServer()) {
      const ports = await freePorts(50);
      const fiftyFile = join(work, 'fifty.yml');
      writeFileSync(fiftyFile, topologyText('fifty', 'redis-server', ports));
      cleanups.push(fiftyFile);
      timeOnce([rctl, 'up', fiftyFile, '--wait', '120'], env);
      results.statusFifty = { ...timeMany([rctl, 'status', '-t', fiftyFile], env, runs), targetMs: 300, nodes: 'redis-server' };
    } else {
      results.statusFifty = { skipped: 'redis-server is not on PATH' };
    }
  } finally {
    for (const file of cleanups) spawnSync(process.execPath, [rctl, 'down', file, '--purge', '--yes'], { env, stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
  results.loadAverageAfter = loadavg().map((n) => Math.round(n * 100) / 100);

  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'cli.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'cli.md'), renderMarkdown(results));
  process.stdout.write(renderMarkdown(results));
}

function renderMarkdown(results: Record<string, unknown>): string {
  const row = (label: string, value: unknown) => {
    const t = value as Partial<Timing> & { targetMs?: number; skipped?: string };
    if (!t || t.skipped) return `| ${label} | skipped: ${t?.skipped ?? 'n/a'} | | | |`;
    const verdict = t.targetMs === undefined ? '' : (t.medianMs as number) <= t.targetMs ? 'met' : 'MISSED';
    return `| ${label} | ${t.medianMs} | ${t.p90Ms} | ${t.targetMs ?? ''} | ${verdict} |`;
  };
  return [
    '# rctl CLI benchmark',
    '',
    `${results.date}, Node ${results.node}, \`${results.binary}\`, load average before ${(results.loadAverageBefore as number[]).join(' ')}, after ${(results.loadAverageAfter as number[]).join(' ')}.`,
    '',
    '| measurement | median ms | p90 ms | target ms | |',
    '|---|---|---|---|---|',
    row('`node -e 0` (baseline)', results.nodeStartupMs),
    row('`rctl status`, 3 nodes', results.statusThree),
    row('`rctl status`, 50 nodes', results.statusFifty),
    row('`rctl up`, 3 embedded nodes, nothing to healthy', results.upThreeEmbedded),
    '',
  ].join('\n');
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
