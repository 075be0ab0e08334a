// bench:memory — the bundled node's memory and RDB start-up against redis-server, after the
// documented mass insertion (`redis-cli --pipe`).
//
// For each size, both servers get the same file through `redis-cli --pipe`; once the load has been
// quiet for a while, VmRSS (/proc/PID/status) and INFO memory's used_memory are read. The 1M run
// also pipes the text form (`SET key value` lines, which redis-cli sends as inline commands), the
// path whose arguments used to be stored as ropes. Then redis-server SAVEs, and each server is
// restarted on that same dump.rdb and timed until PING answers PONG (not -LOADING).
//
//   npm run bench:memory              1M and 10M keys
//   npm run bench:memory -- --quick   100k keys only (smoke check)
//   --skip-10m                        1M only

import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, haveCommand, repoRoot, residentBytes, startServerProcess, stopServerProcess, type ServerKind, type ServerProcess } from './lib/servers';
import { startProcess } from '../test/helpers/processes';
import { commandOnce, info } from './lib/resp';
import { currentLoad, formatInt, formatMb, formatRatio, machineInfo, markdownTable, type MachineInfo } from './lib/report';

const VALUE_SIZE = 16;
/** Targets from issue 14: RSS after the pipe, used_memory against RSS once quiet, RDB start-up time. */
const RSS_TARGET = 1.6;
const USED_VS_RSS_TARGET = 0.25;
const RDB_LOAD_TARGET = 2;
const QUIET_MS = 8000;
const resultsDir = join(repoRoot, 'bench', 'results');

const keyName = (i: number) => `key:${i}`;
const value16 = (i: number) => String(i).padStart(VALUE_SIZE, '0');

type Format = 'resp' | 'inline';

interface Options {
  sizes: number[];
  inlineSize: number;
}

function parseOptions(argv: string[]): Options {
  if (argv.includes('--quick')) return { sizes: [100_000], inlineSize: 100_000 };
  return { sizes: argv.includes('--skip-10m') ? [1_000_000] : [1_000_000, 10_000_000], inlineSize: 1_000_000 };
}

const log = (line: string) => process.stderr.write(line + '\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the mass-insertion file: RESP SET commands (as Redis's docs generate them) or text lines. */
async function writeInsertionFile(path: string, keys: number, format: Format): Promise<void> {
  const out = createWriteStream(path);
  const BATCH = 10_000;
  for (let start = 0; start < keys; start += BATCH) {
    let text = '';
    for (let i = start; i < Math.min(keys, start + BATCH); i++) {
      const key = keyName(i);
      const value = value16(i);
      text += format === 'resp' ? `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n` : `SET ${key} ${value}\r\n`;
    }
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** `redis-cli --pipe < file`; fails unless every command was answered without an error. */
function pipeFile(port: number, path: string): number {
  const input = openSync(path, 'r');
  const started = performance.now();
  try {
    const result = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { stdio: [input, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 20 });
    const summary = /errors: (\d+), replies: (\d+)/.exec(result.stdout);
    if (result.status !== 0 || !summary || summary[1] !== '0') throw new Error(`redis-cli --pipe failed: ${result.stdout} ${result.stderr}`);
  } finally {
    closeSync(input);
  }
  return (performance.now() - started) / 1000;
}

interface MemoryRun {
  kind: ServerKind;
  format: Format;
  keys: number;
  emptyRss: number;
  rss: number;
  usedMemory: number;
  /** |used_memory - RSS| / RSS once quiet. */
  usedVsRss: number;
  pipeSeconds: number;
}

async function measure(server: ServerProcess, format: Format, keys: number, file: string): Promise<MemoryRun> {
  const emptyRss = residentBytes(server.pid);
  log(`${server.kind}: redis-cli --pipe ${formatInt(keys)} keys (${format})...`);
  const pipeSeconds = pipeFile(server.port, file);
  const size = await commandOnce(server.port, 'DBSIZE');
  if (size !== keys) throw new Error(`${server.kind}: DBSIZE is ${String(size)}, expected ${keys}`);
  for (const i of [0, Math.floor(keys / 2), keys - 1]) {
    const stored = await commandOnce(server.port, 'GET', keyName(i));
    if (stored !== value16(i)) throw new Error(`${server.kind}: ${keyName(i)} holds ${String(stored)}`);
  }
  // Quiet: no client traffic, as an operator would look at a node after a load.
  await sleep(QUIET_MS);
  const rss = residentBytes(server.pid);
  const usedMemory = Number((await info(server.port, 'memory')).used_memory);
  const run: MemoryRun = { kind: server.kind, format, keys, emptyRss, rss, usedMemory, usedVsRss: Math.abs(usedMemory - rss) / rss, pipeSeconds };
  log(`${server.kind}: RSS ${formatMb(rss)} MB, used_memory ${formatMb(usedMemory)} MB (piped in ${pipeSeconds.toFixed(1)} s)`);
  return run;
}

interface LoadRun {
  kind: ServerKind;
  keys: number;
  rdbBytes: number;
  /** Spawn to the first PONG, median of the rounds. */
  seconds: number;
  rounds: number[];
}

/** True once the server answers PING with PONG; false while it refuses connections or is LOADING. */
function pingsPong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/** Starts `kind` on dir/dump.rdb and times it until it answers PONG. */
async function timeRdbStart(kind: ServerKind, dir: string, keys: number): Promise<number> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb', '--logfile', join(dir, `${kind}.log`)];
  const started = performance.now();
  const server =
    kind === 'redis'
      ? startProcess('redis-server', args, { captureOutput: false })
      : startProcess(process.execPath, [join(repoRoot, 'bin', 'rctl.js'), 'server', ...args], { captureOutput: false, cwd: dir });
  try {
    for (;;) {
      if (!server.running()) throw new Error(`${kind} exited with status ${server.child.exitCode} while loading`);
      if (await pingsPong(port)) break;
      await sleep(5);
    }
    const seconds = (performance.now() - started) / 1000;
    const size = await commandOnce(port, 'DBSIZE');
    if (size !== keys) throw new Error(`${kind}: loaded ${String(size)} keys, expected ${keys}`);
    return seconds;
  } finally {
    await server.stop();
  }
}

async function measureRdbLoad(redisDump: string, keys: number, rounds: number): Promise<LoadRun[]> {
  const dirs = { node: mkdtempSync(join(tmpdir(), 'rctl-bench-rdb-node-')), redis: mkdtempSync(join(tmpdir(), 'rctl-bench-rdb-redis-')) };
  try {
    // The same file for both: the node reads Redis's RDB.
    for (const dir of Object.values(dirs)) copyFileSync(redisDump, join(dir, 'dump.rdb'));
    const times: Record<ServerKind, number[]> = { node: [], redis: [] };
    // Alternate so that a busy spell on the machine hits both alike.
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['redis', 'node'] as const) times[kind].push(await timeRdbStart(kind, dirs[kind], keys));
    }
    const rdbBytes = statSync(redisDump).size;
    return (['node', 'redis'] as const).map((kind) => {
      const sorted = [...times[kind]].sort((a, b) => a - b);
      log(`${kind}: RDB start-up ${sorted.map((s) => s.toFixed(2)).join(', ')} s`);
      return { kind, keys, rdbBytes, seconds: sorted[Math.floor(sorted.length / 2)], rounds: times[kind] };
    });
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}

