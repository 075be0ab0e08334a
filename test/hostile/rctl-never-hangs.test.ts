// rctl against peers that accept a connection and then misbehave (test/hostile/peers.ts): every
// command that contacts nodes ends by itself, with one error line and a documented exit code, in
// about its --timeout. Before, a peer dripping one byte a second held status, check and
// failover --dry-run for good: each byte restarted the reply timer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines, requireBuiltCli, sandbox, type Sandbox } from '../cli/helpers';
import { startHostilePeer, type HostilePeer, type PeerKind } from './peers';

const KINDS: PeerKind[] = ['drip', 'silent', 'half-closed', 'flood'];

/** A hang guard, not a performance bound: the commands run with --timeout 1. */
const MUST_END_WITHIN_MS = 12_000;

interface Case {
  name: string;
  args: (file: string) => string[];
  exitCodes: number[];
}

const CASES: Case[] = [
  { name: 'status', args: (file) => ['status', '-t', file, '--timeout', '1'], exitCodes: [3] },
  { name: 'status --json', args: (file) => ['status', '-t', file, '--timeout', '1', '--json'], exitCodes: [3] },
  { name: 'check', args: (file) => ['check', '-t', file, '--timeout', '1', '--sample', '0'], exitCodes: [3, 4] },
  { name: 'failover --dry-run', args: (file) => ['failover', '-t', file, '--promote', 'replica', '--dry-run', '--connect-timeout', '1'], exitCodes: [4, 5] },
  { name: 'failover', args: (file) => ['failover', '-t', file, '--promote', 'replica', '--yes', '--connect-timeout', '1', '--timeout', '1', '--wait', '1'], exitCodes: [4, 5] },
  { name: 'replicaof', args: (file) => ['replicaof', '-t', file, 'replica', 'master', '--timeout', '1', '--wait', '1', '--yes'], exitCodes: [4, 5] },
  { name: 'up', args: (file) => ['up', file, '--timeout', '1', '--wait', '1', '--yes'], exitCodes: [3, 4, 5] },
];

describe('rctl never hangs on a misbehaving peer', () => {
  let box: Sandbox;
  const peers = new Map<PeerKind, HostilePeer[]>();

  beforeAll(async () => {
    requireBuiltCli();
    box = sandbox();
    for (const kind of KINDS) peers.set(kind, [await startHostilePeer(kind), await startHostilePeer(kind)]);
  });

  afterAll(async () => {
    for (const pair of peers.values()) for (const peer of pair) await peer.close();
    box?.cleanup();
  });

  for (const kind of KINDS) {
    for (const testCase of CASES) {
      it(`${testCase.name} against a ${kind} peer`, { timeout: MUST_END_WITHIN_MS + 10_000 }, async () => {
        const [master, replica] = peers.get(kind) as HostilePeer[];
        const file = box.topology(
          `${kind}.yml`,
          `name: hostile-${kind}\nauth: { password: "123456" }\nnodes:\n` +
            `  - { name: master, host: 127.0.0.1, port: ${master.port}, role: master }\n` +
            `  - { name: replica, host: 127.0.0.1, port: ${replica.port}, role: replica }\n`,
        );
        const started = Date.now();
        const result = await box.run(testCase.args(file), { timeoutMs: MUST_END_WITHIN_MS });
        const elapsed = Date.now() - started;
        expect(testCase.exitCodes, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toContain(result.code);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        if (!testCase.args(file).includes('--json') && testCase.name !== 'status') expect(errorLines(result.stderr).length).toBeGreaterThanOrEqual(1);
        process.stdout.write(`[never hangs] ${testCase.name} vs ${kind}: exit ${result.code} in ${elapsed} ms\n`);
      });
    }
  }
});
