// Judging the sentinels' answers: the master a quorum names wins; a sentinel naming another node,
// an address outside the topology, no master at all, or failing CKQUORUM is flagged.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeSentinels, type SentinelObservation } from '../../src/cluster/sentinel/view';
import { parseTopology } from '../../src/topology/load';

const topology = parseTopology(
  't.yml',
  join(tmpdir(), 't.yml'),
  [
    'name: judged',
    'sentinel:',
    '  masterName: mymaster',
    '  quorum: 2',
    '  nodes: [{ host: 127.0.0.1, port: 26379 }, { host: 127.0.0.1, port: 26380 }, { host: 127.0.0.1, port: 26381 }]',
    'nodes:',
    '  - { name: a, host: 127.0.0.1, port: 7001, role: master }',
    '  - { name: b, host: 127.0.0.1, port: 7002, role: replica }',
    '',
  ].join('\n'),
);
const set = topology.sentinel!;

function answer(index: number, port: number | null, extra: Partial<SentinelObservation> = {}): SentinelObservation {
  return {
    sentinel: set.nodes[index],
    error: null,
    names: port === null ? null : { host: '127.0.0.1', port },
    monitors: port !== null,
    flags: port === null ? [] : ['master'],
    configEpoch: 3,
    otherSentinels: 2,
    replicas: 1,
    quorum: { ok: true, message: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' },
    ...extra,
  };
}

describe('judging the sentinels', () => {
  it('takes the master a quorum names, even against the file, and is healthy when all agree', () => {
    const judged = judgeSentinels(topology, set, [answer(0, 7002), answer(1, 7002), answer(2, 7002)]);
    expect(judged.agreedNode?.name).toBe('b');
    expect(judged.report).toMatchObject({ masterName: 'mymaster', master: 'b', quorum: 2, agreeing: 3, error: null });
    expect(judged.healthy).toBe(true);
  });

  it('flags the sentinel that disagrees with the quorum', () => {
    const judged = judgeSentinels(topology, set, [answer(0, 7002), answer(1, 7002), answer(2, 7001)]);
    expect(judged.agreedNode?.name).toBe('b');
    expect(judged.report.sentinels[2].error).toBe('disagrees: names a, while 2 name b');
    expect(judged.healthy).toBe(false);
  });

  it('flags a quorum that no master reaches, an unreachable sentinel and one without the master name', () => {
    const judged = judgeSentinels(topology, set, [answer(0, 7001), answer(1, null, { error: 'sentinel-2 (127.0.0.1:26380): connection refused' }), answer(2, null)]);
    expect(judged.agreedNode).toBeNull();
    expect(judged.report.master).toBeNull();
    expect(judged.report.error).toBe('no quorum of sentinels agrees on the master of mymaster: 2 must; at most 1 names the same master (a)');
    expect(judged.report.sentinels[1]).toMatchObject({ reachable: false, error: 'sentinel-2 (127.0.0.1:26380): connection refused' });
    expect(judged.report.sentinels[2].error).toBe('does not monitor mymaster');
  });

  it('flags a wrong address, a master outside the topology, s_down/o_down, a failover in progress and a failed CKQUORUM', () => {
    const outside = judgeSentinels(topology, set, [answer(0, 9999), answer(1, 9999), answer(2, 7001)]);
    expect(outside.agreedNode).toBeNull();
    expect(outside.report.error).toBe("the sentinels' master of mymaster, 127.0.0.1:9999, is no node of judged");
    expect(outside.report.sentinels[0].error).toBe('monitors mymaster at 127.0.0.1:9999, which is no node of judged');

    const down = judgeSentinels(topology, set, [
      answer(0, 7001, { flags: ['s_down', 'o_down', 'master', 'failover_in_progress'] }),
      answer(1, 7001, { quorum: { ok: false, message: 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master' } }),
      answer(2, 7001),
    ]);
    expect(down.report.sentinels[0].error).toBe('sees the master subjectively down (s_down); sees the master objectively down (o_down); failover in progress');
    expect(down.report.sentinels[1]).toMatchObject({ quorumReachable: false });
    expect(down.report.sentinels[1].error).toContain('CKQUORUM: NOQUORUM 1 usable Sentinels');
    expect(down.report.sentinels[2].error).toBeNull();
    expect(down.healthy).toBe(false);
  });
});
