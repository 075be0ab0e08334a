// Every bad input of the issue gets one error line, exit 2 or 4, and never a hang or a stack
// trace: malformed or invalid topology files, missing passwords, refused ports, a frozen node,
// the wrong password, a port that is not Redis, a node still loading.

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { errorLines, requireBuiltCli, sandbox, startLoadingImpostor, type Sandbox, type RunResult } from './helpers';

function expectOneLineError(result: RunResult, code: number, pattern: RegExp | string) {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  const lines = errorLines(result.stderr);
  expect(lines).toHaveLength(1);
  if (typeof pattern === 'string') expect(lines[0]).toBe(pattern);
  else expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

const node = (name: string, host: string, port: number, role = 'master') => `  - { name: ${name}, host: ${host}, port: ${port}, role: ${role} }\n`;

describe('bad topology files (exit 2, one line naming file:line:col)', () => {
  let box: Sandbox;
  beforeAll(() => {
    requireBuiltCli();
    box = sandbox();
  });
  afterAll(() => box?.cleanup());

  it('malformed YAML', async () => {
    const file = box.topology('malformed.yml', 'name: x\nnodes: [\n  a: : b\n');
    expectOneLineError(await box.run(['up', file]), 2, `rctl: ${file}:3:6: invalid YAML: Unexpected : in flow sequence (and 1 more problem)`);
  });

  it('unknown keys, with a did-you-mean', async () => {
    const file = box.topology('unknown.yml', `name: x\nnodes:\n  - { name: m, host: 127.0.0.1, prot: 1, port: 2, role: master }\n`);
    expectOneLineError(await box.run(['status', '-t', file]), 2, /^rctl: .*unknown\.yml:3:33 nodes\[0\]\.prot: unknown key "prot" \(did you mean "port"\?\)/);
  });

  it('two masters', async () => {
    const file = box.topology('two.yml', `name: x\nnodes:\n${node('a', '127.0.0.1', 7001)}${node('b', '127.0.0.1', 7002)}`);
    expectOneLineError(await box.run(['up', file]), 2, /two\.yml:4:\d+ nodes\[1\]\.role: a second master: "a" \(nodes\[0\]\) is already the master/);
  });

  it('duplicate addresses', async () => {
    const file = box.topology('dup.yml', `name: x\nnodes:\n${node('a', '127.0.0.1', 7001)}${node('b', 'localhost', 7001, 'replica')}`);
    expectOneLineError(await box.run(['up', file]), 2, /dup\.yml:4:\d+ nodes\[1\]\.port: duplicate address localhost:7001 \(also nodes\[0\] "a"\)/);
  });

  it('a missing password variable or file', async () => {
    const env = box.topology('env.yml', `name: x\nauth:\n  passwordEnv: RCTL_TEST_NO_SUCH_VAR\nnodes:\n${node('a', '127.0.0.1', 7001)}`);
    expectOneLineError(await box.run(['up', env]), 2, `rctl: ${env}:3:16 auth.passwordEnv: environment variable RCTL_TEST_NO_SUCH_VAR is not set`);
    const file = box.topology('file.yml', `name: x\nauth:\n  passwordFile: missing.secret\nnodes:\n${node('a', '127.0.0.1', 7001)}`);
    expectOneLineError(await box.run(['status', '-t', file]), 2, `rctl: ${file}:3:17 auth.passwordFile: cannot read password file missing.secret: no such file`);
  });

  it('puts the error object on stdout with --json', async () => {
    const file = box.topology('json.yml', `name: x\nnodes:\n  - { name: m, host: h, port: 0, role: master }\n`);
    const result = await box.run(['up', file, '--json']);
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stdout);
    expect(error).toMatchObject({ code: 'TOPOLOGY_INVALID', exitCode: 2 });
    expect(error.issues[0]).toMatchObject({ line: 3, path: 'nodes[0].port', message: 'expected an integer 1-65535, got the number 0' });
  });

  it('usage errors: no topology, an unknown flag, a bad timeout', async () => {
    expectOneLineError(await box.run(['status']), 2, 'rctl: no topology given and none brought up yet — pass -t FILE, set RCTL_TOPOLOGY, or run `rctl up FILE` first');
    expectOneLineError(await box.run(['status', '--bogus']), 2, /^rctl: Nonexistent flag: --bogus/);
    const file = box.topology('ok.yml', `name: x\nnodes:\n${node('a', '127.0.0.1', 7001)}`);
    expectOneLineError(await box.run(['status', '-t', file, '--timeout', 'soon']), 2, /expected a number of seconds, got "soon"/);
    expectOneLineError(await box.run(['replicaof', 'a', 'no', '-t', file]), 2, /did you mean `no one`\?/);
  });

  it('documents the exit codes in --help', async () => {
    const help = await box.run(['up', '--help']);
    expect(help.stdout).toContain('EXIT CODES');
    expect(help.stdout).toContain('5  refused for safety: would destroy data (confirm, or --yes)');
  });
});

