// bench:suite — Redis's own test suite (tests/unit/*) against redis-server of the suite's version and
// against the bundled node, side by side in one run, in the harness's external-server mode.
//
// Each unit runs on a fresh server of each kind, one at a time, with --durable (a test that raises
// counts as failed and the unit goes on) and a per-unit wall-clock cap: a unit still running at the
// cap is killed and counts what passed until then.
//
//   npm run bench:suite                                 the units issues 18 and 19 name
//   npm run bench:suite -- --units type/incr,multi      a subset
//   --timeout-per-unit <s>   cap per unit and server (default 180)
//   --test-timeout <s>       the harness's own --timeout (default 60)
//   --reference <path>       the redis-server run beside the node (default: the suite's own 7.2.6 build;
//                            /usr/bin/redis-server is Debian's 7.0.15, the node's reference)
//   --output <name>          results as bench/results/<name>.md/json (default suite)
//   --report-only            rewrite suite.md from suite.json, running nothing

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServerProcess, stopServerProcess, type ServerKind } from './lib/servers';
import { currentLoad, machineInfo, markdownTable } from './lib/report';
import { compareRuns, parseSuiteOutput, type TestOutcome, type UnitComparison } from './lib/suite-output';

const SUITE_VERSION = '7.2.6';
const TARBALL = `/work/shared/redis-versions/redis-${SUITE_VERSION}.tar.gz`;
const REDIS_SERVER = join(homedir(), '.cache', 'rctl-redis', SUITE_VERSION, 'bin', 'redis-server');
const resultsDir = join(repoRoot, 'bench', 'results');

// What issues 18 and 19 name, as files under tests/unit/ (keyspace events are in pubsub).
const DEFAULT_UNITS = [
  'type/string', 'type/incr', 'type/list', 'type/hash', 'type/set', 'type/zset', 'expire', 'keyspace', 'protocol',
  'multi', 'pubsub', 'scan', 'querybuf', 'introspection', 'other', 'type/stream',
  'scripting', 'functions', 'type/stream-cgroups', 'pubsubshard',
  'acl', 'maxmemory', 'latency-monitor', 'introspection-2', 'info', 'tracking', 'bitops', 'bitfield', 'hyperloglog',
  'geo', 'sort', 'dump',
];

// The directives of the suite's tests/assets/default.conf that tests rely on in external mode.
const SUITE_DIRECTIVES = [
  '--notify-keyspace-events', 'KEA', '--latency-monitor-threshold', '1', '--databases', '16',
  '--enable-protected-configs', 'yes', '--enable-debug-command', 'yes', '--enable-module-command', 'yes',
];

const log = (line: string) => process.stderr.write(line + '\n');

interface Options {
  units: string[];
  unitTimeoutS: number;
  testTimeoutS: number;
  redisServer: string;
  output: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { units: DEFAULT_UNITS, unitTimeoutS: 180, testTimeoutS: 60, redisServer: REDIS_SERVER, output: 'suite' };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--units') options.units = value.split(',').map((u) => u.trim()).filter(Boolean);
    else if (argv[i] === '--timeout-per-unit') options.unitTimeoutS = Number(value);
    else if (argv[i] === '--test-timeout') options.testTimeoutS = Number(value);
    else if (argv[i] === '--reference') options.redisServer = value;
    else if (argv[i] === '--output') options.output = value;
    else throw new Error(`unknown option ${argv[i]}`);
    i++;
  }
  return options;
}

/** The suite's source tree, extracted once into the cache; Debian's 7.0.15 source needs deb-src, absent here. */
function suiteRoot(): string {
  const root = join(homedir(), '.cache', 'rctl-redis', `suite-${SUITE_VERSION}`);
  const tree = join(root, `redis-${SUITE_VERSION}`);
  if (!existsSync(join(tree, 'tests', 'test_helper.tcl'))) {
    if (!existsSync(TARBALL)) throw new Error(`no Redis test suite: ${TARBALL} is missing`);
    mkdirSync(root, { recursive: true });
    const tar = spawnSync('tar', ['xzf', TARBALL, '-C', root, `redis-${SUITE_VERSION}/tests`, `redis-${SUITE_VERSION}/runtest`], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`could not extract ${TARBALL}: ${tar.stderr.trim()}`);
  }
  tolerateFunctionFlush(tree);
  return tree;
}

const FLUSH_LINE = '    r function flush\n';
const TOLERANT_FLUSH_LINE = '    catch {r function flush}\n';

/**
 * In external mode the harness sends FUNCTION FLUSH before every start_server block, outside any
 * test: on a server without FUNCTION that raises and ends the unit before its first test, so every
 * unit would read 0 on the node. The cached copy tolerates the error (for both servers alike).
 */
