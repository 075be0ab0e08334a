// The password never shows: not in the process list while nodes launched by `rctl up` run (the
// bundled node and redis-server), not in any output of rctl, human or --json, not in rctl's
// stderr (rctl keeps no log of its own) nor the nodes' logs, not in the error for a failed AUTH
// (which must not echo the wrong password either). Files that hold it are 0600 in 0700 dirs.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { describeWithRedis } from '../helpers/redis-server';
import { errorLines, repoRoot, requireBuiltCli, sandbox, type RunResult, type Sandbox } from '../cli/helpers';

const PASSWORD = 'S3cr3t-Xyzzy-9q';
const WRONG = 'Wr0ng-Pa55-Qv7j';
const NODES = [
  { name: 'master', launch: 'embedded', role: 'master' },
  { name: 'replica1', launch: 'redis-server', role: 'replica' },
  { name: 'replica2', launch: 'embedded', role: 'replica' },
] as const;

const failoverBuilt =
  existsSync(join(repoRoot, 'commands', 'failover.ts')) &&
  existsSync(join(repoRoot, 'dist', 'commands.js')) &&
  readFileSync(join(repoRoot, 'dist', 'commands.js'), 'utf8').includes('"failover"');
if (!failoverBuilt) process.stderr.write('[skip] secrets of rctl failover: commands/failover.ts is not there or not built yet\n');