describe('nodes that cannot be used (exit 4 for up, 3 for status)', () => {
  let box: Sandbox;
  let http: Server;
  let httpPort: number;
  let loading: Awaited<ReturnType<typeof startLoadingImpostor>>;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    httpPort = await freePort();
    http = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => http.listen(httpPort, '127.0.0.1', resolve));
    loading = await startLoadingImpostor();
  });

  afterAll(async () => {
    http?.close();
    await loading?.close();
    box?.cleanup();
  });

  it('a refused port', async () => {
    const port = await freePort();
    const file = box.topology('refused.yml', `name: x\nnodes:\n${node('master', '127.0.0.1', port)}`);
    expectOneLineError(await box.run(['up', file]), 4, `rctl: master (127.0.0.1:${port}): connection refused — is the node running? \`rctl up\` starts embedded and redis-server nodes`);
    const status = await box.run(['status', '-t', file, '--json']);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout).nodes[0]).toMatchObject({ reachable: false, error: `master (127.0.0.1:${port}): connection refused` });
  });

  it('a port that is not Redis (an HTTP server)', async () => {
    const file = box.topology('http.yml', `name: x\nauth: { password: "123456" }\nnodes:\n${node('master', '127.0.0.1', httpPort)}`);
    expectOneLineError(await box.run(['up', file]), 4, `rctl: master (127.0.0.1:${httpPort}): not a Redis server (it answered "HTTP/1.1 400 Bad Request") — check the port in the topology`);
  });

  it('a node still loading its dataset', async () => {
    const file = box.topology('loading.yml', `name: x\nauth: { password: "123456" }\nnodes:\n${node('master', '127.0.0.1', loading.port)}`);
    expectOneLineError(await box.run(['up', file, '--wait', '0.3']), 4, `rctl: master (127.0.0.1:${loading.port}) is still loading its dataset after 0.3s — retry when loading has finished, or raise --wait`);
    const status = await box.run(['status', '-t', file]);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('still loading its dataset');
  });

  it('embedded launch of a port held by something else reports what answers', async () => {
    const file = box.topology('busy.yml', `name: busy\nlaunch: embedded\nnodes:\n${node('master', '127.0.0.1', httpPort)}`);
    expectOneLineError(await box.run(['up', file]), 4, /^rctl: master \(127\.0\.0\.1:\d+\): not a Redis server/);
  });
});

describeWithRedis('real redis-server refusing rctl (exit 4)', () => {
  let box: Sandbox;
  let guarded: RedisProcess;
  let frozen: RedisProcess;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    guarded = await startRedisServer({ directives: { requirepass: 'other-password' } });
    frozen = await startRedisServer();
    // A paused process keeps its listening socket: connects succeed, replies never come.
    frozen.process.kill('SIGSTOP');
  });

  afterAll(async () => {
    frozen?.process.kill('SIGCONT');
    await guarded?.stop();
    await frozen?.stop();
    box?.cleanup();
  });

  it('the wrong password (WRONGPASS)', async () => {
    const file = box.topology('wrong.yml', `name: x\nauth: { password: "123456" }\nnodes:\n${node('master', '127.0.0.1', guarded.port)}`);
    expectOneLineError(
      await box.run(['up', file]),
      4,
      `rctl: master (127.0.0.1:${guarded.port}) rejected the password (WRONGPASS invalid username-password pair or user is disabled.) — check the password from auth.password in the topology`,
    );
    expect((await box.run(['replicaof', 'master', 'no', 'one', '-t', file])).code).toBe(4);
  });

  it('no password where one is required (NOAUTH)', async () => {
    const file = box.topology('noauth.yml', `name: x\nnodes:\n${node('master', '127.0.0.1', guarded.port)}`);
    expectOneLineError(
      await box.run(['up', file]),
      4,
      `rctl: master (127.0.0.1:${guarded.port}) requires a password (NOAUTH Authentication required.) — add auth.password, auth.passwordEnv or auth.passwordFile to the topology`,
    );
  });

  it('a frozen node never stalls up or status beyond the timeout', async () => {
    const file = box.topology('frozen.yml', `name: x\nnodes:\n${node('master', '127.0.0.1', frozen.port)}`);
    expectOneLineError(
      await box.run(['up', file, '--timeout', '0.5'], { timeoutMs: 20_000 }),
      4,
      `rctl: master (127.0.0.1:${frozen.port}): connected but no reply within 0.5s (frozen node, or not a Redis server) — check the node, or raise --timeout`,
    );
    const status = await box.run(['status', '-t', file, '--timeout', '0.5', '--json'], { timeoutMs: 20_000 });
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout).nodes[0]).toMatchObject({ reachable: false, error: `master (127.0.0.1:${frozen.port}): connected but no reply within 0.5s (frozen node, or not a Redis server)` });
  });
});
