// Every command's --json output, printed by the built binary against bundled nodes on free
// loopback ports, validated against its schema in src/output/schemas.ts: a success and at least one
// failure per command. The process exit code must agree with the one in the error JSON.

import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorSchema, resultSchemaOf } from '../../src/output/schemas';
import { freePort } from '../helpers/ports';
import { eventually } from '../helpers/wait';
import { embeddedTopology, redisCommand, requireBuiltCli, runRctl, sandbox, type RunResult, type Sandbox } from '../cli/helpers';

const PASSWORD = 'contract-secret-7f3a';

function parsed(result: RunResult): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

function schemaIssues(schema: z.ZodType, value: unknown): string {
  const outcome = schema.safeParse(value);
  return outcome.success ? '' : JSON.stringify(outcome.error.issues, null, 2);
}

/** A successful run: its stdout follows the command's result schema. */
function expectResult(command: string, result: RunResult, exitCodes: number[] = [0]): unknown {
  expect(exitCodes, `exit ${result.code}\n${result.stdout}\n${result.stderr}`).toContain(result.code);
  const schema = resultSchemaOf(command);
  if (!schema) throw new Error(`no result schema for ${command}`);
  const json = parsed(result);
  expect(schemaIssues(schema, json), JSON.stringify(json)).toBe('');
  return json;
}

/** A failed run: its stdout is the error JSON, with the code and exit code expected. */
function expectError(result: RunResult, code: string, exitCode: number): z.infer<typeof errorSchema> {
  const json = parsed(result);
  expect(schemaIssues(errorSchema, json), JSON.stringify(json)).toBe('');
  const { error } = errorSchema.parse(json);
  expect(error.code, error.message).toBe(code);
  expect(error.exitCode).toBe(exitCode);
  expect(result.code).toBe(exitCode);
  return { error };
}

/** `rctl server` runs until the node stops, so it is started apart from the sandbox's runs. */
const runServer = (args: string[]) => runRctl(['server', ...args], process.env, 30_000);

describe('--json output of every command follows its schema', () => {
  let box: Sandbox;
  let file: string;

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    ({ file } = await embeddedTopology(box, { name: 'contract', password: PASSWORD, hosts: { master: '127.0.0.1', replica1: '127.0.0.1', replica2: '127.0.0.1' } }));
  });

  afterAll(async () => {
    if (!box) return;
    await box.run(['down', '-t', file, '--timeout', '2']).catch(() => undefined);
    box.cleanup();
  });

  const rctl = (args: string[]) => box.run([...args, '-t', file, '--json'], { timeoutMs: 90_000 });

  it('up: the set brought up; a topology that breaks a rule lists its issues', async () => {
    expectResult('up', await rctl(['up']));
    const twoMasters = box.topology('two-masters.yml', `name: bad\nnodes:\n  - { name: a, host: 127.0.0.1, port: 1, role: master }\n  - { name: b, host: 127.0.0.1, port: 2, role: master }\n`);
    const { error } = expectError(await box.run(['up', twoMasters, '--json']), 'TOPOLOGY_INVALID', 2);
    expect('issues' in error && error.issues.length).toBeGreaterThan(0);
  }, 120_000);

  it('status: healthy; a missing topology file; an unknown flag', async () => {
    expectResult('status', await rctl(['status']));
    expectError(await box.run(['status', '-t', join(box.dir, 'missing.yml'), '--json']), 'TOPOLOGY_NOT_FOUND', 2);
    expectError(await box.run(['status', '--bogus', '--json']), 'USAGE', 2);
  });

  it('check: the report; a set none of whose nodes answers', async () => {
    expectResult('check', await rctl(['check', '--sample', '0']), [0, 3]);
    const nobody = box.topology('nobody.yml', `name: nobody\nnodes:\n  - { name: m, host: 127.0.0.1, port: ${await freePort()}, role: master }\n`);
    expectError(await box.run(['check', '-t', nobody, '--json', '--sample', '0']), 'NODE_REFUSED', 4);
  });

  it('failover: the plan, the switch; promoting the master itself', async () => {
    const plan = expectResult('failover', await rctl(['failover', '--dry-run'])) as { dryRun?: boolean };
    expect(plan.dryRun).toBe(true);
    const done = expectResult('failover', await rctl(['failover', '--promote', 'replica1', '--yes'])) as { to: string };
    expect(done.to).toBe('replica1');
    expectError(await rctl(['failover', '--promote', 'replica1', '--yes']), 'ALREADY_MASTER', 2);
  }, 120_000);

  it('promote: back to the file\'s master; an address that is no node', async () => {
    expectResult('promote', await rctl(['promote', 'master', '--yes']));
    expectError(await rctl(['promote', `127.0.0.1:${await freePort()}`, '--yes']), 'UNKNOWN_NODE', 2);
  }, 120_000);

  it('replicaof: a replica of the master; a node made a replica of itself', async () => {
    expectResult('replicaof', await rctl(['replicaof', 'replica2', 'master']));
    expectError(await rctl(['replicaof', 'replica2', 'replica2']), 'USAGE', 2);
  }, 120_000);

  it('down: --purge without a terminal or --yes; the nodes stopped', async () => {
    expectError(await rctl(['down', '--purge']), 'CONFIRMATION_REQUIRED', 2);
    const stopped = expectResult('down', await rctl(['down', '--timeout', '5'])) as { nodes: Array<{ outcome: string }> };
    expect(stopped.nodes.map((n) => n.outcome)).not.toContain('not running');
    expect(box.transcript()).not.toContain(PASSWORD);
  }, 60_000);

  it('server: its exit code once stopped by SHUTDOWN; 1 when its port is taken', async () => {
    const port = await freePort();
    const logfile = join(box.dir, 'server.log');
    const serving = runServer(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--logfile', logfile, '--json']);
    await eventually(async () => (await redisCommand('127.0.0.1', port, null, ['PING']).catch(() => '')) === '+PONG\r\n', { what: 'rctl server answers PING' });
    await redisCommand('127.0.0.1', port, null, ['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
    expect((expectResult('server', await serving) as { exitCode: number }).exitCode).toBe(0);

    const holder: Server = createServer();
    const taken = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    try {
      const refused = await runServer(['--port', String(taken), '--bind', '127.0.0.1', '--save', '', '--logfile', logfile, '--json']);
      expect((expectResult('server', refused, [1]) as { exitCode: number }).exitCode).toBe(1);
    } finally {
      holder.close();
    }
  }, 60_000);
});
