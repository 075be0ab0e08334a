// The status judgement (src/cluster/status.ts) on observed facts: which drift from the topology
// file each node shows. test/cli/library.test.ts covers the basic cases on the seeds' transcripts
// (two masters, a declared replica that is a master, a wrong master, a down link, an unreachable
// node); this file adds the rest, starting from real Redis 7.2 INFO (test/node/fixtures/info/).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/cluster/status';
import { NodeFailureError } from '../../src/errors';
import { parseInfo, replicationFacts, type ReplicationFacts } from '../../src/node/info';
import { withMaster } from '../../src/state/roles';
import { TopologyState } from '../../src/state/topology-state';
import { parseTopology } from '../../src/topology/load';
import type { Topology } from '../../src/topology/model';

const fixture = (name: string) => replicationFacts(parseInfo(readFileSync(join(__dirname, '..', 'node', 'fixtures', 'info', `${name}.txt`), 'latin1')));
// Captured on 127.0.0.54: the master on port 23480, its replica on 23481.
const MASTER = fixture('7.2.6-master');
const REPLICA = fixture('7.2.6-replica');
const HOST = '127.0.0.54';

const FILE = parseTopology(
  'lab.yml',
  '/tmp/lab.yml',
  `name: lab\nnodes:\n  - { name: m, host: ${HOST}, port: 23480, role: master }\n  - { name: r1, host: ${HOST}, port: 23481, role: replica }\n  - { name: r2, host: ${HOST}, port: 23482, role: replica }\n`,
);