function tolerateFunctionFlush(tree: string): void {
  const file = join(tree, 'tests', 'support', 'server.tcl');
  const text = readFileSync(file, 'utf8');
  if (text.includes(TOLERANT_FLUSH_LINE)) return;
  if (!text.includes(FLUSH_LINE)) throw new Error(`${file}: the external-mode FUNCTION FLUSH line was not found`);
  writeFileSync(file, text.replace(FLUSH_LINE, TOLERANT_FLUSH_LINE));
}

interface RunResult {
  outcomes: TestOutcome[];
  seconds: number;
  timedOut: boolean;
  /** The harness's [exception] line, when a unit stopped short. */
  exception: string | null;
}

/** Runs one unit against host:port; its own process group, so a hung unit's test client dies with it. */
function runUnit(tree: string, unit: string, port: number, options: Options): Promise<RunResult> {
  const args = ['tests/test_helper.tcl', '--host', '127.0.0.1', '--port', String(port), '--single', `unit/${unit}`, '--clients', '1', '--timeout', String(options.testTimeoutS), '--durable'];
  const started = Date.now();
  const child = spawn('tclsh', args, { cwd: tree, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }, options.unitTimeoutS * 1000);
  return new Promise((resolve) => {
    child.once('close', () => {
      clearTimeout(timer);
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // the group has exited
      }
      const outcomes = parseSuiteOutput(output);
      const exception = outcomes.find((o) => o.status === 'exception')?.name ?? null;
      resolve({ outcomes: outcomes.filter((o) => o.status !== 'exception'), seconds: (Date.now() - started) / 1000, timedOut, exception });
    });
  });
}

async function runOn(kind: ServerKind, tree: string, unit: string, options: Options): Promise<RunResult> {
  const server = await startServerProcess(kind, { redisServer: options.redisServer, extraArgs: SUITE_DIRECTIVES });
  try {
    return await runUnit(tree, unit, server.port, options);
  } finally {
    await stopServerProcess(server);
  }
}

interface UnitReport extends UnitComparison {
  unit: string;
  redis: { seconds: number; timedOut: boolean; exception: string | null; failed: number; skipped: number };
  node: { seconds: number; timedOut: boolean; exception: string | null; failed: number; skipped: number };
}

const summary = (run: RunResult) => ({
  seconds: Number(run.seconds.toFixed(1)),
  timedOut: run.timedOut,
  exception: run.exception,
  failed: run.outcomes.filter((o) => o.status === 'err').length,
  skipped: run.outcomes.filter((o) => o.status === 'skip' || o.status === 'ignore').length,
});

const percent = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

function markdown(machine: ReturnType<typeof machineInfo> & { loadAverageEnd: number }, options: Options, reports: UnitReport[]): string {
  const note = (side: UnitReport['node']) => [side.timedOut ? `capped at ${options.unitTimeoutS} s` : '', side.exception ? 'stopped by an exception' : ''].filter(Boolean).join(', ');
  const rows = reports.map((r) => [
    r.unit, String(r.redisPassed), String(r.nodePassed), String(r.nodePassedOfRedis), percent(r.nodePassedOfRedis, r.redisPassed),
    String(r.node.failed), `${r.redis.seconds}`, `${r.node.seconds}`,
    [r.redisPassed === 0 ? 'tagged external:skip: nothing runs in external mode' : '', note(r.redis) && `redis: ${note(r.redis)}`, note(r.node) && `node: ${note(r.node)}`].filter(Boolean).join('; ') || '-',
  ]);
  const total = (pick: (r: UnitReport) => number) => reports.reduce((sum, r) => sum + pick(r), 0);
  const redisTotal = total((r) => r.redisPassed);
  const ofRedis = total((r) => r.nodePassedOfRedis);
  rows.push(['**total**', String(redisTotal), String(total((r) => r.nodePassed)), String(ofRedis), percent(ofRedis, redisTotal), String(total((r) => r.node.failed)), total((r) => r.redis.seconds).toFixed(1), total((r) => r.node.seconds).toFixed(1), '-']);
  return [
    '# bench:suite — Redis\'s own test suite, bundled node vs redis-server',
    '',
    `- date: ${machine.date}`,
    `- machine: ${machine.nproc} CPUs (${machine.cpuModel}), node ${machine.node}`,
    `- 1-minute load average: ${machine.loadAverageStart} at start, ${machine.loadAverageEnd} at end (other work on the machine can fail timing-sensitive tests)`,
    `- suite: Redis ${SUITE_VERSION} tests/ (from ${TARBALL}; Debian's 7.0.15 source was not reachable: no deb-src), run against redis-server ${referenceVersion(options.redisServer ?? REDIS_SERVER)} (${options.redisServer ?? REDIS_SERVER}) and the bundled node (\`rctl server\`)`,
    `- harness: \`tests/test_helper.tcl --host 127.0.0.1 --port P --single unit/X --clients 1 --timeout ${options.testTimeoutS} --durable\` (external-server mode: \`external:skip\` tests are skipped; a test that raises counts as failed and the unit goes on)`,
    `- each unit on a fresh server of each kind, one at a time, capped at ${options.unitTimeoutS} s per unit and server; a capped unit counts what passed until then`,
    '- servers get the directives of the suite\'s default.conf that tests rely on: notify-keyspace-events KEA, latency-monitor-threshold 1, enable-debug-command / enable-protected-configs / enable-module-command yes',
    '- harness patch (cached copy only, both servers alike): the FUNCTION FLUSH external mode sends before each start_server block is wrapped in `catch`; unpatched, the node (no FUNCTION) ends every unit before its first test, so every unit reads 0',
    '- **node ⊆ redis** is the node\'s passes among the tests redis-server passes; the names of the others are in suite.json (`missingOnNode`)',
    '',
    markdownTable(['unit', 'redis passed', 'node passed', 'node ⊆ redis', '%', 'node failed', 'redis s', 'node s', 'notes'], rows),
    '',
    ...exceptionLines(reports),
  ].join('\n');
}

