// The topology file: every bad input gets one located message (file:line:col field: problem).

import { writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BadInputError, ExitCode, TopologyError } from '../../src/errors';
import { loadTopologyFile, parseTopology } from '../../src/topology/load';
import { tempDir } from './temp';

const MASTER = '  - { name: master, host: 127.0.0.1, port: 7001, role: master }\n';

function parse(text: string, env: NodeJS.ProcessEnv = {}, file = 'topologies/x.yml') {
  return parseTopology(file, join(tmpdir(), 'x.yml'), text, env);
}

/** 1-based column of `needle` on 1-based `line` of `text`: positions are computed, not hand-counted. */
function col(text: string, line: number, needle: string): number {
  const index = text.split('\n')[line - 1].indexOf(needle);
  if (index === -1) throw new Error(`${needle} not on line ${line}`);
  return index + 1;
}

function problem(text: string, env: NodeJS.ProcessEnv = {}): TopologyError {
  try {
    parse(text, env);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    return error as TopologyError;
  }
  throw new Error('expected a TopologyError');
}

describe('topology schema errors name file:line:col and the field', () => {
  it('reports a port out of range at its value, as in the issue', () => {
    const error = problem(['name: x', 'launch: external', 'nodes:', MASTER.trimEnd(), '  - name: r', '    host: 127.0.0.1', '    port: 70000', '    role: replica', ''].join('\n'));
    expect(error.message).toBe('topologies/x.yml:7:11 nodes[1].port: expected an integer 1-65535, got the number 70000');
    expect(error.exitCode).toBe(ExitCode.BadInput);
    expect(error.code).toBe('TOPOLOGY_INVALID');
  });

  it('rejects a non-integer or quoted port', () => {
    expect(problem(`name: x\nnodes:\n  - { name: m, host: h, port: 7001.5, role: master }\n`).message).toContain('nodes[0].port: expected an integer 1-65535, got the number 7001.5');
    expect(problem(`name: x\nnodes:\n  - { name: m, host: h, port: "7001", role: master }\n`).message).toContain('nodes[0].port: expected an integer 1-65535, got the string "7001"');
  });

  it('flags unknown keys with a did-you-mean, at the key', () => {
    const text = `name: x\nnodes:\n  - { name: m, host: h, prot: 1, port: 2, role: master }\n`;
    const error = problem(text);
    expect(error.message).toBe(`topologies/x.yml:3:${col(text, 3, 'prot')} nodes[0].prot: unknown key "prot" (did you mean "port"?); allowed keys: name, host, port, role, priority, launch, redisServer`);
    const top = problem(`name: x\nlaunh: embedded\nnodes:\n${MASTER}`);
    expect(top.message).toContain('topologies/x.yml:2:1 launh: unknown key "launh" (did you mean "launch"?)');
    const auth = problem(`name: x\nauth:\n  pasword: "1"\nnodes:\n${MASTER}`);
    expect(auth.message).toContain('topologies/x.yml:3:3 auth.pasword: unknown key "pasword" (did you mean "password"?)');
  });

  it('suggests the closest enum value', () => {
    expect(problem(`name: x\nlaunch: embeded\nnodes:\n${MASTER}`).message).toBe(
      'topologies/x.yml:2:9 launch: expected one of external, embedded, redis-server, got the string "embeded" (did you mean "embedded"?)',
    );
    expect(problem(`name: x\nnodes:\n  - { name: m, host: h, port: 1, role: slave }\n`).message).toContain('("slave" is called "replica" here)');
  });

  it('requires exactly one master', () => {
    const text = `name: x\nnodes:\n${MASTER}  - { name: other, host: 127.0.0.1, port: 7002, role: master }\n`;
    expect(problem(text).message).toBe(
      `topologies/x.yml:4:${col(text, 4, 'master }')} nodes[1].role: a second master: "master" (nodes[0]) is already the master; exactly one node may have role: master`,
    );
    const none = problem(`name: x\nnodes:\n  - { name: r, host: h, port: 1, role: replica }\n`);
    expect(none.message).toBe('topologies/x.yml:2:1 nodes: no node has role: master; exactly one is required');
  });

  it('requires unique names and addresses (localhost is 127.0.0.1)', () => {
    expect(problem(`name: x\nnodes:\n${MASTER}  - { name: master, host: 127.0.0.1, port: 7002, role: replica }\n`).message).toContain(
      'nodes[1].name: duplicate node name "master" (also nodes[0])',
    );
    expect(problem(`name: x\nnodes:\n${MASTER}  - { name: r, host: localhost, port: 7001, role: replica }\n`).message).toContain(
      'nodes[1].port: duplicate address localhost:7001 (also nodes[0] "master")',
    );
  });

  it('allows embedded and redis-server only on loopback hosts, with a per-node override', () => {
    const remote = problem(`name: x\nlaunch: embedded\nnodes:\n  - { name: m, host: 10.0.0.58, port: 6379, role: master }\n`);
    expect(remote.message).toContain('topologies/x.yml:4:22 nodes[0].host: launch: embedded starts the node on this machine, so host must be a loopback address');
    const override = problem(`name: x\nnodes:\n  - { name: m, host: 10.0.0.58, port: 6379, role: master, launch: redis-server }\n`);
    expect(override.message).toContain('nodes[0].launch: launch: redis-server starts the node on this machine');
    const mixed = parse(`name: x\nlaunch: embedded\nnodes:\n  - { name: m, host: 127.0.0.58, port: 6379, role: master }\n  - { name: r, host: 10.0.0.17, port: 6379, role: replica, launch: external }\n`);
    expect(mixed.nodes.map((n) => n.launch)).toEqual(['embedded', 'external']);
    expect(parse(`name: x\nlaunch: redis-server\nnodes:\n  - { name: m, host: localhost, port: 1, role: master }\n  - { name: r, host: "::1", port: 1, role: replica }\n`).nodes).toHaveLength(2);
  });

  it('reports missing keys at the mapping that lacks them', () => {
    expect(problem(`name: x\nnodes:\n  - { name: m, port: 1, role: master }\n`).message).toBe('topologies/x.yml:3:5 nodes[0].host: missing required key "host"');
    expect(problem(`nodes:\n${MASTER}`).message).toBe('topologies/x.yml:1:1 name: missing required key "name"');
    expect(problem(`name: x\nnodes: []\n`).message).toBe('topologies/x.yml:2:8 nodes: expected at least one node');
  });

  it('reports malformed YAML with its position', () => {
    const error = problem('name: x\nnodes: [\n  a: : b\n');
    expect(error.code).toBe('TOPOLOGY_YAML');
    expect(error.message).toMatch(/^topologies\/x\.yml:3:6: invalid YAML: Unexpected : in flow sequence/);
    expect(error.message).not.toContain('\n');
    expect(problem('name: x\nname: y\nnodes: []\n').message).toBe('topologies/x.yml:2:1: invalid YAML: Map keys must be unique');
    expect(problem('').message).toBe('topologies/x.yml:1:1: the file is empty; expected a mapping with name and nodes');
    expect(problem('- a\n').message).toBe('topologies/x.yml:1:1: expected a mapping, got a list');
  });

  it('keeps every issue for --json and shows the first with a count', () => {
    const text = `name: "bad name"\nnodse: 1\nnodes:\n  - { name: m, host: h, port: 0, role: master }\n`;
    const error = problem(text);
    expect(error.issues.map((i) => `${i.line}:${i.col} ${i.path}`)).toEqual(['1:7 name', '2:1 nodse', `4:${col(text, 4, '0,')} nodes[0].port`]);
    expect(error.message).toMatch(/\(and 2 more problems\)$/);
    expect(JSON.parse(JSON.stringify(error)).issues).toHaveLength(3);
  });
});