interface SizeResult {
  keys: number;
  memory: MemoryRun[];
  inline: MemoryRun[];
  rdbLoad: LoadRun[];
  rssRatio: number;
  inlineRssRatio: number | null;
  rdbLoadRatio: number;
}

async function runSize(keys: number, withInline: boolean, work: string): Promise<SizeResult> {
  const respFile = join(work, `insert-${keys}.resp`);
  log(`writing ${formatInt(keys)} RESP SET commands...`);
  await writeInsertionFile(respFile, keys, 'resp');
  const memory: MemoryRun[] = [];
  let redisDump = '';
  for (const kind of ['node', 'redis'] as const) {
    const server = await startServerProcess(kind);
    try {
      memory.push(await measure(server, 'resp', keys, respFile));
      if (kind === 'redis') {
        const saved = await commandOnce(server.port, 'SAVE');
        if (saved !== 'OK') throw new Error(`redis SAVE: ${String(saved)}`);
        redisDump = join(work, `dump-${keys}.rdb`);
        copyFileSync(join(server.dir, 'dump.rdb'), redisDump);
      }
    } finally {
      await stopServerProcess(server);
    }
  }
  rmSync(respFile, { force: true });
  const inline: MemoryRun[] = [];
  if (withInline) {
    const textFile = join(work, `insert-${keys}.txt`);
    log(`writing ${formatInt(keys)} SET text lines...`);
    await writeInsertionFile(textFile, keys, 'inline');
    for (const kind of ['node', 'redis'] as const) {
      const server = await startServerProcess(kind);
      try {
        inline.push(await measure(server, 'inline', keys, textFile));
      } finally {
        await stopServerProcess(server);
      }
    }
    rmSync(textFile, { force: true });
  }
  const rdbLoad = await measureRdbLoad(redisDump, keys, keys >= 10_000_000 ? 1 : 3);
  rmSync(redisDump, { force: true });
  const ratioOf = <T extends { kind: ServerKind }>(runs: T[], field: (run: T) => number) => {
    const node = runs.find((r) => r.kind === 'node');
    const redis = runs.find((r) => r.kind === 'redis');
    return node && redis ? field(node) / field(redis) : NaN;
  };
  return {
    keys,
    memory,
    inline,
    rdbLoad,
    rssRatio: ratioOf(memory, (r) => r.rss),
    inlineRssRatio: inline.length > 0 ? ratioOf(inline, (r) => r.rss) : null,
    rdbLoadRatio: ratioOf(rdbLoad, (r) => r.seconds),
  };
}

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

