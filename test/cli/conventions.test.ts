// The CLI conventions of issue 20, through the built binary: every command that reads a topology
// takes it as its first argument (with -t and $RCTL_TOPOLOGY still working, and a conflict refused),
// stdout is ASCII without escapes when it is not a terminal or NO_COLOR is set, results go to stdout
// and errors to stderr, `rctl --version` names the bundled node's Redis version, and the bash
// completion script completes commands, flags and node names.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTopology, errorLines, rctlBin, requireBuiltCli, sandbox, type RunResult, type Sandbox } from './helpers';

/** Every command that reads a topology, with the topology as its first argument. */
const POSITIONAL_FORMS: Record<string, (file: string) => string[]> = {
  up: (file) => ['up', file],
  down: (file) => ['down', file],
  status: (file) => ['status', file],
  check: (file) => ['check', file],
  failover: (file) => ['failover', file, '--dry-run'],
  promote: (file) => ['promote', file, 'r1', '--dry-run'],
  replicaof: (file) => ['replicaof', file, 'r1', 'master'],
  restart: (file) => ['restart', file, '--all', '--dry-run'],
  upgrade: (file) => ['upgrade', file, '--all', '--to', 'embedded', '--dry-run'],
  backup: (file) => ['backup', file],
  'replica add': (file) => ['replica', 'add', file, 'r9', '127.0.0.1:1', '--dry-run'],
  'replica remove': (file) => ['replica', 'remove', file, 'r2'],
  'completion nodes': (file) => ['completion', 'nodes', file],
};

/** Printable ASCII, tab and newline: what a pipe may receive. */
const PLAIN_ASCII = /^[\x20-\x7e\t\n]*$/;

function expectOneErrorLine(result: RunResult, exitCode: number, line: string): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(exitCode);
  expect(errorLines(result.stderr)).toEqual([line]);
  expect(result.stdout).toBe('');
}

