// Topology files from random and mutated YAML: the loader either returns a sound topology or
// throws a TopologyError whose message is the documented one line (`file:line:col path: problem`,
// no control characters), never anything else. A sample of the rejected files also goes through
// the built binary (`rctl status --json`): exit 2, that same line on stderr, the {error} object
// on stdout. Only rejected files reach the binary, with the very environment the loader saw, so
// it never connects anywhere.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { TopologyError } from '../../src/errors';
import { parseTopology } from '../../src/topology/load';
import { isLoopbackHost, type Topology } from '../../src/topology/model';
import { renderError } from '../../src/ui/error-output';
import { charsetOf } from '../../src/ui/charset';
import { requireBuiltCli, rctlBin } from '../cli/helpers';
import { tempDir } from './temp';

const SEED = Number(process.env.RCTL_FUZZ_SEED ?? 20261121);
const RUNS = Number(process.env.RCTL_FUZZ_RUNS ?? 3000);
// The two first fixed cases (their failure showed only in the binary's output), then random ones.
const BINARY_SAMPLE = 12;
process.stderr.write(`[fuzz] topology files: seed ${SEED}, ${RUNS} cases (replay with RCTL_FUZZ_SEED=${SEED})\n`);

const SECRET = 'fuzz-Secret-w2';
const dir = tempDir('rctl-fuzz-');
const FILE = 'fuzz.yml';
const ABSOLUTE = join(dir, FILE);
// The loader's environment, and the binary's: identical, so what one rejects the other does too.
const ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', RCTL_HOME: join(dir, 'home'), FUZZ_PASSWORD: SECRET };

// Password files the mutations can point at: fine, empty, a directory, a FIFO, a device.
writeFileSync(join(dir, 'secret'), `${SECRET}\n`);
writeFileSync(join(dir, 'empty'), '');
mkdirSync(join(dir, 'dir'));
spawnSync('mkfifo', [join(dir, 'fifo')]);

const SEEDS = [
  `name: seed-lab
auth:
  password: "${SECRET}"
launch: external
nodes:
  - name: master
    host: 127.0.0.58
    port: 6379
    role: master
  - { name: slave1, host: 127.0.0.17, port: 6379, role: replica }
  - { name: slave2, host: 127.0.0.27, port: 6379, role: replica, priority: 100 }
`,
  `# local set
name: local
auth: { passwordFile: secret }
launch: embedded
nodes: [{ name: m, host: 127.0.0.1, port: 7001, role: master }, { name: r, host: localhost, port: 7002, role: replica, launch: redis-server }]
`,
  `name: "v6"
auth:
  passwordEnv: FUZZ_PASSWORD
nodes:
  - name: 'a'
    host: "::1"
    port: 7001
    role: master
    priority: 0
  - name: b
    host: 127.0.0.2
    port: 7001
    role: replica
    launch: external
`,
  'name: x\nnodes:\n  - { name: m, host: 127.0.0.1, port: 1, role: master }\n',
];

const WORDS = [
  'name', 'auth', 'password', 'passwordEnv', 'passwordFile', 'launch', 'nodes', 'host', 'port', 'role', 'priority',
  'nam', 'prot', 'hots', 'pasword', '__proto__', 'constructor', 'prototype', 'toString',
  'master', 'replica', 'slave', 'external', 'embedded', 'redis-server',
  '127.0.0.1', '127.255.255.255', '127.0.0.256', 'localhost', '::1', '[::1]',
  'FUZZ_PASSWORD', 'NO_SUCH_VAR', 'RCTL_HOME', 'secret', 'empty', 'dir', 'fifo', 'missing', '/dev/zero', '/dev/null',
  '0', '1', '-1', '65535', '65536', '7001.5', '0x1F', '0o17', '1e3', '.inf', '-.inf', '.nan', '2147483648', '99999999999999999999',
  'null', '~', 'true', 'no', 'yes', '""', "''",
];
const TOKENS = [
  ...WORDS,
  ':', ': ', '- ', '\n', '\n  ', '\n    ', '  ', '{', '}', '[', ']', ',', '"', "'", '#', '&a ', '*a', '? ',
  '!!str ', '!!int ', '!!binary ', '!!map ', '!!seq ', '!!set ', '!!omap ', '!!float ', '!custom ', '<<: *a\n', '|', '>', '|-\n  ',
  '%YAML 1.2\n---\n', '---\n', '...\n', '\t', '\0', '\r', '\r\n', '\uFEFF', '\u2028', '\u0085', '\u009b', '\u001b[2J', '\\', '"\\n"', '"\\u001b"',
  'é', '😀', '\udc00', 'x'.repeat(70), 'k'.repeat(1100),
];