function leaks(text: string): string[] {
  return [PASSWORD, WRONG].filter((secret) => text.includes(secret));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describeWithRedis('secrets: the password appears nowhere', () => {
  let box: Sandbox;
  let file: string;
  let wrongFile: string;
  let noAuthFile: string;
  const ports: Record<string, number> = {};

  /** Runs rctl and asserts that neither password is in what it printed. */
  async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const result = await box.run(args, { env });
    expect(leaks(result.stdout + result.stderr), `rctl ${args.join(' ')}`).toEqual([]);
    return result;
  }

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const node of NODES) ports[node.name] = await freePort();
    const nodeLines = (launch: boolean) =>
      NODES.map((n) => `  - { name: ${n.name}, host: 127.0.0.1, port: ${ports[n.name]}, role: ${n.role}${launch ? `, launch: ${n.launch}` : ''} }`).join('\n');
    file = box.topology('secrets.yml', `name: secrets-lab\nauth:\n  password: "${PASSWORD}"\nnodes:\n${nodeLines(true)}\n`);
    // The same nodes with the wrong password, and with none (external: nothing is launched).
    wrongFile = box.topology('wrong.yml', `name: wrong-lab\nauth:\n  password: "${WRONG}"\nnodes:\n${nodeLines(false)}\n`);
    noAuthFile = box.topology('noauth.yml', `name: noauth-lab\nnodes:\n${nodeLines(false)}\n`);
  });

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  it('up launches the bundled node and redis-server without the password on any command line', async () => {
    const up = await run(['up', file]);
    expect(up.code, up.stderr).toBe(0);

    const ps = spawnSync('ps', ['-e', '-ww', '-o', 'args'], { encoding: 'utf8' });
    expect(ps.status).toBe(0);
    const lines = ps.stdout.split('\n');
    // Each launched node is in the list (redis-server retitles itself "redis-server host:port"),
    // so the search below looks at their real command lines.
    for (const node of NODES) {
      const conf = join(box.home, 'secrets-lab', node.name, 'node.conf');
      const own = lines.filter((line) => line.includes(conf) || line.includes(`127.0.0.1:${ports[node.name]}`));
      expect(own, `${node.name} in ps`).not.toHaveLength(0);
    }
    expect(leaks(ps.stdout)).toEqual([]);
  });

  it('no output of up, status, check, replicaof or down shows it, human or --json', async () => {
    expect((await run(['up', file, '--json'])).code).toBe(0);
    expect((await run(['status', '-t', file])).code).toBe(0);
    expect((await run(['status', '-t', file, '--json'])).code).toBe(0);
    // A mixed set (bundled node and redis-server, both 7.0.15) fresh from up is clean.
    const check = await run(['check', '-t', file, '--sample', '0.2']);
    expect(check.code, check.stdout).toBe(0);
    expect((await run(['check', '-t', file, '--json', '--sample', '0.2'])).code).toBe(0);
    expect((await run(['replicaof', 'replica2', 'master', '-t', file])).code).toBe(0);
    expect((await run(['replicaof', 'replica2', 'master', '-t', file, '--json'])).code).toBe(0);
    expect((await run(['status', '-t', file], { DEBUG: '1' })).code).toBe(0);
  });

  it.skipIf(!failoverBuilt)(`nor does failover${failoverBuilt ? '' : ' (skipped: commands/failover.ts not built yet)'}`, async () => {
    expect((await run(['failover', '-t', file, '--dry-run'])).code).toBe(0);
    const there = await run(['failover', '-t', file, '--promote', 'replica1', '--yes', '--json']);
    expect(there.code, there.stderr).toBe(0);
    const back = await run(['promote', 'master', '-t', file, '--yes']);
    expect(back.code, back.stderr).toBe(0);
  });

  it('the error for a failed AUTH echoes neither the right nor the wrong password', async () => {
    for (const args of [['up', wrongFile], ['status', '-t', wrongFile], ['check', '-t', wrongFile], ['replicaof', 'replica1', 'master', '-t', wrongFile]]) {
      // --json renders errors through its own path (an {error} object on stdout): both are checked for up and check.
      for (const json of args[0] === 'up' || args[0] === 'check' ? [false, true] : [false]) {
        const result = await run(json ? [...args, '--json'] : args);
        expect(result.code, result.stderr).toBe(args[0] === 'status' ? 3 : 4);
        expect(result.stdout + result.stderr).toContain('rejected the password (WRONGPASS invalid username-password pair or user is disabled.)');
      }
    }
    const debug = await run(['up', wrongFile], { DEBUG: '1' });
    expect(debug.code).toBe(4);
    const noAuth = await run(['check', '-t', noAuthFile]);
    expect(noAuth.code).toBe(4);
    expect(errorLines(noAuth.stderr)[0]).toMatch(/requires a password \(NOAUTH Authentication required\.\)/);
  });

  it('down shows nothing either, and afterwards no log under RCTL_HOME holds it', async () => {
    expect((await run(['down', file, '--json', '--timeout', '5'])).code).toBe(0);
    expect((await run(['down', file])).code).toBe(0);
    expect(leaks(box.transcript())).toEqual([]);

    const files = filesUnder(box.home);
    const logs = files.filter((f) => f.endsWith('.log'));
    expect(logs.length).toBe(NODES.length);
    for (const log of logs) {
      const text = readFileSync(log, 'latin1');
      expect(text.length, log).toBeGreaterThan(0);
      expect(leaks(text), relative(box.home, log)).toEqual([]);
    }
  });

  it('files holding the password are config files, 0600, in 0700 directories', () => {
    const holders = filesUnder(box.home).filter((f) => leaks(readFileSync(f, 'latin1')).length > 0);
    // The nodes' configs (written by up, then rewritten by CONFIG REWRITE) and the topology cache.
    expect(holders.map((f) => relative(box.home, f)).filter((f) => f.endsWith('node.conf')).sort()).toEqual(
      NODES.map((n) => join('secrets-lab', n.name, 'node.conf')).sort(),
    );
    for (const holder of holders) {
      const shown = relative(box.home, holder);
      expect(/(^|\/)node\.conf$/.test(shown) || shown.startsWith(join('cache', 'topologies') + '/'), `${shown} holds the password`).toBe(true);
      expect(mode(holder), shown).toBe('600');
      for (let dir = dirname(holder); dir.length >= box.home.length; dir = dirname(dir)) {
        expect(mode(dir), relative(box.home, dir) || 'RCTL_HOME').toBe('700');
      }
    }
    expect(leaks(box.transcript())).toEqual([]);
  });
});