describe('passwords', () => {
  const withAuth = (auth: string) => `name: x\nauth:\n${auth}\nnodes:\n${MASTER}`;

  it('reads an inline password, never showing it', () => {
    const topology = parse(withAuth('  password: "123456"'));
    expect(topology.password?.reveal()).toBe('123456');
    expect(JSON.stringify(topology)).not.toContain('123456');
    expect(inspect(topology, { depth: 5 })).not.toContain('123456');
    expect(`${topology.password}`).toBe('[redacted]');
  });

  it('asks for quotes around a numeric password', () => {
    // Values under auth are described by kind only: a malformed password is still a password.
    expect(problem(withAuth('  password: 123456')).message).toBe('topologies/x.yml:3:13 auth.password: expected a string, got a number; quote it, e.g. password: "123456"');
  });

  it('reads passwordEnv and reports a missing variable at the field', () => {
    expect(parse(withAuth('  passwordEnv: REDIS_PASSWORD'), { REDIS_PASSWORD: 's3cret' }).password?.reveal()).toBe('s3cret');
    const error = problem(withAuth('  passwordEnv: REDIS_PASSWORD'), {});
    expect(error.message).toBe('topologies/x.yml:3:16 auth.passwordEnv: environment variable REDIS_PASSWORD is not set');
    expect(error.code).toBe('TOPOLOGY_PASSWORD');
    expect(problem(withAuth('  passwordEnv: REDIS_PASSWORD'), { REDIS_PASSWORD: '' }).message).toContain('environment variable REDIS_PASSWORD is empty');
  });

  it('reads passwordFile relative to the topology, without its final newline', () => {
    const dir = tempDir('rctl-topo-');
    writeFileSync(join(dir, 'secret'), '123456\n');
    writeFileSync(join(dir, 'empty'), '\n');
    writeFileSync(join(dir, 't.yml'), withAuth('  passwordFile: secret'));
    writeFileSync(join(dir, 'e.yml'), withAuth('  passwordFile: empty'));
    writeFileSync(join(dir, 'm.yml'), withAuth('  passwordFile: ./missing'));
    expect(loadTopologyFile(join(dir, 't.yml')).password?.reveal()).toBe('123456');
    expect(() => loadTopologyFile(join(dir, 'e.yml'))).toThrow('auth.passwordFile: password file empty is empty');
    expect(() => loadTopologyFile(join(dir, 'm.yml'))).toThrow(/m\.yml:3:17 auth\.passwordFile: cannot read password file \.\/missing: no such file$/);
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, 'secret'), 0o000);
      expect(() => loadTopologyFile(join(dir, 't.yml'))).toThrow('permission denied');
    }
  });

  it('accepts one password source only', () => {
    expect(problem(withAuth('  password: "a"\n  passwordEnv: B'), { B: 'b' }).message).toContain('auth.passwordEnv: use only one of password, passwordEnv, passwordFile (password is already set)');
    expect(problem(`name: x\nauth: {}\nnodes:\n${MASTER}`).message).toContain('auth: expected one of password, passwordEnv or passwordFile');
  });
});

