// The walk's decisions on fake probes: what belongs to the set, what is left out and why, the
// names, and the rendered file loading with rctl's own loader.

import { describe, expect, it } from 'vitest';
import { nameNodes } from '../../src/cluster/discover/naming';
import type { Address, Probe } from '../../src/cluster/discover/probe';
import { renderTopology } from '../../src/cluster/discover/topology-text';
import { chooseSet, walkSet } from '../../src/cluster/discover/walk';
import { loopbackListeners } from '../../src/cluster/discover/local-listeners';
import { parseTopology } from '../../src/topology/load';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const at = (host: string, port = 6379): Address => ({ host, port });
function master(replicas: Address[]): Probe {
  return { reachable: true, role: 'master', follows: null, linkStatus: null, replicas: replicas.map((r) => ({ ...r, state: 'online' })), priority: 100, version: '7.2.6', bundled: false, passwordless: false };
}
function replica(of: Address, replicas: Address[] = []): Probe {
  return { reachable: true, role: 'replica', follows: of, linkStatus: 'up', replicas: replicas.map((r) => ({ ...r, state: 'online' })), priority: 100, version: '7.2.6', bundled: false, passwordless: false };
}
const down: Probe = { reachable: false, error: 'connection refused', code: 'NODE_REFUSED' };
function fake(world: Record<string, Probe>) {
  return async (a: Address): Promise<Probe> => world[`${a.host}:${a.port}`] ?? down;
}

describe('naming', () => {
  it('names by host, adds the port only when a host has several nodes, the same whatever the order', () => {
    expect(nameNodes([at('127.0.0.58'), at('127.0.0.17'), at('cache-a.internal')])).toEqual(['redis-127-0-0-58', 'redis-127-0-0-17', 'cache-a.internal']);
    const a = nameNodes([at('127.0.0.1', 7001), at('127.0.0.1', 7002), at('::1', 7003)]);
    const b = nameNodes([at('::1', 7003), at('127.0.0.1', 7002), at('127.0.0.1', 7001)]);
    expect(a).toEqual(['redis-127-0-0-1-7001', 'redis-127-0-0-1-7002', 'redis-1']);
    expect(b).toEqual([a[2], a[1], a[0]]);
  });
});

describe('walk', () => {
  const M = at('127.0.0.58'), R1 = at('127.0.0.17'), R2 = at('127.0.0.27'), C = at('127.0.0.37');

  it('from a replica: up to the master, down to its replicas, and a chained replica', async () => {
    const world = { '127.0.0.58:6379': master([R1, R2]), '127.0.0.17:6379': replica(M, [C]), '127.0.0.27:6379': replica(M), '127.0.0.37:6379': replica(R1) };
    const chosen = chooseSet(await walkSet([R2], fake(world)));
    expect(chosen.members.map((m) => [m.node.address, m.role, m.chainedTo?.address ?? null])).toEqual([
      ['127.0.0.58:6379', 'master', null],
      ['127.0.0.17:6379', 'replica', null],
      ['127.0.0.27:6379', 'replica', null],
      ['127.0.0.37:6379', 'replica', '127.0.0.17:6379'],
    ]);
    expect(chosen.warnings).toEqual([]);
  });

  it('an unreachable replica named by the master is a member that does not answer', async () => {
    const chosen = chooseSet(await walkSet([M], fake({ '127.0.0.58:6379': master([R1, R2]), '127.0.0.17:6379': replica(M) })));
    const r2 = chosen.members.find((m) => m.node.address === '127.0.0.27:6379');
    expect(r2?.node.probe).toMatchObject({ reachable: false, error: 'connection refused' });
    expect(r2?.node.namedBy).toEqual(['127.0.0.58:6379']);
  });

  it('a listed replica that follows another master is reported outside the set, not mixed in', async () => {
    const other = at('127.0.0.99');
    const world = { '127.0.0.58:6379': master([R1, R2]), '127.0.0.17:6379': replica(M), '127.0.0.27:6379': replica(other), '127.0.0.99:6379': master([R2]) };
    const chosen = chooseSet(await walkSet([R1], fake(world)));
    expect(chosen.members.map((m) => m.node.address)).toEqual(['127.0.0.58:6379', '127.0.0.17:6379']);
    expect(chosen.outsiders.map((o) => o.node.address).sort()).toEqual(['127.0.0.27:6379', '127.0.0.99:6379']);
    expect(chosen.warnings.join('\n')).toContain('127.0.0.58:6379 lists 127.0.0.27:6379 as its replica, but 127.0.0.27:6379 follows 127.0.0.99:6379');
  });

  it('a dead master named by the replicas ends the chain there; a loop has no master', async () => {
    const dead = chooseSet(await walkSet([R1], fake({ '127.0.0.17:6379': replica(M) })));
    expect(dead.master?.address).toBe('127.0.0.58:6379');
    expect(dead.master?.probe.reachable).toBe(false);
    const loop = chooseSet(await walkSet([R1], fake({ '127.0.0.17:6379': replica(R2), '127.0.0.27:6379': replica(R1) })));
    expect(loop.master).toBeNull();
    expect(loop.noMaster).toContain('loop');
  });

  it("Redis 7's source-address listing (127.0.0.1) is resolved through this machine's listeners that follow the master", async () => {
    const local = at('127.0.0.1');
    const world = { '127.0.0.58:6379': master([local]), '127.0.0.17:6379': replica(M), '127.0.0.27:6379': replica(M), '127.0.0.5:6379': master([]) };
    const chosen = chooseSet(await walkSet([M], fake(world), { loopbackListeners: () => ['127.0.0.58', '127.0.0.17', '127.0.0.27', '127.0.0.5'] }));
    expect(chosen.members.map((m) => m.node.address)).toEqual(['127.0.0.58:6379', '127.0.0.17:6379', '127.0.0.27:6379']);
    // The unrelated listener on the port is silently not a member, and not an "outsider" either.
    expect(chosen.outsiders).toEqual([]);
    expect(chosen.warnings).toHaveLength(1);
    expect(chosen.warnings[0]).toContain('lists a replica at 127.0.0.1:6379, the source address');
  });

  it('stops at the cap and says so', async () => {
    const many = Array.from({ length: 10 }, (_, i) => at(`127.0.1.${i + 1}`));
    const world: Record<string, Probe> = { '127.0.0.58:6379': master(many) };
    for (const r of many) world[`${r.host}:6379`] = replica(M);
    const walk = await walkSet([M], fake(world), { maxNodes: 4 });
    expect(walk.nodes).toHaveLength(4);
    expect(chooseSet(walk).warnings[0]).toContain('stopped at 4 nodes');
  });

  it('reads LISTEN sockets of /proc/net/tcp', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rctl-proc-'));
    const file = join(dir, 'tcp');
    writeFileSync(file, [
      '  sl  local_address rem_address   st',
      '   0: 3A00007F:18EB 00000000:0000 0A 00000000:00000000',
      '   1: 1100007F:18EB 00000000:0000 0A 00000000:00000000',
      '   2: 1B00007F:18EB 3A00007F:18EB 01 00000000:00000000',
      '   3: 0100000A:18EB 00000000:0000 0A 00000000:00000000',
      '   4: 1B00007F:1F90 00000000:0000 0A 00000000:00000000',
    ].join('\n'));
    expect(loopbackListeners(6379, file)).toEqual(['127.0.0.58', '127.0.0.17']);
    expect(loopbackListeners(6379, join(dir, 'missing'))).toEqual([]);
  });
});