/** A unit stopped by an error outside any test (so --durable cannot carry it on) says why. */
function exceptionLines(reports: UnitReport[]): string[] {
  const lines = reports.flatMap((r) => (['redis', 'node'] as const).filter((kind) => r[kind].exception).map((kind) => `- ${r.unit} / ${kind}: ${r[kind].exception}`));
  return lines.length === 0 ? [] : ['## Units stopped by an exception', '', ...lines, ''];
}

async function main(): Promise<void> {
  if (process.argv[2] === '--report-only') {
    // Rewrites suite.md from suite.json, e.g. after a change to the report's layout.
    const saved = JSON.parse(readFileSync(join(resultsDir, 'suite.json'), 'utf8'));
    writeFileSync(join(resultsDir, 'suite.md'), markdown(saved.machine, saved.options, saved.units));
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (spawnSync('sh', ['-c', 'command -v tclsh']).status !== 0) {
    log('bench:suite: tclsh not found (Redis\'s test harness is Tcl): apt-get install -y tcl');
    process.exitCode = 1;
    return;
  }
  if (!existsSync(options.redisServer)) {
    log(`bench:suite: ${options.redisServer} not found: build it with /work/shared/redis-versions/build ${SUITE_VERSION}`);
    process.exitCode = 1;
    return;
  }
  const tree = suiteRoot();
  const machine = machineInfo();
  const reports: UnitReport[] = [];
  for (const unit of options.units) {
    if (!existsSync(join(tree, 'tests', 'unit', `${unit}.tcl`))) throw new Error(`no unit ${unit} in ${tree}/tests/unit`);
    const redis = await runOn('redis', tree, unit, options);
    const node = await runOn('node', tree, unit, options);
    const report: UnitReport = { unit, ...compareRuns(redis.outcomes, node.outcomes), redis: summary(redis), node: summary(node) };
    log(`${unit}: redis ${report.redisPassed} (${report.redis.seconds} s), node ${report.nodePassed} (${report.node.seconds} s${node.timedOut ? ', capped' : ''}), node ⊆ redis ${report.nodePassedOfRedis} ${percent(report.nodePassedOfRedis, report.redisPassed)}`);
    reports.push(report);
    // Written after every unit, so a long run stopped part-way still leaves its figures so far.
    writeResults(machine, options, reports);
  }
  log(`wrote ${join(resultsDir, `${options.output}.md`)}`);
}

function writeResults(machine: ReturnType<typeof machineInfo>, options: Options, reports: UnitReport[]): void {
  const finished = { ...machine, loadAverageEnd: currentLoad() };
  mkdirSync(resultsDir, { recursive: true });
  const json = { machine: finished, suite: { version: SUITE_VERSION, source: TARBALL, redisServer: options.redisServer, redisVersion: referenceVersion(options.redisServer) }, options, units: reports };
  writeFileSync(join(resultsDir, `${options.output}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(resultsDir, `${options.output}.md`), markdown(finished, options, reports));
}

/** "7.0.15" from `redis-server --version`. */
function referenceVersion(binary: string): string {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown';
}

main().catch((error: Error) => {
  log(`bench:suite: ${error.message}`);
  process.exitCode = 1;
});