type Mutation =
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; length: number; token: string }
  | { kind: 'word'; at: number; token: string }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const token = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }), token }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), token }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  const lines = text.split('\n');
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at(m.at)) + m.token + text.slice(at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'replace':
      return text.slice(0, at(m.at)) + m.token + text.slice(at(m.at) + m.length);
    case 'word': {
      // The identifier-ish run at or after the position: keys and values swap for one another.
      const match = /[\w.:/-]+/.exec(text.slice(at(m.at)));
      if (!match) return text + m.token;
      const start = at(m.at) + match.index;
      return text.slice(0, start) + m.token + text.slice(start + match[0].length);
    }
    case 'duplicateLine': {
      const i = m.at % lines.length;
      return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
    }
    case 'swapLines': {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, at(m.at));
  }
}

// One mutation often leaves a valid file (a value swapped for another); several rarely do.
const mutations = fc.oneof({ weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 6 }) });
const mutated = fc.tuple(fc.constantFrom(...SEEDS), mutations).map(([seed, ms]) => ms.reduce(mutate, seed));

// Documents built as values, then written by the yaml library: shapes rather than syntax.
const scalar = fc.oneof(
  fc.constantFrom<unknown>(...WORDS, 'a\nb', 'tab\there', '\u001b[31m', '\u009b2J', 'é', '', 'x'.repeat(65)),
  fc.constantFrom<unknown>(0, 1, 7001, 65535, 65536, -1, 1.5, 2147483647, 2147483648, Number.NaN, Number.POSITIVE_INFINITY, 1e21, true, false, null),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);
const key = fc.oneof(fc.constantFrom(...WORDS, 'a\nb', '\u001b[0m', ''), fc.string({ maxLength: 8 }));
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 2 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 2 }).map((pairs) => new Map(pairs)),
  ),
})).value;
const field = <T>(usual: fc.Arbitrary<T>) => fc.option(fc.oneof({ weight: 4, arbitrary: usual as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: value }), { nil: undefined, freq: 5 });
const nodeMap = fc
  .record({
    name: field(fc.constantFrom('master', 'r1', 'r2', 'm')),
    host: field(fc.constantFrom('127.0.0.1', '127.0.0.58', 'localhost', '::1', '[::1]', '127.1.2.3')),
    port: field(fc.integer({ min: -1, max: 70000 })),
    role: field(fc.constantFrom('master', 'replica', 'slave')),
    priority: field(fc.integer({ min: -1, max: 200 })),
    launch: field(fc.constantFrom('external', 'embedded', 'redis-server')),
    extra: fc.array(fc.tuple(key, value), { maxLength: 1 }),
  })
  .map(({ extra, ...fields }) => new Map<unknown, unknown>([...Object.entries(fields).filter(([, v]) => v !== undefined), ...extra]));
const documentValue = fc
  .record({
    name: field(fc.constantFrom('lab', 'seed-lab', '-x')),
    auth: field(fc.constantFrom<unknown>({ password: SECRET }, { passwordEnv: 'FUZZ_PASSWORD' }, { passwordEnv: 'NO_SUCH_VAR' }, { passwordFile: 'secret' }, { passwordFile: 'fifo' }, { passwordFile: '/dev/zero' }, { password: 123456 }, {})),
    launch: field(fc.constantFrom('external', 'embedded', 'redis-server')),
    nodes: field(fc.array(nodeMap, { maxLength: 3 })),
    extra: fc.array(fc.tuple(key, value), { maxLength: 2 }),
  })
  .map(({ extra, ...fields }) => new Map<unknown, unknown>([...Object.entries(fields).filter(([, v]) => v !== undefined), ...extra]));
