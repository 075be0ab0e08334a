// Graceful failovers by the built `rctl` on a live master (run by graceful-embedded.test.ts and
// graceful-redis-server.test.ts, two files so the two kinds run in parallel): under a write load
// that records every acknowledged write; ten in a row round the three nodes with zero full
// resyncs; --force on a live master; and the refusals: no terminal without --yes, the prompts on
// a terminal, --dry-run changing nothing, a candidate that cannot catch up rolled back cleanly
// while a second failover is refused by the lock, unknown / current-master / unreachable /
// priority-0 candidates, a topology without replicas.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { eventually } from '../helpers/wait';
import { errorLines, rctlBin } from '../cli/helpers';
import { masterClient } from './follow-master-client';
import { currentMaster, detach, info, parseJson, PASSWORD, settled, startSet, totalFullSyncs, type LaunchKind, type NodeSet } from './helpers';

interface FailoverJson {
  from: string;
  to: string;
  mode: string;
  steps: Array<{ step: string; node: string; ms: number; ok: boolean }>;
  fullResyncs: number;
  partialResyncs: number;
  writesPausedMs: number;
  durationMs: number;
}

const haveScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

/**
 * Runs rctl on a pseudo-terminal (util-linux `script`), answering each prompt when it shows:
 * `answers` maps a text to wait for to the keys to type then.
 */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, answers: Array<[string, string]>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, rctlBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const pending = [...answers];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no end on the terminal; output so far:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      while (pending.length > 0 && output.includes(pending[0][0])) child.stdin.write((pending.shift() as [string, string])[1]);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

