// `rctl restart --exec` on redis-server nodes rctl did not launch (launch: external), restarted
// by a small script the way a service manager would (SIGTERM, start again with the same config):
// rctl takes a BGSAVE first on the node whose stop saves nothing (save ""), and every node comes
// back with a partial resync. A failing command stops the run with the set healthy and the
// command that finishes it; a killed rctl leaves a record that `rctl status` reports and whose
// resume command finishes the job, skipping the nodes already done.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { runProcess, waitForPort } from '../helpers/processes';
import { describeWithRedis, redisServerPath } from '../helpers/redis-server';
import { eventually } from '../helpers/wait';
import { isAlive, rctlBin, redisCommand, requireBuiltCli, sandbox, type RunResult, type Sandbox } from '../cli/helpers';
import { errorOf, expectOneErrorLine, parsedJson, rollingJson, runIdOf } from './helpers';

const PASSWORD = 'exec-pw-5e7d';
const NAMES = ['m', 'r1', 'r2'] as const;
type Name = (typeof NAMES)[number];
const KEYS = 500;

/**
 * The operator's restart command: SIGTERM the node of this name, wait until it is gone, start it
 * again from its config (daemonized). A `fail-NAME` file makes it fail before touching the node;
 * a `hang-NAME` file makes it hang (recording its pid in hung.pid), as a stuck ssh would.
 */
const SCRIPT = `#!/bin/sh
base=$(dirname "$0")
name=$1
dir="$base/$name"
if [ -e "$base/fail-$name" ]; then echo "cannot reach $name: permission denied"; exit 1; fi
if [ -e "$base/hang-$name" ]; then echo $$ > "$base/hung.pid"; exec sleep 300; fi
pid=$(cat "$dir/redis.pid")
kill -TERM "$pid"
while [ -e "/proc/$pid" ] && ! grep -q ') Z' "/proc/$pid/stat" 2>/dev/null; do sleep 0.05; done
exec ${redisServerPath} "$dir/redis.conf"
`;