function markdown(machine: MachineInfo, results: SizeResult[]): string {
  const memoryRows: string[][] = [];
  for (const result of results) {
    for (const run of [...result.memory, ...result.inline]) {
      memoryRows.push([
        formatInt(run.keys),
        run.format === 'resp' ? 'RESP' : 'text lines',
        run.kind,
        formatMb(run.emptyRss),
        formatMb(run.rss),
        formatMb(run.usedMemory),
        `${(run.usedVsRss * 100).toFixed(0)}%`,
        run.pipeSeconds.toFixed(1),
      ]);
    }
  }
  const loadRows = results.flatMap((result) =>
    result.rdbLoad.map((run) => [formatInt(run.keys), formatMb(run.rdbBytes), run.kind, run.seconds.toFixed(2), run.rounds.map((s) => s.toFixed(2)).join(', ')]),
  );
  const targetLines = results.flatMap((result) => {
    const node = result.memory.find((r) => r.kind === 'node') as MemoryRun;
    const lines = [
      `- ${formatInt(result.keys)} keys: RSS node/redis ${formatRatio(result.rssRatio)} (target <= ${RSS_TARGET}: ${verdict(result.rssRatio <= RSS_TARGET)})`,
      `- ${formatInt(result.keys)} keys: node used_memory off RSS by ${(node.usedVsRss * 100).toFixed(0)}% (target <= ${USED_VS_RSS_TARGET * 100}%: ${verdict(node.usedVsRss <= USED_VS_RSS_TARGET)})`,
      `- ${formatInt(result.keys)} keys: RDB start-up node/redis ${formatRatio(result.rdbLoadRatio)} (target <= ${RDB_LOAD_TARGET}: ${verdict(result.rdbLoadRatio <= RDB_LOAD_TARGET)})`,
    ];
    if (result.inlineRssRatio !== null) {
      lines.push(`- ${formatInt(result.keys)} keys as text lines: RSS node/redis ${formatRatio(result.inlineRssRatio)} (target <= ${RSS_TARGET}: ${verdict(result.inlineRssRatio <= RSS_TARGET)})`);
    }
    return lines;
  });
  return [
    '# bench:memory — bundled node vs redis-server after `redis-cli --pipe`',
    '',
    `- date: ${machine.date}`,
    `- machine: ${machine.nproc} CPUs (${machine.cpuModel}), node ${machine.node}, redis-server ${machine.redis}`,
    `- 1-minute load average: ${machine.loadAverageStart} at start, ${machine.loadAverageEnd ?? 'n/a'} at end`,
    `- SET key:<i> <${VALUE_SIZE}-byte value> through \`redis-cli --pipe\`; RSS (VmRSS) and used_memory read after ${QUIET_MS / 1000} s without traffic`,
    '- RDB start-up: redis-server SAVEs, then each server starts on that same dump.rdb; time from spawn to the first PONG (median of rounds)',
    '',
    '## Targets',
    '',
    ...targetLines,
    '',
    '## Memory',
    '',
    markdownTable(['keys', 'input', 'server', 'empty RSS MB', 'RSS MB', 'used_memory MB', 'used_memory vs RSS', 'pipe s'], memoryRows),
    '',
    '## RDB start-up',
    '',
    markdownTable(['keys', 'RDB MB', 'server', 'seconds', 'rounds'], loadRows),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  for (const command of ['redis-server', 'redis-cli']) {
    if (!haveCommand(command)) throw new Error(`bench:memory needs ${command} on PATH`);
  }
  const options = parseOptions(process.argv.slice(2));
  const machine = machineInfo();
  const work = mkdtempSync(join(tmpdir(), 'rctl-bench-memory-'));
  const results: SizeResult[] = [];
  try {
    for (const keys of options.sizes) results.push(await runSize(keys, keys === options.inlineSize, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  machine.loadAverageEnd = currentLoad();
  const text = markdown(machine, results);
  const targets = results.map((result) => {
    const node = result.memory.find((r) => r.kind === 'node') as MemoryRun;
    return {
      keys: result.keys,
      rss: { ratio: result.rssRatio, target: RSS_TARGET, met: result.rssRatio <= RSS_TARGET },
      inlineRss: result.inlineRssRatio === null ? null : { ratio: result.inlineRssRatio, target: RSS_TARGET, met: result.inlineRssRatio <= RSS_TARGET },
      usedMemoryVsRss: { offBy: node.usedVsRss, target: USED_VS_RSS_TARGET, met: node.usedVsRss <= USED_VS_RSS_TARGET },
      rdbLoad: { ratio: result.rdbLoadRatio, target: RDB_LOAD_TARGET, met: result.rdbLoadRatio <= RDB_LOAD_TARGET },
    };
  });
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'memory.json'), JSON.stringify({ machine, parameters: { valueSize: VALUE_SIZE, quietMs: QUIET_MS, sizes: options.sizes }, results, targets }, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'memory.md'), text + '\n');
  log('wrote bench/results/memory.json and memory.md');
  process.stdout.write(text + '\n');
}

main().catch((error) => {
  process.stderr.write(`bench:memory failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