describe('the written file', () => {
  it('loads with the topology loader, with comments, and names the password source only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rctl-draft-'));
    const file = join(dir, 'seed.yml');
    const text = renderTopology(
      {
        name: 'seed',
        command: 'rctl discover 127.0.0.17:6379',
        discoveredAt: '2026-12-05T19:00:00Z',
        auth: { kind: 'env', variable: 'REDIS_PW' },
        password: null,
        tls: null,
        nodes: [
          { name: 'redis-127-0-0-58', host: '127.0.0.58', port: 6379, role: 'master', priority: 100, version: '7.0.15', bundled: false, reachable: true, chainedTo: null },
          { name: 'redis-127-0-0-17', host: '127.0.0.17', port: 6379, role: 'replica', priority: 0, version: '7.0.15', bundled: false, reachable: true, chainedTo: null },
          { name: 'redis-1', host: '::1', port: 6380, role: 'replica', priority: null, version: null, bundled: false, reachable: false, chainedTo: 'redis-127-0-0-17' },
        ],
        sentinel: { masterName: 'seed-master', quorum: 2, downAfterMs: 5000, failoverTimeoutMs: null, parallelSyncs: 1, auth: null, password: null, nodes: [{ host: '127.0.0.1', port: 26379, reachable: true }, { host: '127.0.0.2', port: 26379, reachable: false }] },
      },
      file,
    );
    const topology = parseTopology(file, file, text, { REDIS_PW: 'x' });
    expect(topology.nodes.map((n) => [n.name, n.address, n.role, n.priority ?? null, n.launch])).toEqual([
      ['redis-127-0-0-58', '127.0.0.58:6379', 'master', 100, 'external'],
      ['redis-127-0-0-17', '127.0.0.17:6379', 'replica', 0, 'external'],
      ['redis-1', '[::1]:6380', 'replica', null, 'external'],
    ]);
    expect(topology.passwordSource).toBe('$REDIS_PW');
    expect(topology.sentinel).toMatchObject({ masterName: 'seed-master', quorum: 2, launch: 'external', downAfterMs: 5000, parallelSyncs: 1 });
    expect(text).toContain('# auth: the password of the nodes');
    expect(text).toContain('a chained replica');
    expect(text.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(8);
  });
});