// An RCTL_HOME with nothing in it: no master record, no interrupted failover, no lock.
const home = mkdtempSync(join(tmpdir(), 'rctl-status-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const replicaOf = (port: number, changes: Partial<ReplicationFacts> = {}): ReplicationFacts => ({ ...REPLICA, masterHost: HOST, masterPort: port, ...changes });
const masterWith = (changes: Partial<ReplicationFacts> = {}): ReplicationFacts => ({ ...MASTER, ...changes });

function judge(topology: Topology, facts: Array<ReplicationFacts | null>) {
  return buildStatus(
    topology,
    topology.nodes.map((node, i) => ({ node, facts: facts[i], error: facts[i] ? null : new NodeFailureError('NODE_REFUSED', `${node.name} (${node.address}): connection refused`) })),
    { state: new TopologyState(home, topology.name), masterRecord: null },
  );
}

const errors = (view: ReturnType<typeof judge>) => view.report.nodes.map((n) => n.error);

describe('status of real Redis 7.2 INFO', () => {
  it('is healthy as captured: version, offsets, lag 0, the master named', () => {
    const view = judge(FILE, [MASTER, REPLICA, replicaOf(23480)]);
    expect(view.report.healthy).toBe(true);
    expect(view.report.nodes[1]).toMatchObject({ role: 'replica', master: 'm', linkStatus: 'up', offset: 128, lagBytes: 0, keys: 2, version: '7.2.6' });
    expect(view.details[1]).toEqual({ declaredRole: 'replica', lastIoSecondsAgo: 2, loading: false, bundled: false, problems: [] });
  });

  it('never counts lag below zero, and only against a master', () => {
    expect(judge(FILE, [masterWith({ offset: 100 }), REPLICA, replicaOf(23480)]).report.nodes[1].lagBytes).toBe(0);
    expect(judge(FILE, [masterWith({ offset: 150 }), REPLICA, replicaOf(23480)]).report.nodes[1].lagBytes).toBe(22);
    // r2 chained behind r1: no lag figure, since r1 is no master.
    expect(judge(FILE, [MASTER, REPLICA, replicaOf(23481)]).report.nodes[2]).toMatchObject({ master: 'r1', lagBytes: null, error: 'follows r1, expected m' });
  });
});

describe('drift from the file', () => {
  it('a declared master that replicates another node, in the topology or not', () => {
    const view = judge(FILE, [replicaOf(23481), masterWith({ replid: 'f'.repeat(40) }), replicaOf(23480)]);
    expect(view.report.nodes[0]).toMatchObject({ role: 'replica', master: 'r1', error: 'declared master, but is a replica of r1' });
    expect(judge(FILE, [{ ...REPLICA, masterHost: '10.1.1.1', masterPort: 6379 }, REPLICA, replicaOf(23480)]).report.nodes[0].error).toBe('declared master, but is a replica of 10.1.1.1:6379');
  });

  it('two masters: each names both, with the declared replica also marked as a master', () => {
    expect(errors(judge(FILE, [MASTER, masterWith({ replid: 'f'.repeat(40), offset: 5 }), replicaOf(23480)]))).toEqual([
      '2 masters (m, r1)',
      'declared replica, but is a master; 2 masters (m, r1)',
      null,
    ]);
  });

  it('a second master ahead of the declared one on the same history: what a rejoin would discard', () => {
    const ahead = masterWith({ offset: 140, keys: 3 });
    expect(judge(FILE, [MASTER, ahead, replicaOf(23480)]).report.nodes[1].error).toBe(
      'declared replica, but is a master; a second master: it holds 12 bytes of writes m never saw, discarded by a rejoin (full resync); `rctl up` rejoins it as a replica; 2 masters (m, r1)',
    );
  });

  it('a replica on the right master whose link is down, or still syncing', () => {
    expect(judge(FILE, [MASTER, replicaOf(23480, { linkStatus: 'down' }), replicaOf(23480)]).report.nodes[1].error).toBe('link to the master is down');
    expect(judge(FILE, [MASTER, replicaOf(23480, { linkStatus: 'down', syncInProgress: true }), replicaOf(23480)]).report.nodes[1].error).toBe('link down: sync in progress');
  });

  it('a node loading its dataset, one without a role, one older than 5.0, one unreachable', () => {
    expect(errors(judge(FILE, [masterWith({ loading: true }), replicaOf(23480, { role: null, masterHost: null, masterPort: null }), null]))).toEqual([
      'still loading its dataset',
      'INFO shows no role',
      `r2 (${HOST}:23482): connection refused`,
    ]);
    expect(judge(FILE, [MASTER, replicaOf(23480, { version: '4.0.14' }), replicaOf(23480)]).report.nodes[1].error).toBe('runs Redis 4.0.14: rctl manages Redis 5.0 and newer');
  });
});

describe('the roles overlay (a failover moved the master)', () => {
  const promoted = masterWith({ replid: 'a'.repeat(40), replid2: MASTER.replid, secondReplOffset: 129, offset: 200 });
  const afterFailover = [replicaOf(23481, { replid: promoted.replid }), promoted, replicaOf(23481, { replid: promoted.replid })];

  it('judges against the master the overlay names: the switched set is healthy, the file alone would call it drift', () => {
    const overlaid = withMaster(FILE, 'r1', { master: 'r1', fileMaster: 'm', changedAt: '2026-01-01T00:00:00.000Z', file: join(home, 'lab', 'roles.json'), rejoin: [] });
    const view = judge(overlaid, afterFailover);
    expect(view.report).toMatchObject({ master: 'r1', healthy: true });
    expect(view.details.map((d) => d.declaredRole)).toEqual(['replica', 'master', 'replica']);
    expect(errors(judge(FILE, afterFailover))).toEqual(['declared master, but is a replica of r1', 'declared replica, but is a master', 'follows r1, expected m']);
  });

  it('an old master back as a master after a forced failover: named as such, with what a rejoin costs', () => {
    const overlaid = withMaster(FILE, 'r1', { master: 'r1', fileMaster: 'm', changedAt: '2026-01-01T00:00:00.000Z', file: join(home, 'lab', 'roles.json'), rejoin: ['m'] });
    expect(judge(overlaid, [MASTER, promoted, afterFailover[2]]).report.nodes[0].error).toBe(
      'declared replica, but is a master; old master back after a failover: it holds nothing r1 lacks: it rejoins with a partial resync; `rctl up` rejoins it as a replica; 2 masters (m, r1)',
    );
  });
});