const structured = fc
  .tuple(documentValue, fc.constantFrom('any', 'block', 'flow'), fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'))
  .map(([doc, collectionStyle, defaultStringType]) => stringify(doc, { collectionStyle: collectionStyle as 'any', defaultStringType: defaultStringType as 'PLAIN' }));

const YAML_CHARS = [...'abcnm: -{}[],"\'#&*!|>%@`?\n\t\\0123456789.~', '\r', '\0', '\u00e9', '\u009b'];
const randomText = fc.oneof(fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 80 }));

const topologyText = fc.oneof({ weight: 5, arbitrary: mutated }, { weight: 3, arbitrary: structured }, { weight: 2, arbitrary: randomText });

// What a message may not contain: C0 and C1 controls would break the line or drive the terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function expectDocumentedError(error: unknown, text: string, file: string): TopologyError {
  if (!(error instanceof TopologyError)) {
    throw new Error(`undocumented failure: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
  }
  expect(['TOPOLOGY_YAML', 'TOPOLOGY_INVALID', 'TOPOLOGY_PASSWORD']).toContain(error.code);
  expect(error.exitCode).toBe(2);
  const maxLine = text.split('\n').length + 1;
  for (const issue of error.issues) {
    expect(issue.file).toBe(file);
    expect(Number.isInteger(issue.line) && issue.line >= 1 && issue.line <= maxLine, `line ${issue.line}`).toBe(true);
    expect(Number.isInteger(issue.col) && issue.col >= 1, `col ${issue.col}`).toBe(true);
    expect(issue.message).not.toBe('');
    expect(CONTROL.test(issue.message) || CONTROL.test(issue.path), JSON.stringify(issue)).toBe(false);
  }
  expect(error.message.startsWith(`${file}:${error.issues[0].line}:${error.issues[0].col}`)).toBe(true);
  expect(error.message).not.toContain(SECRET);
  // What the CLI prints: exactly the message, on one line.
  expect(renderError(error, false, charsetOf({})).stderr).toBe(`rctl: ${error.message}\n`);
  return error;
}

function expectSoundTopology(topology: Topology): void {
  expect(topology.nodes.filter((n) => n.role === 'master')).toEqual([topology.master]);
  expect(topology.replicas).toEqual(topology.nodes.filter((n) => n.role === 'replica'));
  expect(new Set(topology.nodes.map((n) => n.name)).size).toBe(topology.nodes.length);
  for (const node of topology.nodes) {
    expect(Number.isInteger(node.port) && node.port >= 1 && node.port <= 65535).toBe(true);
    expect(typeof node.host === 'string' && node.host !== '').toBe(true);
    if (node.launch !== 'external') expect(isLoopbackHost(node.host)).toBe(true);
  }
  expect(JSON.stringify(topology)).not.toContain(SECRET);
}

// Inputs that once broke the loader (found while building this fuzzer), each with the line it gives now.
const MASTER_LINE = '  - { name: m, host: 127.0.0.1, port: 7001, role: master }\n';
const FIXED_CASES: Array<{ why: string; text: string; message: string }> = [
  {
    why: 'an alias bomb: yaml threw a ReferenceError from toJS (exit 1, "unexpected error")',
    text: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nname: x\nnodes:\n${MASTER_LINE}`,
    message: 'fuzz.yml:1:1: invalid YAML: Excessive alias count indicates a resource exhaustion attack',
  },
  {
    why: 'a mapping as a key: yaml printed a process warning on stderr next to the error',
    text: `? { a: 1 }\n: 2\nname: x\nnodes:\n${MASTER_LINE}`,
    message: 'fuzz.yml:1:1 { a: 1 }: unknown key "{ a: 1 }"; allowed keys: name, auth, tls, launch, redisServer, sentinel, nodes',
  },
  {
    why: 'a line break in a quoted key made the error two lines',
    text: `name: x\n"a\\nb": 1\nnodes:\n${MASTER_LINE}`,
    message: 'fuzz.yml:2:1 a\\nb: unknown key "a\\nb"; allowed keys: name, auth, tls, launch, redisServer, sentinel, nodes',
  },
  {
    why: 'an escape sequence in a host reached the terminal',
    text: 'name: x\nlaunch: embedded\nnodes:\n  - { name: m, host: "\\e[2J\\u009b", port: 7001, role: master }\n',
    message: 'fuzz.yml:4:22 nodes[0].host: launch: embedded starts the node on this machine, so host must be a loopback address (127.0.0.0/8, ::1 or localhost), not \\u001b[2J\\u009b; use launch: external for remote nodes',
  },
  {
    why: 'a mangled auth section echoed the password',
    text: `name: x\nauth: "password ${SECRET}"\nnodes:\n${MASTER_LINE}`,
    message: 'fuzz.yml:2:7 auth: expected a mapping, got a string',
  },
  {
    why: 'a FIFO as password file blocked rctl forever',
    text: `name: x\nauth: { passwordFile: fifo }\nnodes:\n${MASTER_LINE}`,
    message: 'fuzz.yml:2:23 auth.passwordFile: cannot read password file fifo: not a regular file',
  },
  {
    why: '/dev/zero as password file read until memory ran out',
    text: `name: x\nauth: { passwordFile: /dev/zero }\nnodes:\n${MASTER_LINE}`,
    message: 'fuzz.yml:2:23 auth.passwordFile: cannot read password file /dev/zero: not a regular file',
  },
];