/** Runs rctl on a pseudo-terminal (util-linux `script`); the terminal's output, CRs removed. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, rctlBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no end on the terminal; output so far:\n${output}`));
    }, 60_000);
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replace(/\r/g, '') });
    });
  });
}

const haveScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;
if (!haveScript) process.stderr.write('[skip] pseudo-terminal output: util-linux `script` is not installed\n');

describe('the topology as the first argument, without nodes', () => {
  let box: Sandbox;
  beforeAll(() => {
    requireBuiltCli();
    box = sandbox();
  });
  afterAll(() => box?.cleanup());

  it('is the file every topology command reads, before $RCTL_TOPOLOGY', { timeout: 180_000 }, async () => {
    const fromEnv = join(box.dir, 'from-env.yml');
    for (const [command, form] of Object.entries(POSITIONAL_FORMS)) {
      const missing = join(box.dir, `missing-${command.replace(' ', '-')}.yml`);
      const result = await box.run(form(missing), { env: { RCTL_TOPOLOGY: fromEnv } });
      expect(errorLines(result.stderr), command).toEqual([`rctl: topology file ${missing} not found — check the path, or pass -t FILE`]);
      expect(result.code, command).toBe(2);
      expect(result.stdout, command).toBe('');
    }
  });

  it('refuses a first argument and a different -t (exit 2, one line), and accepts the same file both ways', { timeout: 180_000 }, async () => {
    const a = join(box.dir, 'a.yml');
    const b = join(box.dir, 'b.yml');
    for (const [command, form] of Object.entries(POSITIONAL_FORMS)) {
      const result = await box.run([...form(a), '-t', b]);
      expect(errorLines(result.stderr), command).toEqual([`rctl: two topologies given: ${a} and -t ${b} — pass only one`]);
      expect(result.code, command).toBe(2);
    }
    // The same file, relative and absolute: not a conflict (the missing file is the error).
    const same = await box.run(['status', relative(process.cwd(), a), '-t', a]);
    expect(errorLines(same.stderr)).toEqual([`rctl: topology file ${relative(process.cwd(), a)} not found — check the path, or pass -t FILE`]);
  });

  it('shows TOPOLOGY in every topology command’s usage', { timeout: 180_000 }, async () => {
    for (const command of Object.keys(POSITIONAL_FORMS)) {
      if (command === 'completion nodes') continue;
      const help = await box.run([...command.split(' '), '--help']);
      expect(help.code, command).toBe(0);
      const usage = help.stdout.split('\n').find((line) => line.trim().startsWith(`$ rctl ${command}`));
      // Before a command's own arguments the topology must end in .yml/.yaml, and the usage says so.
      const hasOwnArguments = ['promote', 'replicaof', 'replica add', 'replica remove'].includes(command);
      expect(usage, `${command}: ${help.stdout.slice(0, 300)}`).toContain(hasOwnArguments ? `$ rctl ${command} [TOPOLOGY.yml] ` : `$ rctl ${command} [TOPOLOGY]`);
    }
  });

  it('lists node names for completion from a topology never loaded before (the oclif command, not the cache)', { timeout: 60_000 }, async () => {
    const file = box.topology('names.yml', 'name: names\nnodes:\n  - { name: alpha, host: 127.0.0.1, port: 7001, role: master }\n  - { name: beta, host: 127.0.0.1, port: 7002, role: replica }\n');
    const names = await box.run(['completion', 'nodes', file]);
    expect(names).toMatchObject({ code: 0, stdout: 'alpha\nbeta\n', stderr: '' });
    // Now cached: the oclif-free path answers the same.
    expect(await box.run(['completion', 'nodes', '-t', file])).toMatchObject({ code: 0, stdout: 'alpha\nbeta\n' });
  });

  it('puts the error on stderr and nothing on stdout; with --json the error object on stdout', async () => {
    const missing = join(box.dir, 'nowhere.yml');
    expectOneErrorLine(await box.run(['check', missing]), 2, `rctl: topology file ${missing} not found — check the path, or pass -t FILE`);
    const json = await box.run(['check', missing, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'TOPOLOGY_NOT_FOUND', exitCode: 2 } });
    expect(errorLines(json.stderr)).toHaveLength(1);
  });
});

describe('rctl --version', () => {
  it('prints oclif’s version line, then the Redis version the bundled node answers as', { timeout: 60_000 }, async () => {
    requireBuiltCli();
    const box = sandbox();
    try {
      const version = await box.run(['--version']);
      expect(version.code).toBe(0);
      const [first, second, ...rest] = version.stdout.split('\n');
      expect(first).toMatch(/^rctl\/\d+\.\d+\.\d+ \S+-\S+ node-v\d+/);
      const node = await box.run(['server', '--version']);
      const redis = /v=(\d+\.\d+\.\d+)/.exec(node.stdout)?.[1];
      expect(redis).toBeDefined();
      expect(second).toBe(`bundled node: Redis ${redis} compatible (rctl node ${/build=rctl-node-(\S+)/.exec(node.stdout)?.[1]}; \`rctl server --version\`)`);
      expect(rest).toEqual(['']);
      // Only --version: a command's output gets no such line.
      expect((await box.run(['completion', 'bash'])).stdout).not.toContain('bundled node:');
    } finally {
      box.cleanup();
    }
  });
});

describe('against a running set of bundled nodes', () => {
  const PASSWORD = 'conventions-pw-4d1';
  let box: Sandbox;
  let file: string;
  let name: string;
  /** Every run here points $RCTL_TOPOLOGY at a missing file: only the argument can name the set. */
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    name = 'conv';
    ({ file } = await embeddedTopology(box, { name, password: PASSWORD, hosts: { master: '127.0.0.1', r1: '127.0.0.1', r2: '127.0.0.1' } }));
    env = { RCTL_TOPOLOGY: join(box.dir, 'elsewhere.yml'), LANG: 'C.UTF-8', LC_ALL: '', LC_CTYPE: '' };
    const up = await box.run(['up', file], { env });
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (box) await box.run(['down', file], { env });
    box?.cleanup();
  });

  it('runs every command on the file given as its first argument', { timeout: 180_000 }, async () => {
    const json = async (args: string[], codes = [0]) => {
      const result = await box.run([...args, '--json'], { env });
      expect(codes, `${args.join(' ')}: exit ${result.code}\n${result.stderr}`).toContain(result.code);
      return JSON.parse(result.stdout);
    };
    expect(await json(['status', file])).toMatchObject({ topology: name, healthy: true });
    expect(await json(['check', file], [0, 3])).toMatchObject({ topology: name });
    expect(await json(['failover', file, '--dry-run'])).toMatchObject({ dryRun: true, from: 'master' });
    expect(await json(['promote', file, 'r2', '--dry-run'])).toMatchObject({ dryRun: true, from: 'master', to: 'r2' });
    // Without a .yml ending the first argument is the node, as before.
    expect(await json(['promote', 'r2', '-t', file, '--dry-run'])).toMatchObject({ to: 'r2' });
    expect(await json(['replicaof', file, 'r1', 'master'])).toMatchObject({ node: 'r1', changed: false });
    expect(await json(['restart', file, '--all', '--dry-run'])).toMatchObject({ kind: 'restart', dryRun: true });
    expect(await json(['upgrade', file, '--all', '--to', 'embedded', '--dry-run'])).toMatchObject({ kind: 'upgrade', dryRun: true });
    const out = join(box.dir, 'backups');
    mkdirSync(out);
    const backup = await json(['backup', file, '--out', out]);
    expect(existsSync(backup.file)).toBe(true);
    expect(await json(['replica', 'add', file, 'r3', '127.0.0.1:1', '--dry-run'])).toMatchObject({ dryRun: true, node: 'r3' });
    const nodes = await box.run(['completion', 'nodes', file], { env });
    expect(nodes.stdout).toBe('master\nr1\nr2\n');
    expect(await json(['status', file, '-t', file])).toMatchObject({ topology: name });
    expect(await json(['replica', 'remove', file, 'r2', '--yes'])).toMatchObject({ node: 'r2' });
    expect((await json(['status', file])).nodes.map((n: { name: string }) => n.name)).toEqual(['master', 'r1']);
  });

  it('prints only printable ASCII to a pipe, whatever the locale, and results on stdout only', { timeout: 180_000 }, async () => {
    for (const args of [['status', file], ['check', file], ['failover', file, '--dry-run'], ['status', '--help']]) {
      const result = await box.run(args, { env });
      expect([0, 3], `${args.join(' ')}: ${result.stderr}`).toContain(result.code);
      expect(result.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(result.stdout, args.join(' ')).toMatch(PLAIN_ASCII);
    }
    const status = await box.run(['status', file], { env });
    expect(status.stdout).toMatch(/^\+-+\+/);
    expect(status.stdout).toMatch(/\| master +\| 127\.0\.0\.1:\d+ +\|.*\| ok +\|\n/);
    expect(status.stderr).toBe('');
  });

  it.runIf(haveScript)('draws boxes on a UTF-8 terminal, and plain ASCII there with NO_COLOR', { timeout: 60_000 }, async () => {
    const terminal: NodeJS.ProcessEnv = { ...process.env, ...env, RCTL_HOME: box.home, TERM: 'xterm' };
    delete terminal.NO_COLOR;
    const boxed = await onTerminal(['status', file], terminal);
    expect(boxed.code).toBe(0);
    expect(boxed.output).toContain('┌');
    expect(boxed.output).toContain('✔');
    for (const args of [['status', file], ['check', file]]) {
      const plain = await onTerminal(args, { ...terminal, NO_COLOR: '1' });
      expect([0, 3]).toContain(plain.code);
      expect(plain.output, args.join(' ')).not.toContain('\x1b');
      expect(plain.output, args.join(' ')).toMatch(PLAIN_ASCII);
    }
  });

  it('completes command names, flags and node names in bash', { timeout: 180_000 }, async () => {
    const script = await box.run(['completion', 'bash'], { env });
    expect(script.code).toBe(0);
    const scriptFile = join(box.dir, 'rctl.bash');
    writeFileSync(scriptFile, script.stdout);
    // `rctl` on PATH, as an installed rctl would be.
    const bin = join(box.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'rctl'), `#!/bin/sh\nexec '${process.execPath}' '${rctlBin}' "$@"\n`);
    chmodSync(join(bin, 'rctl'), 0o755);
    const complete = (line: string, topologyEnv: NodeJS.ProcessEnv = env): string[] => {
      const result = spawnSync(
        'bash',
        ['--norc', '-c', 'source "$1"; read -ra COMP_WORDS <<< "$2"; [[ "$2" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _rctl; printf "%s\\n" "${COMPREPLY[@]}"', 'complete', scriptFile, line],
        { env: { ...process.env, ...topologyEnv, RCTL_HOME: box.home, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8', timeout: 30_000 },
      );
      expect(result.status, result.stderr).toBe(0);
      return result.stdout.split('\n').filter(Boolean);
    };
    expect(complete('rctl ')).toEqual(expect.arrayContaining(['up', 'status', 'failover', 'promote', 'replica', 'completion', '--version']));
    expect(complete('rctl rep')).toEqual(['replica', 'replicaof']);
    expect(complete('rctl replica r')).toEqual(['remove']);
    expect(complete('rctl failover --d')).toEqual(['--dry-run']);
    expect(complete('rctl status -')).toEqual(expect.arrayContaining(['--json', '--topology', '-t', '--watch', '--timeout']));
    expect(complete('rctl replica add --launch ')).toEqual(['embedded', 'redis-server', 'external']);
    expect(complete(`rctl promote ${file} `)).toEqual(['master', 'r1']);
    expect(complete(`rctl failover -t ${file} --promote r`)).toEqual(['r1']);
    expect(complete(`rctl replicaof ${file} r1 m`)).toEqual(['master']);
    // No topology on the line: $RCTL_TOPOLOGY (missing here: no names), else the one last brought up.
    expect(complete('rctl promote ')).toEqual([]);
    const { RCTL_TOPOLOGY: _unset, ...withoutVariable } = env;
    expect(complete('rctl promote ', { ...withoutVariable, RCTL_TOPOLOGY: '' })).toEqual(['master', 'r1']);
  });
});