describe('files', () => {
  it('says which file is missing', () => {
    let error: unknown;
    try {
      loadTopologyFile('does/not/exist.yml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).message).toBe('topology file does/not/exist.yml not found');
    expect((error as BadInputError).code).toBe('TOPOLOGY_NOT_FOUND');
  });

  it('loads the shipped topologies', () => {
    const local = loadTopologyFile(join(__dirname, '../../topologies/local.yml'));
    expect(local.nodes.map((n) => `${n.name} ${n.address} ${n.role} ${n.launch}`)).toEqual([
      'master 127.0.0.1:7001 master embedded',
      'replica1 127.0.0.1:7002 replica embedded',
      'replica2 127.0.0.1:7003 replica embedded',
    ]);
    expect(local.password?.reveal()).toBe('123456');
    const real = loadTopologyFile(join(__dirname, '../../topologies/local-redis-server.yml'));
    expect(new Set(real.nodes.map((n) => n.launch))).toEqual(new Set(['redis-server']));
    const seeds = loadTopologyFile(join(__dirname, '../../topologies/seed-hosts.yml'), { env: { REDIS_PASSWORD: '123456' } });
    expect(seeds.nodes.map((n) => n.address)).toEqual(['10.0.0.58:6379', '10.0.0.17:6379', '10.0.0.27:6379']);
    expect(seeds.nodes.every((n) => n.launch === 'external')).toBe(true);
    expect(seeds.nodes[2].priority).toBe(100);
  });
});