describe('inputs that once broke the loader', () => {
  for (const { why, text, message } of FIXED_CASES) {
    it(why, () => {
      let thrown: unknown = null;
      try {
        parseTopology(FILE, ABSOLUTE, text, ENV);
      } catch (error) {
        thrown = error;
      }
      expect(expectDocumentedError(thrown, text, FILE).message).toBe(message);
    });
  }
});

describe('topology files from random and mutated YAML', () => {
  const rejected: string[] = FIXED_CASES.slice(0, 2).map((c) => c.text);

  it(`give a sound topology or one documented error, never a crash (seed ${SEED})`, () => {
    const started = performance.now();
    let accepted = 0;
    let rejectedCount = 0;
    fc.assert(
      fc.property(topologyText, (text) => {
        let topology: Topology;
        try {
          topology = parseTopology(FILE, ABSOLUTE, text, ENV);
        } catch (error) {
          expectDocumentedError(error, text, FILE);
          // Every 50th rejected input goes to the binary too (the same ones for a seed).
          if (rejectedCount++ % 50 === 0 && rejected.length < BINARY_SAMPLE) rejected.push(text);
          return;
        }
        accepted++;
        expectSoundTopology(topology);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    process.stderr.write(`[fuzz] ${accepted} of ${RUNS} inputs were valid topologies (${Math.round(performance.now() - started)} ms)\n`);
    // The generators reach both sides: a fuzzer that only produces garbage tests little.
    expect(accepted).toBeGreaterThan(RUNS / 40);
    expect(rejected.length).toBe(BINARY_SAMPLE);
  });

  describe('through the built binary', () => {
    beforeAll(() => requireBuiltCli());

    it('rctl status -t FILE --json: exit 2, the one line on stderr, {error} on stdout', async () => {
      expect(rejected.length).toBe(BINARY_SAMPLE);
      const cases = rejected.map((text, i) => ({ text, file: `case-${i}.yml` }));
      for (const { text, file } of cases) writeFileSync(join(dir, file), text);
      // Two at a time: the machine has two cores.
      for (let i = 0; i < cases.length; i += 2) {
        await Promise.all(
          cases.slice(i, i + 2).map(async ({ text, file }) => {
            let expected: TopologyError | null = null;
            try {
              parseTopology(file, join(dir, file), text, ENV);
            } catch (error) {
              expected = expectDocumentedError(error, text, file);
            }
            if (!expected) throw new Error(`${file} was rejected as ${FILE} but accepted as ${file}`);
            const result = await runBinary(['status', '-t', file, '--json', '--timeout', '1']);
            const context = `${file}: ${JSON.stringify(text)}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
            expect(result.code, context).toBe(2);
            expect(result.stderr, context).toBe(`rctl: ${expected.message}\n`);
            expect(JSON.parse(result.stdout).error, context).toMatchObject({ code: expected.code, message: expected.message, exitCode: 2 });
          }),
        );
      }
    });
  });
});

function runBinary(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [rctlBin, ...args], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