describeWithRedis('rctl restart --exec on external redis-server nodes', () => {
  let box: Sandbox;
  let file: string;
  let base: string;
  let exec: string;
  const port = {} as Record<Name, number>;
  const rctl = (args: string[], timeoutMs = 180_000) => box.run([...args, '-t', file], { timeoutMs });
  const status = async () => {
    const run = await rctl(['status', '--json']);
    return { run, json: parsedJson(run) as { healthy: boolean; master: string; nodes: Array<{ name: string; error?: string | null }> } };
  };
  const runIds = async () => Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await runIdOf(port[n], PASSWORD)]))) as Record<Name, string | null>;
  const pidOf = (name: Name) => Number(readFileSync(join(base, name, 'redis.pid'), 'utf8').trim());
  /** Runs a command line as printed by rctl (`rctl restart ... --exec '...'`) through sh, as an operator pasting it would. */
  const runPrinted = (command: string): Promise<RunResult> => {
    expect(command).toMatch(/^rctl /);
    return runProcess('sh', ['-c', `'${process.execPath}' '${rctlBin}' ${command.slice('rctl '.length)}`], { env: { ...process.env, RCTL_HOME: box.home }, timeoutMs: 180_000 });
  };
  const resumeIn = (text: string) => {
    const match = /`(rctl restart [^`]+)`/.exec(text);
    if (!match) throw new Error(`no resume command in: ${text}`);
    return match[1];
  };
  const dataIntact = async (master: Name) => {
    const reply = await redisCommand('127.0.0.1', port[master], PASSWORD, ['DBSIZE']);
    expect(Number(reply.slice(1))).toBeGreaterThanOrEqual(KEYS);
    expect(await redisCommand('127.0.0.1', port[master], PASSWORD, ['GET', `k:${KEYS - 1}`])).toBe(`$${String(KEYS - 1).length}\r\n${KEYS - 1}\r\n`);
  };

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    base = join(box.dir, 'ext');
    mkdirSync(base);
    writeFileSync(join(base, 'restart.sh'), SCRIPT, { mode: 0o755 });
    exec = `sh ${join(base, 'restart.sh')} {name}`;
    for (const name of NAMES) {
      port[name] = await freePort();
      const dir = join(base, name);
      mkdirSync(dir);
      // r2 saves nothing on its own: a stop by signal would lose its replication history without rctl's BGSAVE.
      const save = name === 'r2' ? 'save ""' : 'save 3600 1';
      const conf = [`port ${port[name]}`, 'bind 127.0.0.1', `dir ${dir}`, 'daemonize yes', `pidfile ${dir}/redis.pid`, `logfile ${dir}/redis.log`, save, 'appendonly no', 'protected-mode no', 'repl-diskless-sync-delay 0'];
      writeFileSync(join(dir, 'redis.conf'), conf.join('\n') + '\n');
      const started = spawnSync(redisServerPath as string, [join(dir, 'redis.conf')], { encoding: 'utf8' });
      expect(started.status, started.stderr).toBe(0);
      await waitForPort('127.0.0.1', port[name]);
    }
    file = box.topology(
      'ext.yml',
      `name: ext\nauth:\n  password: "${PASSWORD}"\nlaunch: external\nnodes:\n${NAMES.map((n) => `  - { name: ${n}, host: 127.0.0.1, port: ${port[n]}, role: ${n === 'm' ? 'master' : 'replica'} }`).join('\n')}\n`,
    );
    const up = await rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
    for (let i = 0; i < KEYS; i++) await redisCommand('127.0.0.1', port.m, PASSWORD, ['SET', `k:${i}`, String(i)]);
    await eventually(async () => (await status()).json.healthy, { what: 'a healthy set', timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    for (const name of NAMES) {
      try {
        process.kill(pidOf(name), 'SIGKILL');
      } catch {
        // not running
      }
    }
    const hung = join(base ?? '', 'hung.pid');
    if (base && existsSync(hung)) {
      try {
        process.kill(Number(readFileSync(hung, 'utf8')), 'SIGKILL');
      } catch {
        // gone
      }
    }
    box?.cleanup();
  });

  it('--dry-run: BGSAVE before the command on the node that saves nothing, the command filled in per node', async () => {
    const run = await rctl(['restart', '--all', '--exec', exec, '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = rollingJson(run);
    expect(json.plan.map((n) => n.name)).toEqual(['r1', 'r2', 'm']);
    const byName = Object.fromEntries(json.plan.map((n) => [n.name, n]));
    expect(byName.r2.commands[0]).toMatch(/^BGSAVE/);
    expect(byName.r2.commands[1]).toBe(`sh ${join(base, 'restart.sh')} r2`);
    expect(byName.r1.commands[0]).toBe(`sh ${join(base, 'restart.sh')} r1`);
    for (const node of json.plan) expect(node).toMatchObject({ method: 'exec', expectedResync: 'partial' });
  }, 60_000);

  it('restarts every node through --exec with partial resyncs (BGSAVE first for save "")', async () => {
    const before = await runIds();
    const r2LogBefore = readFileSync(join(base, 'r2', 'redis.log'), 'utf8').length;
    const run = await rctl(['restart', '--all', '--exec', exec, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = rollingJson(run);
    expect(json.masterBefore).toBe('m');
    expect(json.masterAfter).not.toBe('m');
    expect(json.fullResyncs).toBe(0);
    for (const node of json.nodes) expect(node.resync, node.name).toBe('partial');
    const after = await runIds();
    for (const name of NAMES) expect(after[name], name).not.toBe(before[name]);
    // r2 saves nothing by itself: the BGSAVE rctl ran before its stop is what it reloaded, and its master took it back partially.
    expect(readFileSync(join(base, 'r2', 'redis.log'), 'utf8').slice(r2LogBefore)).toMatch(/Background saving terminated with success[\s\S]*(Successful partial resynchronization|MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization)/);
    const { json: health } = await status();
    expect(health.healthy).toBe(true);
    expect(health.master).toBe(json.masterAfter);
    await dataIntact(json.masterAfter as Name);
  }, 240_000);

  it('a failing --exec command: EXEC_FAILED (exit 4), the set healthy, the error names the resume command that then finishes', async () => {
    const plan = rollingJson(await rctl(['restart', '--all', '--exec', exec, '--dry-run', '--json']));
    const first = plan.plan[0].name;
    const before = await runIds();
    writeFileSync(join(base, `fail-${first}`), '');
    const run = await rctl(['restart', '--all', '--exec', exec, '--yes', '--json']);
    rmSync(join(base, `fail-${first}`));
    expect(run.code, run.stderr).toBe(4);
    const error = errorOf(run);
    expect(error.code).toBe('EXEC_FAILED');
    expect(error.message).toContain('permission denied');
    expectOneErrorLine(run);
    const resume = resumeIn(error.suggestion ?? '');
    expect(resume).toContain(`--node ${first}`);
    // Nothing was stopped: every node is the same process, linked and in sync.
    expect(await runIds()).toEqual(before);
    // With no node done, no record is left behind: status judges the set alone.
    const after = await status();
    expect(after.run.code, JSON.stringify(after.json)).toBe(0);
    expect(after.json.healthy).toBe(true);

    const finish = await runPrinted(resume + ' --yes --json');
    expect(finish.code, finish.stderr).toBe(0);
    const done = rollingJson(finish);
    expect(done.fullResyncs).toBe(0);
    expect(done.nodes.filter((n) => !n.skipped).map((n) => n.resync)).toEqual(['partial', 'partial', 'partial']);
    expect((await status()).json.healthy).toBe(true);
  }, 300_000);

  it('a killed rctl: status reports the interrupted restart and its resume command, which finishes it skipping the done node', async () => {
    const plan = rollingJson(await rctl(['restart', '--all', '--exec', exec, '--dry-run', '--json']));
    const [first, second] = plan.plan.map((n) => n.name);
    writeFileSync(join(base, `hang-${second}`), '');
    const child = spawn(process.execPath, [rctlBin, 'restart', '--all', '--exec', exec, '--yes', '-t', file], { env: { ...process.env, RCTL_HOME: box.home }, stdio: 'ignore' });
    try {
      await eventually(() => existsSync(join(base, 'hung.pid')), { what: `the exec command of ${second} hanging`, timeout: 120_000, interval: 100 });
      child.kill('SIGKILL');
      await eventually(() => child.exitCode !== null || child.signalCode !== null, { what: 'rctl gone' });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(join(base, `hang-${second}`), { force: true });
      const hung = Number(readFileSync(join(base, 'hung.pid'), 'utf8'));
      if (isAlive(hung)) process.kill(hung, 'SIGKILL');
      rmSync(join(base, 'hung.pid'));
    }

    const { run, json } = await status();
    expect(run.code).toBe(3);
    expect(json.healthy).toBe(false);
    const problem = json.nodes.map((n) => n.error ?? '').find((e) => e.includes('interrupted')) ?? '';
    expect(problem).toContain('interrupted');
    expect(problem).toContain(`stopped while restarting ${second}`);
    expect(problem).toContain(`done: ${first}`);
    const resume = resumeIn(problem);
    expect(resume).toContain(`--node ${second}`);
    expect(resume).not.toContain(`--node ${first} `);
    const human = await rctl(['status']);
    expect(human.code).toBe(3);
    expect(human.stdout + human.stderr).toContain('interrupted');

    const finish = await runPrinted(resume + ' --yes --json');
    expect(finish.code, finish.stderr).toBe(0);
    const done = rollingJson(finish);
    expect(done.fullResyncs).toBe(0);
    const restarted = done.nodes.filter((n) => !n.skipped);
    expect(restarted.length).toBeGreaterThanOrEqual(1);
    for (const node of restarted) expect(node.resync, node.name).toBe('partial');
    expect(restarted.map((n) => n.name)).not.toContain(first);
    const after = await status();
    expect(after.run.code).toBe(0);
    expect(after.json.healthy).toBe(true);
    await dataIntact(after.json.master as Name);
  }, 300_000);
});
