// The roles overlay under RCTL_HOME: loading a topology (full load and the cached fast path)
// applies the master a failover recorded, unless the file was edited to declare another master.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedSelectedTopology } from '../../src/state/cached';
import { loadSelectedTopology } from '../../src/state/index';
import { forgetRejoined, readRolesOverlay, writeRolesOverlay } from '../../src/state/roles';
import { TopologyState } from '../../src/state/topology-state';

const dir = mkdtempSync(join(tmpdir(), 'rctl-overlay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (master: string) => `name: lab
nodes:
${['m', 's1', 's2'].map((n, i) => `  - { name: ${n}, host: 127.0.0.1, port: ${7101 + i}, role: ${n === master ? 'master' : 'replica'} }`).join('\n')}
`;

describe('the roles overlay', () => {
  const home = join(dir, 'home');
  const file = join(dir, 'lab.yml');
  const env = { RCTL_HOME: home };

  it('moves the master role on both load paths', async () => {
    writeFileSync(file, text('m'));
    expect((await loadSelectedTopology({ flag: file, env })).master.name).toBe('m');
    writeRolesOverlay(new TopologyState(home, 'lab'), { master: 's1', changedAt: '2026-01-01T00:00:00.000Z', by: 'failover', fileMaster: 'm', previous: 'm', rejoin: ['m'] });
    for (const topology of [await loadSelectedTopology({ flag: file, env }), cachedSelectedTopology({ flag: file, env })]) {
      expect(topology?.master.name).toBe('s1');
      expect(topology?.replicas.map((n) => n.name)).toEqual(['m', 's2']);
      expect(topology?.nodes.map((n) => n.role)).toEqual(['replica', 'master', 'replica']);
      expect(topology?.roles).toMatchObject({ master: 's1', fileMaster: 'm', rejoin: ['m'] });
    }
  });

  it('up forgets a node from the rejoin list once it follows again', () => {
    forgetRejoined(new TopologyState(home, 'lab'), ['m', 's1', 's2']);
    expect(readRolesOverlay(new TopologyState(home, 'lab'))?.rejoin).toEqual([]);
  });

  it('is ignored once the file declares another master (an edit wins), or names an unknown node', async () => {
    writeFileSync(file, text('s2'));
    expect((await loadSelectedTopology({ flag: file, env })).master.name).toBe('s2');
    writeFileSync(file, text('m'));
    writeRolesOverlay(new TopologyState(home, 'lab'), { master: 'gone', changedAt: '', by: 'failover', fileMaster: 'm', previous: 'm', rejoin: [] });
    expect((await loadSelectedTopology({ flag: file, env })).master.name).toBe('m');
  });

  it('an unreadable overlay never blocks a command', async () => {
    writeFileSync(join(home, 'lab', 'roles.json'), '{not json');
    expect(readRolesOverlay(new TopologyState(home, 'lab'))).toBeNull();
    expect((await loadSelectedTopology({ flag: file, env })).master.name).toBe('m');
  });
});