export function gracefulSuite(kind: LaunchKind, options: { terminal?: boolean } = {}): void {
  const NAMES: [string, string, string] = ['n1', 'n2', 'n3'];
  let set: NodeSet;
  let rolesFile: string;
  let lockFile: string;

  beforeAll(async () => {
    set = await startSet(kind, 'graceful-lab', NAMES);
    rolesFile = join(set.box.home, 'graceful-lab', 'roles.json');
    lockFile = join(set.box.home, 'graceful-lab', 'failover.lock');
    await set.client('n1').set('name', 'hkping');
    await settled(set, 'n1');
  });
  afterAll(async () => set?.close());

  /** What a failover would change: roles, links, histories and offsets of every node. */
  async function snapshot() {
    const out: Record<string, unknown> = {};
    for (const name of NAMES) {
      const r = await info(set.client(name));
      // Not the offsets: real Redis's replication PING moves them every 10 s.
      out[name] = [r.role, r.master_host, r.master_port, r.master_replid, r.master_replid2];
    }
    return out;
  }

  it('without a terminal and without --yes: exit 2 naming --yes, nothing changed', async () => {
    const before = await snapshot();
    const result = await set.rctl(['failover']);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual(['rctl: failover needs confirmation and there is no terminal to ask on — pass --yes to confirm']);
    expect(await snapshot()).toEqual(before);
    expect(existsSync(lockFile)).toBe(false);
  });

  if (options.terminal) it.runIf(haveScript)('on a terminal: a list of candidates with their lag, then the plan and a confirmation (declined: exit 5)', async () => {
    const before = await snapshot();
    const env = { ...process.env, RCTL_HOME: set.box.home };
    const result = await onTerminal(['failover', '-t', set.file], env, [
      ['Promote which replica?', '\r'],
      ['Proceed with the failover?', 'n\r'],
    ]);
    expect(result.code).toBe(5);
    // Both replicas listed, the best first and preselected (n2 on a tie; a replication PING may
    // reach one replica a moment before the other).
    const best = /(n2|n3) \(127\.0\.0\.\d+:\d+\) +lag \d+ B, offset \d+, priority 100 +\(best\)/.exec(result.output)?.[1];
    expect(best).toBeDefined();
    expect(result.output).toMatch(new RegExp(`${best === 'n2' ? 'n3' : 'n2'} \\(127\\.0\\.0\\.\\d+:\\d+\\) +lag \\d+ B, offset \\d+, priority 100`));
    expect(result.output).toMatch(new RegExp(`failover of graceful-lab, graceful: n1 \\(127\\.0\\.0\\.58:\\d+\\) → ${best}`));
    expect(result.output).toMatch(new RegExp(`promote +${best} +REPLICAOF NO ONE`));
    expect(result.output).toContain('rctl: failover declined: nothing was changed');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an unknown node and the current master (exit 2)', async () => {
    const unknown = await set.rctl(['failover', '--promote', 'nosuch', '--yes']);
    expect(unknown.code).toBe(2);
    expect(errorLines(unknown.stderr)).toEqual([`rctl: --promote nosuch: no node at nosuch:6379 in ${set.file} — nodes: ${set.nodes.map((n) => `${n.name} (${n.host}:${n.port})`).join(', ')}`]);
    const byAddress = await set.rctl(['failover', '--promote', '127.0.0.17:1', '--yes']);
    expect(byAddress.code).toBe(2);
    const master = await set.rctl(['failover', '--promote', 'n1', '--yes']);
    expect(master.code).toBe(2);
    expect(errorLines(master.stderr)[0]).toMatch(/^rctl: --promote n1: n1 \(127\.0\.0\.58:\d+\) is the master already — promote one of its replicas: n2, n3$/);
  });

  it('--dry-run prints every step with its commands, the password as <password>, and changes nothing', async () => {
    // A replica whose masterauth is wrong gets it set before the switch: the plan shows that command.
    expect(await set.client('n3').config('SET', 'masterauth', 'not-the-password')).toBe('OK');
    const before = await snapshot();
    const text = await set.rctl(['failover', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^failover of graceful-lab, graceful: n1 \(127\.0\.0\.58:\d+\) -> n[23] \(127\.0\.0\.(17|27):\d+\); n1 answers$/m);
    expect(text.stdout).toMatch(/prepare +n3 +CONFIG SET masterauth <password>/);
    expect(text.stdout).toMatch(/pause writes +n1 +CLIENT PAUSE 10000 WRITE/);
    expect(text.stdout).toMatch(/fence +n1 +CONFIG SET min-replicas-to-write 2147483647 /);
    expect(text.stdout).toMatch(/promote +n[23] +REPLICAOF NO ONE/);
    expect(text.stdout).toMatch(/repoint +n1 +REPLICAOF 127\.0\.0\.(17|27) \d+/);
    expect(text.stdout).toMatch(/resume writes +n1 +CONFIG SET min-replicas-to-write 0 min-replicas-max-lag 10 repl-ping-replica-period 10; CLIENT UNPAUSE/);
    expect(text.stdout).toContain('dry run: nothing was changed');
    const json = parseJson<{ dryRun: boolean; from: string; to: string; mode: string; plan: Array<{ step: string; node: string; command: string }> }>(await set.rctl(['failover', '--dry-run', '--json', '--promote', 'n3']));
    expect(json).toMatchObject({ dryRun: true, from: 'n1', to: 'n3', mode: 'graceful' });
    expect(json.plan.map((s) => s.step)).toEqual(expect.arrayContaining(['prepare', 'pause writes', 'catch up', 'fence', 'promote', 'repoint', 'resume writes', 'persist config', 'link up', 'record roles']));
    expect(await snapshot()).toEqual(before);
    expect(await set.client('n3').config('GET', 'masterauth')).toEqual(['masterauth', 'not-the-password']);
    expect(existsSync(rolesFile)).toBe(false);
    expect(set.box.transcript()).not.toContain(PASSWORD);
  });

  it('under a write load: every acknowledged write is on the new master, with no full resync', async () => {
    const client = masterClient(set.nodes, PASSWORD);
    client.on('error', () => {});
    const acked: string[] = [];
    let failed = 0;
    let sent = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        const key = `load:${sent++}`;
        try {
          await client.set(key, String(sent));
          acked.push(key);
        } catch {
          failed++;
        }
      }
    })();
    await eventually(() => acked.length >= 200, { what: 'writes flowing' });
    const fullBefore = await totalFullSyncs(set);
    const result = await set.rctl(['failover', '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = parseJson<FailoverJson>(result);
    const ackedAtSwitch = acked.length;
    await eventually(() => acked.length >= ackedAtSwitch + 200, { what: 'writes on the new master' });
    stop = true;
    await writer;
    client.disconnect();

    // The best candidate: both replicas have priority 100, so the one further ahead at that moment (or n2 on a tie).
    expect(['n2', 'n3']).toContain(json.to);
    expect(json).toMatchObject({ from: 'n1', mode: 'graceful', fullResyncs: 0, partialResyncs: 2 });
    expect(json.steps.every((s) => s.ok)).toBe(true);
    expect(json.steps.map((s) => s.step)).toContain('fence');
    expect(await totalFullSyncs(set)).toBe(fullBefore);
    // The old master's switch settings are back (a replica now, but promotable again) and nothing is left to repair.
    expect(await set.client('n1').config('GET', 'min-replicas-to-write')).toEqual(['min-replicas-to-write', '0']);
    expect(await set.client('n1').config('GET', 'repl-ping-replica-period')).toEqual(['repl-ping-replica-period', '10']);
    expect(existsSync(join(set.box.home, 'graceful-lab', 'switch-n1.json'))).toBe(false);
    const values: Array<string | null> = [];
    for (let i = 0; i < acked.length; i += 1000) values.push(...(await set.client(json.to).mget(...acked.slice(i, i + 1000))));
    const missing = acked.filter((_, i) => values[i] === null);
    console.log(`[${kind}] under load: ${sent} writes sent, ${acked.length} acknowledged (${acked.length - ackedAtSwitch} after the switch), ${failed} failed; ${acked.length - missing.length}/${acked.length} acknowledged writes on the new master ${json.to}; writes paused ${json.writesPausedMs} ms`);
    expect(missing).toEqual([]);
    expect(failed).toBe(0);
    await settled(set, json.to);
  });

  it('ten graceful failovers round the three nodes: zero full resyncs, and the recorded roles follow', async () => {
    const fullBefore = await totalFullSyncs(set);
    let master = await currentMaster(set);
    const order = ['n1', 'n2', 'n3'];
    for (let round = 1; round <= 10; round++) {
      const next = order[(order.indexOf(master) + 1) % 3];
      await set.client(master).set(`round:${round}`, String(round));
      if (round === 3) writeFileSync(lockFile, JSON.stringify({ pid: await deadPid(), startedAt: '2020-01-01T00:00:00.000Z' }));
      if (round === 5) {
        // Human output: the step table, then the status table, then the summary; and `promote` as sugar.
        const human = await set.rctl(['promote', next, '--yes']);
        expect(human.code, human.stderr).toBe(0);
        // stdout is a pipe here: ASCII borders and marks.
        expect(human.stdout).toMatch(/\| STEP +\| NODE +\| +MS \| OK \|/);
        expect(human.stdout).toMatch(new RegExp(`graceful-lab: healthy; master ${next}, 2/2 replicas linked`));
        expect(human.stdout).toMatch(new RegExp(`failover ${master} -> ${next} \\(graceful\\) done in [\\d.]+ ms, writes paused [\\d.]+ ms; 0 full resyncs, 2 partial`));
      } else {
        const result = await set.rctl(['failover', '--promote', next, '--yes', '--json']);
        expect(result.code, result.stderr).toBe(0);
        expect(parseJson<FailoverJson>(result)).toMatchObject({ from: master, to: next, mode: 'graceful', fullResyncs: 0, partialResyncs: 2 });
        if (round === 3) expect(result.stderr).toMatch(/warning: removing a stale failover lock of pid \d+ \(no longer running\)/);
      }
      expect(await set.client(next).get(`round:${round}`)).toBe(String(round));
      master = next;
    }
    expect(await totalFullSyncs(set)).toBe(fullBefore);
    expect(existsSync(lockFile)).toBe(false);
    // The recorded topology names the new master (none is needed when it is the file's own, n1):
    // status shows no drift and up changes nothing.
    if (master === 'n1') expect(existsSync(rolesFile)).toBe(false);
    else expect(JSON.parse(readFileSync(rolesFile, 'utf8'))).toMatchObject({ master, by: 'failover', fileMaster: 'n1', previous: expect.any(String) });
    // The replica whose masterauth was wrong got it before it was pointed at a new master.
    for (const name of NAMES) expect(await set.client(name).config('GET', 'masterauth')).toEqual(['masterauth', PASSWORD]);
    const status = await set.rctl(['status', '--json']);
    expect(status.code, status.stdout).toBe(0);
    expect(parseJson(status)).toMatchObject({ master, healthy: true });
    expect(parseJson(await set.rctl(['up', '--json']))).toMatchObject({ changed: false, actions: [] });
  });

  it('a candidate that cannot catch up is rolled back within --timeout, while a second failover is refused by the lock', async () => {
    const master = await currentMaster(set);
    const candidate = NAMES.find((n) => n !== master) as string;
    await detach(set, candidate);
    await set.client(master).set('only-on-master', '1');
    const rolesBefore = existsSync(rolesFile) ? readFileSync(rolesFile, 'utf8') : null;
    // The lock is held for the whole --timeout: long enough that the second rctl, starting on a
    // loaded machine, still finds it (at 2 s it once started after the rollback).
    const first = set.rctl(['failover', '--promote', candidate, '--yes', '--timeout', '6']);
    await eventually(() => existsSync(lockFile) && readFileSync(lockFile, 'utf8').includes('pid'), { what: 'the first failover to take the lock', interval: 5 });
    const holder = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number };
    const second = await set.rctl(['failover', '--yes']);
    expect(second.code).toBe(5);
    expect(errorLines(second.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^rctl: a failover of graceful-lab is already running \\(pid ${holder.pid}, started .+\\) — wait for it to finish; if pid ${holder.pid} is not rctl, delete ${lockFile}$`)),
    ]);

    const result = await first;
    expect(result.code).toBe(4);
    const errors = errorLines(result.stderr).filter((line) => line.startsWith('rctl:'));
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^rctl: ${candidate} did not catch up with ${master} within 6s \\(\\d+ bytes behind\\); rolled back: writes resumed on ${master}, nothing changed — `)),
    ]);
    // The master takes writes at once (a pause would hold this SET for seconds), with its PING period back.
    const quick = new Redis({ ...set.byName(master), password: PASSWORD, commandTimeout: 1500, maxRetriesPerRequest: 0 });
    try {
      expect(await quick.set('after-rollback', '1')).toBe('OK');
    } finally {
      quick.disconnect();
    }
    expect(await set.client(master).config('GET', 'repl-ping-replica-period')).toEqual(['repl-ping-replica-period', '10']);
    expect((await info(set.client(master))).role).toBe('master');
    expect((await info(set.client(candidate))).role).toBe('slave');
    expect(existsSync(rolesFile) ? readFileSync(rolesFile, 'utf8') : null).toBe(rolesBefore);
    expect(existsSync(lockFile)).toBe(false);

    // up points the detached replica back at the master; it continues from its own history.
    const up = await set.rctl(['up']);
    expect(up.code, up.stderr).toBe(0);
    await settled(set, master);
    expect(await set.client(candidate).get('only-on-master')).toBe('1');
  });

  it('--force on a live master promotes a candidate that cannot catch up, and reports the full resyncs that costs', async () => {
    const master = await currentMaster(set);
    const candidate = NAMES.find((n) => n !== master) as string;
    await detach(set, candidate);
    await set.client(master).set('lost-by-force', '1');
    const fullBefore = await totalFullSyncs(set);
    const result = await set.rctl(['failover', '--force', '--promote', candidate, '--yes', '--json', '--timeout', '0.5']);
    expect(result.code, result.stderr).toBe(0);
    const json = parseJson<FailoverJson>(result);
    expect(json).toMatchObject({ from: master, to: candidate, mode: 'forced' });
    expect(json.steps.find((s) => s.step === 'catch up')).toMatchObject({ node: candidate, ok: false });
    expect(result.stderr).toMatch(new RegExp(`warning: ${candidate} did not catch up within 0\\.5s \\(\\d+ bytes behind\\): promoted anyway \\(--force\\); those writes are lost`));
    await settled(set, candidate);
    // The old master and the third node were ahead of the candidate: both resynced in full, and said so.
    expect(json.fullResyncs).toBeGreaterThanOrEqual(1);
    expect(json.fullResyncs).toBe((await totalFullSyncs(set)) - fullBefore);
    expect(await set.client(master).get('lost-by-force')).toBeNull();
  });

  it('refuses an unreachable candidate (4), a priority-0 candidate (2) and a topology without replicas (2)', async () => {
    const master = await currentMaster(set);
    const others = set.nodes.filter((n) => n.name !== master);
    const ghostPort = await freePort();
    const view = set.box.topology(
      'view.yml',
      `name: view-lab
auth:
  password: "${PASSWORD}"
nodes:
  - { name: ${master}, host: ${set.byName(master).host}, port: ${set.byName(master).port}, role: master }
  - { name: ${others[0].name}, host: ${others[0].host}, port: ${others[0].port}, role: replica, priority: 0 }
  - { name: ${others[1].name}, host: ${others[1].host}, port: ${others[1].port}, role: replica }
  - { name: ghost, host: 127.0.0.1, port: ${ghostPort}, role: replica }
`,
    );
    const before = await snapshot();
    const ghost = await set.box.run(['failover', '-t', view, '--promote', 'ghost', '--yes']);
    expect(ghost.code).toBe(4);
    expect(errorLines(ghost.stderr)).toEqual([`rctl: cannot promote ghost: ghost (127.0.0.1:${ghostPort}): connection refused — is the node running? \`rctl up\` starts embedded and redis-server nodes`]);
    const zero = await set.box.run(['failover', '-t', view, '--promote', others[0].name, '--yes']);
    expect(zero.code).toBe(2);
    expect(errorLines(zero.stderr)[0]).toMatch(new RegExp(`^rctl: cannot promote ${others[0].name} \\(.+\\): its replica-priority is 0, which means never promote it — `));
    const lonely = set.box.topology('lonely.yml', `name: lonely-lab\nauth:\n  password: "${PASSWORD}"\nnodes:\n  - { name: ${master}, host: ${set.byName(master).host}, port: ${set.byName(master).port}, role: master }\n`);
    const none = await set.box.run(['failover', '-t', lonely, '--yes']);
    expect(none.code).toBe(2);
    expect(errorLines(none.stderr)).toEqual([`rctl: lonely-lab has no replicas: there is nothing to fail over to — add a node with role: replica to ${lonely}`]);
    expect(await snapshot()).toEqual(before);
  });
}
