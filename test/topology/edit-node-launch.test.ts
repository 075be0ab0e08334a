import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editTopologyFile, withNodeLaunch } from '../../src/topology/edit';
import { loadTopologyFile } from '../../src/topology/load';

const TEXT = `name: ru
# upgrade test: this comment stays
auth: { password: "pw" }   # inline comment
launch: redis-server
nodes:
  - { name: n1, host: 127.0.0.1, port: 27111, role: master }   # the master
  - name: n2
    host: 127.0.0.1   # host comment
    port: 27112
    role: replica
    redisServer: /old/redis-server
`;

describe('withNodeLaunch', () => {
  it('adds launch and redisServer to a flow mapping on its own line, every other byte unchanged', () => {
    expect(withNodeLaunch(TEXT, 'n1', { launch: 'redis-server', redisServer: '/x/redis-server' })).toBe(
      TEXT.replace('role: master }', 'role: master, launch: redis-server, redisServer: /x/redis-server }'),
    );
  });

  it('sets launch on a block mapping and drops a redisServer that no longer applies', () => {
    expect(withNodeLaunch(TEXT, 'n2', { launch: 'embedded' })).toBe(TEXT.replace('    redisServer: /old/redis-server\n', '    launch: embedded\n'));
  });

  it('replaces an existing redisServer in place', () => {
    expect(withNodeLaunch(TEXT, 'n2', { launch: 'redis-server', redisServer: '/new/redis-server' })).toBe(
      TEXT.replace('    redisServer: /old/redis-server\n', '    redisServer: /new/redis-server\n    launch: redis-server\n'),
    );
  });

  it('throws for a node that is not in the file', () => {
    expect(() => withNodeLaunch(TEXT, 'n9', { launch: 'embedded' })).toThrow('no node n9');
  });
});

describe('editTopologyFile with withNodeLaunch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rctl-edit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites the file atomically, keeping its mode, and returns the topology it now declares', () => {
    const file = join(dir, 't.yml');
    writeFileSync(file, TEXT, { mode: 0o640 });
    const after = editTopologyFile(loadTopologyFile(file), (text) => withNodeLaunch(text, 'n2', { launch: 'embedded' }));
    expect(readFileSync(file, 'utf8')).toContain('    launch: embedded\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(after.nodes.find((n) => n.name === 'n2')?.launch).toBe('embedded');
  });
});
