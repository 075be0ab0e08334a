// The topology file edits of `rctl replica add/remove`: the entry spliced in or out, every other
// byte (comments, blank lines, quotes, spacing) unchanged, the result valid, the write atomic.

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addNodeToText, fileLaunchOf, removeNodeFromText, writeTopologyText } from '../../src/topology/edit';
import { parseTopology } from '../../src/topology/load';

const FLOW = `# lab set: do not edit by hand on Fridays
name: lab
auth:
  password: "s3cret"    # rotated 2026-01
launch: embedded

nodes:
  # the master
  - { name: master, host: 127.0.0.1, port: 7001, role: master }
  - {name: r1, host: 127.0.0.1, port: 7002, role: replica}   # rack B
  # - { name: old, host: 127.0.0.1, port: 7009, role: replica }
`;

const BLOCK = `name: lab
nodes:
  - name: master
    host: 127.0.0.1
    port: 7001
    role: master   # the one
  - name: r1
    host: 127.0.0.1
    port: 7002
    role: replica

# trailing remark
`;

function valid(text: string) {
  return parseTopology('t.yml', '/tmp/t.yml', text);
}

describe('addNodeToText', () => {
  it('appends a flow entry after the last one; every other byte stays', () => {
    const out = addNodeToText(FLOW, { name: 'r2', host: '127.0.0.1', port: 7003 });
    const added = '  - {name: r1, host: 127.0.0.1, port: 7002, role: replica}   # rack B\n';
    const at = FLOW.indexOf(added) + added.length;
    const line = '  - { name: r2, host: 127.0.0.1, port: 7003, role: replica }\n';
    expect(out).toBe(FLOW.slice(0, at) + line + FLOW.slice(at));
    expect(valid(out).nodes.map((n) => n.name)).toEqual(['master', 'r1', 'r2']);
  });

  it('follows a block mapping layout, with launch and priority when given', () => {
    const out = addNodeToText(BLOCK, { name: 'r2', host: '127.0.0.2', port: 7003, launch: 'redis-server', priority: 0 });
    const entry = '  - name: r2\n    host: 127.0.0.2\n    port: 7003\n    role: replica\n    launch: redis-server\n    priority: 0\n';
    const at = BLOCK.indexOf('    role: replica\n') + '    role: replica\n'.length;
    expect(out).toBe(BLOCK.slice(0, at) + entry + BLOCK.slice(at));
    const node = valid(out).nodes[2];
    expect([node.launch, node.priority]).toEqual(['redis-server', 0]);
  });

  it('quotes what YAML would read as another type, and ends a file that had no final newline', () => {
    const out = addNodeToText(FLOW.trimEnd().replace(/\n  # - .*$/, ''), { name: '1234', host: '::1', port: 7004, launch: 'external' });
    const node = valid(out).nodes.at(-1)!;
    expect([node.name, node.host, node.port]).toEqual(['1234', '::1', 7004]);
    expect(out).toContain('# rack B\n  - { name: "1234", host: "::1", port: 7004, role: replica, launch: external }');
  });

  it('keeps CRLF line ends', () => {
    const crlf = FLOW.replace(/\n/g, '\r\n');
    const out = addNodeToText(crlf, { name: 'r2', host: '127.0.0.1', port: 7003 });
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(valid(out).nodes).toHaveLength(3);
  });
});

describe('removeNodeFromText', () => {
  it('removes the entry lines only', () => {
    const out = removeNodeFromText(FLOW, 'r1');
    expect(out).toBe(FLOW.replace('  - {name: r1, host: 127.0.0.1, port: 7002, role: replica}   # rack B\n', ''));
    expect(valid(out).nodes.map((n) => n.name)).toEqual(['master']);
  });

  it('removes a block entry, and gives the file master role to another node when asked', () => {
    const out = removeNodeFromText(BLOCK, 'master', 'r1');
    expect(out).toBe('name: lab\nnodes:\n  - name: r1\n    host: 127.0.0.1\n    port: 7002\n    role: master\n\n# trailing remark\n');
    expect(valid(out).master.name).toBe('r1');
  });

  it('add then remove gives the original text back', () => {
    expect(removeNodeFromText(addNodeToText(FLOW, { name: 'r2', host: '127.0.0.1', port: 7003 }), 'r2')).toBe(FLOW);
    expect(removeNodeFromText(addNodeToText(BLOCK, { name: 'r2', host: '127.0.0.1', port: 7003 }), 'r2')).toBe(BLOCK);
  });

  it('falls back to the document (comments kept) for a flow sequence', () => {
    const flowSeq = 'name: x\n# nodes below\nnodes: [ { name: m, host: 127.0.0.1, port: 1, role: master }, { name: r, host: 127.0.0.1, port: 2, role: replica } ]\n';
    const out = removeNodeFromText(flowSeq, 'r');
    expect(out).toContain('# nodes below');
    expect(valid(out).nodes.map((n) => n.name)).toEqual(['m']);
  });
});

describe('fileLaunchOf and writeTopologyText', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('reads the file-level launch', () => {
    expect(fileLaunchOf(FLOW)).toBe('embedded');
    expect(fileLaunchOf(BLOCK)).toBe('external');
  });

  it('replaces the file keeping its mode, and refuses when it changed meanwhile', () => {
    dir = mkdtempSync(join(tmpdir(), 'rctl-edit-'));
    const file = join(dir, 't.yml');
    writeFileSync(file, FLOW);
    chmodSync(file, 0o640);
    writeTopologyText(file, FLOW, BLOCK);
    expect(readFileSync(file, 'utf8')).toBe(BLOCK);
    expect((statSync(file).mode & 0o777).toString(8)).toBe('640');
    expect(() => writeTopologyText(file, FLOW, 'name: other\n')).toThrow(/changed while rctl was editing/);
    expect(readFileSync(file, 'utf8')).toBe(BLOCK);
  });
});
