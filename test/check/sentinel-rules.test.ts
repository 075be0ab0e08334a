// The Sentinel rules of `rctl check` on hand-built readings of nodes and sentinels: what each
// finding needs to appear, what keeps it away, its fix, and that neither the nodes' nor the
// sentinels' password reaches a finding.

import { describe, expect, it } from 'vitest';
import { NodeFailureError } from '../../src/errors';
import { majorityOf } from '../../src/cluster/check/rules/sentinel-layout';
import type { Finding } from '../../src/cluster/check/model';
import { checkSentinels, codes, MASTER_NAME, PASSWORD, readingOf, SENTINEL_PASSWORD, sentinelSet, threeNodes, check } from './fixtures';

const CLI = (host: string, port: number) => `redis-cli -h ${host} -p ${port} -a <password>`;
const S1 = CLI('10.0.0.1', 26379);
const S3 = CLI('10.0.0.3', 26381);

/** replica1 after a failover to it: a master with both other nodes online. */
const PROMOTED = {
  role: 'master' as const,
  info: { connected_slaves: '2', slave0: 'ip=127.0.0.1,port=7001,state=online,offset=100,lag=0', slave1: 'ip=127.0.0.1,port=7003,state=online,offset=100,lag=0' },
};

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

function expectNoSecret(findings: Finding[]): void {
  const text = JSON.stringify(findings);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(SENTINEL_PASSWORD);
}

describe('a healthy Sentinel-managed set', () => {
  it('has no findings when the sentinels agree, see everything and the nodes refuse writes when isolated', () => {
    expect(checkSentinels(sentinelSet())).toEqual([]);
  });

  it('without a sentinel section, no Sentinel rule says anything (min-replicas-to-write 0 included)', () => {
    expect(check(threeNodes())).toEqual([]);
  });
});

describe('ISOLATED_MASTER_WRITES', () => {
  it('warns on the master with min-replicas-to-write 0, and the fix covers every node the sentinels may promote', () => {
    const topology = sentinelSet();
    const zero = { config: { 'min-replicas-to-write': '0' } };
    const findings = checkSentinels(topology, { master: zero, replica1: zero, replica2: zero });
    expect(codes(findings)).toEqual(['warn ISOLATED_MASTER_WRITES@master']);
    expect(findings[0].reason).toMatch(/^min-replicas-to-write is 0: cut off from its replicas and the sentinels by a partition, this master goes on acknowledging writes, which are discarded when it rejoins/);
    expect(findings[0].reason).toContain('(replica1, replica2, which the sentinels may promote, need it too)');
    expect(findings[0].fix).toBe(
      [7001, 7002, 7003].map((port) => `redis-cli -h 127.0.0.1 -p ${port} -a <password> CONFIG SET min-replicas-to-write 1`).join(' && '),
    );
    expectNoSecret(findings);
  });

  it('min-replicas-max-lag 0 switches it off too: the fix sets both, with CONFIG REWRITE where there is a config file', () => {
    const findings = checkSentinels(sentinelSet(), { master: { config: { 'min-replicas-to-write': '0', 'min-replicas-max-lag': '0' }, info: { config_file: '/etc/redis.conf' } } });
    expect(codes(findings)).toEqual(['warn ISOLATED_MASTER_WRITES@master']);
    const cli = 'redis-cli -h 127.0.0.1 -p 7001 -a <password>';
    expect(findings[0].fix).toBe(`${cli} CONFIG SET min-replicas-to-write 1 && ${cli} CONFIG SET min-replicas-max-lag 10 && ${cli} CONFIG REWRITE`);

    const lagOnly = checkSentinels(sentinelSet(), { master: { config: { 'min-replicas-max-lag': '0' } } });
    expect(lagOnly[0].reason).toMatch(/^min-replicas-max-lag is 0, which switches min-replicas-to-write off/);
    expect(lagOnly[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7001 -a <password> CONFIG SET min-replicas-max-lag 10');
  });

  it('not on a master carrying the failover fence (FAILOVER_FENCE says it), nor on a replica alone, nor without replicas', () => {
    expect(codes(checkSentinels(sentinelSet(), { master: { config: { 'min-replicas-to-write': '2147483647' } } }))).not.toContain('warn ISOLATED_MASTER_WRITES@master');
    expect(checkSentinels(sentinelSet(), { replica1: { config: { 'min-replicas-to-write': '0' } } })).toEqual([]);
  });
});

describe('what each sentinel says', () => {
  it('SENTINEL_UNREACHABLE: the error, and the fix by launch mode', () => {
    const refused = new NodeFailureError('NODE_REFUSED', 'sentinel-2 (10.0.0.2:26380): connection refused', 'is the node running?');
    const external = checkSentinels(sentinelSet(), {}, { 1: { error: refused } });
    expect(codes(external)).toEqual(['error SENTINEL_UNREACHABLE@sentinel-2']);
    expect(external[0].reason).toBe(`cannot be asked about ${MASTER_NAME}: sentinel-2 (10.0.0.2:26380): connection refused; it neither watches the master nor votes in a failover`);
    expect(external[0].fix).toBe('start the sentinel at 10.0.0.2:26380');

    const launched = sentinelSet({ sentinelHosts: ['127.0.0.1', '127.0.0.2', '127.0.0.3'], sentinelExtra: ['  launch: redis-sentinel', '  downAfterMs: 5000', '  failoverTimeoutMs: 60000'] });
    expect(only(checkSentinels(launched, {}, { 1: { error: refused } }), 'SENTINEL_UNREACHABLE')[0].fix).toBe('rctl up check.yml');

    const auth = new NodeFailureError('AUTH_WRONGPASS', 'sentinel-2 (10.0.0.2:26380): wrong password', 'check the sentinel password');
    expect(only(checkSentinels(launched, {}, { 1: { error: auth } }), 'SENTINEL_UNREACHABLE')[0].fix).toBe('check the sentinel password');
  });

  it('SENTINEL_NOT_MONITORING: rctl up gives it SENTINEL MONITOR', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 2: { names: null } });
    expect(codes(findings)).toEqual(['error SENTINEL_NOT_MONITORING@sentinel-3']);
    expect(findings[0].fix).toBe('rctl up check.yml');
  });

  it('SENTINEL_WRONG_MASTER: a sentinel naming another node than the quorum, and only that finding for it', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 2: { names: 'replica1', fields: { 'down-after-milliseconds': '1' }, peers: 0 } });
    expect(codes(findings)).toEqual(['error SENTINEL_WRONG_MASTER@sentinel-3']);
    expect(findings[0].reason).toBe(`names replica1 the master of ${MASTER_NAME}, while 2 sentinels (quorum 2) name master: clients asking this sentinel are sent to the wrong server, and it takes no part in failing over master`);
    expect(findings[0].fix).toBe(`${S3} SENTINEL REMOVE ${MASTER_NAME} && rctl up check.yml`);
    expectNoSecret(findings);
  });

  it('SENTINEL_WRONG_MASTER: an address outside the file', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 0: { names: '10.9.9.9:6379' } });
    expect(codes(findings)).toEqual(['error SENTINEL_WRONG_MASTER@sentinel-1']);
    expect(findings[0].reason).toMatch(/^names 10\.9\.9\.9:6379 the master of mymaster, which is no node of lab, while 2 sentinels \(quorum 2\) name master/);
  });

  it('a quorum naming an address outside the file: each of them is wrong, and the fix says all must let go', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 0: { names: '10.9.9.9:6379' }, 1: { names: '10.9.9.9:6379' } });
    expect(codes(findings)).toEqual(['error SENTINEL_WRONG_MASTER@sentinel-1', 'error SENTINEL_WRONG_MASTER@sentinel-2']);
    expect(findings[0].reason).toContain('as 2 sentinels (quorum 2) do');
    expect(findings[0].fix).toBe(`add 10.9.9.9:6379 to check.yml if it belongs to this set; otherwise run SENTINEL REMOVE ${MASTER_NAME} on sentinel-1, sentinel-2 (here: ${S1} SENTINEL REMOVE ${MASTER_NAME}), then rctl up check.yml`);
  });

  it('a quorum naming another node of the file: the nodes are judged against it, with a notice, and the sentinel naming the old master is wrong', () => {
    const topology = sentinelSet();
    const findings = checkSentinels(
      topology,
      { master: { role: 'replica', follows: 'replica1' }, replica1: PROMOTED, replica2: { follows: 'replica1' } },
      { 0: { names: 'replica1' }, 1: { names: 'replica1' } },
    );
    expect(codes(findings)).toEqual(['error SENTINEL_WRONG_MASTER@sentinel-3', 'info SENTINEL_MASTER_MOVED@sentinels']);
    expect(findings[0].reason).toContain('names master the master of mymaster, while 2 sentinels (quorum 2) name replica1');
    expect(findings[1].reason).toBe('2 sentinels name replica1 the master where rctl had master: the nodes are checked against replica1, as the sentinels decide');
  });

  it('without a quorum: SENTINELS_DISAGREE, and the sentinel naming another node than rctl is wrong', () => {
    const refused = new NodeFailureError('NODE_REFUSED', 'sentinel-3 (10.0.0.3:26381): connection refused');
    const findings = checkSentinels(sentinelSet(), {}, { 1: { names: 'replica1' }, 2: { error: refused } });
    expect(codes(findings)).toEqual(['error SENTINELS_DISAGREE@sentinels', 'error SENTINEL_WRONG_MASTER@sentinel-2', 'error SENTINEL_UNREACHABLE@sentinel-3']);
    expect(findings[0].reason).toMatch(/^no 2 sentinels \(the quorum\) name the same master of mymaster \(sentinel-1: master, sentinel-2: replica1\): clients asking different sentinels write to different servers/);
    expect(findings[1].reason).toContain('not master, the master of lab');
  });

  it('without a quorum, a sentinel naming the node that really is the master is not the one told to let go', () => {
    const findings = checkSentinels(
      sentinelSet(),
      { master: { role: 'replica', follows: 'replica1' }, replica1: PROMOTED, replica2: { follows: 'replica1' } },
      { 1: { names: 'replica1' }, 2: { names: null } },
    );
    expect(codes(findings).filter((c) => c.includes('SENTINEL'))).toEqual(['error SENTINELS_DISAGREE@sentinels', 'error SENTINEL_NOT_MONITORING@sentinel-3']);
    expect(codes(findings)).toContain('error MASTER_IS_REPLICA@master');
  });

  it('SENTINEL_NO_QUORUM: CKQUORUM refused, in its own words', () => {
    const message = 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover';
    const findings = checkSentinels(sentinelSet(), {}, { 0: { quorum: { ok: false, message } } });
    expect(codes(findings)).toEqual(['error SENTINEL_NO_QUORUM@sentinel-1']);
    expect(findings[0].reason).toBe(`SENTINEL CKQUORUM mymaster fails (${message}): if the master dies now, it is not replaced`);
  });

  it('SENTINEL_SEES_MASTER_DOWN: only while rctl reads the master as a live master', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 1: { flags: ['master', 's_down'] } });
    expect(codes(findings)).toEqual(['error SENTINEL_SEES_MASTER_DOWN@sentinel-2']);
    expect(findings[0].reason).toMatch(/^sees master down \(s_down\) while rctl reads it as a live master: it cannot reach it or authenticate to it \(auth-pass\)/);
    expect(findings[0].fix).toMatch(/^rctl up check\.yml \(sets auth-pass on every sentinel\)/);

    const topology = sentinelSet();
    const dead = { ...readingOf(topology, 'master'), info: null, facts: null, config: null, error: new NodeFailureError('NODE_REFUSED', 'master (127.0.0.1:7001): connection refused') };
    expect(codes(checkSentinels(topology, { master: dead }, { 1: { flags: ['master', 's_down'] } }))).toEqual(['error NODE_UNREACHABLE@master']);
  });

  it('SENTINEL_SETTING_DRIFT: settings the file sets and the sentinel runs otherwise, fixed with SENTINEL SET', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 0: { fields: { 'down-after-milliseconds': '30000', quorum: '1' } } });
    expect(codes(findings)).toEqual(['warn SENTINEL_SETTING_DRIFT@sentinel-1']);
    expect(findings[0].reason).toMatch(/^runs quorum 1 \(the file: 2\), down-after-milliseconds 30000 \(the file: 5000\): /);
    expect(findings[0].fix).toBe(`${S1} SENTINEL SET mymaster quorum 2 down-after-milliseconds 5000`);

    // A setting the file leaves out is the operator's: any value goes.
    const unset = sentinelSet({ sentinelExtra: [] });
    expect(checkSentinels(unset, {}, { 0: { fields: { 'down-after-milliseconds': '1234', 'failover-timeout': '99' } } })).toEqual([]);
  });

  it('SENTINEL_DISCOVERY_INCOMPLETE: fewer replicas or fewer sentinels than the file', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 0: { replicas: ['replica1'] }, 2: { peers: 1 } });
    expect(codes(findings)).toEqual(['warn SENTINEL_DISCOVERY_INCOMPLETE@sentinel-1', 'warn SENTINEL_DISCOVERY_INCOMPLETE@sentinel-3']);
    expect(findings[0].reason).toMatch(/^knows 1 of the 2 replicas \(not replica2\) of check\.yml: a sentinel never promotes a replica it does not know/);
    expect(findings[1].reason).toMatch(/^knows 1 of the 2 other sentinels of check\.yml/);
    expect(findings[0].fix).toMatch(/^rctl up check\.yml \(it waits until every sentinel sees every replica and sentinel/);
  });

  it('SENTINEL_UNKNOWN_PEERS: more sentinels known than the file lists raise the majority', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 1: { peers: 4 } });
    expect(codes(findings)).toEqual(['warn SENTINEL_UNKNOWN_PEERS@sentinel-2']);
    expect(findings[0].reason).toContain('knows 4 other sentinels where check.yml lists 2');
    expect(findings[0].reason).toContain('(3 votes instead of 2)');
    expect(findings[0].fix).toContain(`${CLI('10.0.0.2', 26380)} SENTINEL RESET mymaster on each sentinel in turn, 30 s apart`);
  });

  it('SENTINEL_UNKNOWN_REPLICA: a live, promotable replica outside the file', () => {
    const stranger = { name: '10.9.9.9:6379', ip: '10.9.9.9', port: '6379', flags: 'slave', 'slave-priority': '100' };
    const findings = checkSentinels(sentinelSet(), {}, { 0: { replicas: ['replica1', 'replica2', stranger] } });
    expect(codes(findings)).toEqual(['warn SENTINEL_UNKNOWN_REPLICA@sentinel-1']);
    expect(findings[0].fix).toBe('add it to check.yml, or make it unpromotable: redis-cli -h 10.9.9.9 -p 6379 -a <password> CONFIG SET replica-priority 0');
    // Never promoted: priority 0, or down.
    for (const harmless of [{ ...stranger, 'slave-priority': '0' }, { ...stranger, flags: 'slave,s_down' }]) {
      expect(checkSentinels(sentinelSet(), {}, { 0: { replicas: ['replica1', 'replica2', harmless] } })).toEqual([]);
    }
    // Addresses that do not compare (the file's host names, the sentinel's IPs): counts only.
    expect(codes(checkSentinels(sentinelSet(), {}, { 0: { replicas: ['replica1', stranger] } }))).toEqual([]);
  });

  it('SENTINEL_FAILOVER_IN_PROGRESS: one warning for the set, naming who reports it', () => {
    const findings = checkSentinels(sentinelSet(), {}, { 0: { flags: ['master', 'failover_in_progress'] } });
    expect(codes(findings)).toEqual(['warn SENTINEL_FAILOVER_IN_PROGRESS@sentinels']);
    expect(findings[0].reason).toMatch(/^sentinel-1 reports a failover of mymaster in progress/);
    expect(findings[0].fix).toBe('wait for the end of the failover (rctl status --watch 1 -t check.yml), then rctl check -t check.yml');
  });

  it('errors before warnings; the set before its sentinels, in file order, after the nodes', () => {
    const refused = new NodeFailureError('NODE_REFUSED', 'connection refused');
    const findings = checkSentinels(sentinelSet(), { replica2: { config: { 'replica-read-only': 'no' } } }, { 0: { peers: 1, flags: ['master', 'failover_in_progress'] }, 2: { error: refused }, 1: { error: refused } });
    expect(codes(findings)).toEqual([
      'error SENTINEL_UNREACHABLE@sentinel-2',
      'error SENTINEL_UNREACHABLE@sentinel-3',
      'warn REPLICA_WRITABLE@replica2',
      'warn SENTINEL_FAILOVER_IN_PROGRESS@sentinels',
      'warn SENTINEL_DISCOVERY_INCOMPLETE@sentinel-1',
    ]);
  });
});

describe('how many sentinels, which quorum, which machines', () => {
  const hosts = (count: number) => Array.from({ length: count }, (_, i) => `10.0.0.${i + 1}`);

  it('majority is more than half', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(majorityOf)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it('SENTINEL_TOO_FEW for one or two sentinels, warn', () => {
    const one = checkSentinels(sentinelSet({ sentinelHosts: hosts(1), quorum: 1 }));
    expect(codes(one)).toEqual(['warn SENTINEL_TOO_FEW@sentinels']);
    expect(one[0].reason).toMatch(/^a single sentinel decides alone/);
    const two = checkSentinels(sentinelSet({ sentinelHosts: hosts(2), quorum: 1 }));
    expect(codes(two)).toEqual(['warn SENTINEL_TOO_FEW@sentinels']);
    expect(two[0].reason).toMatch(/^a failover needs the votes of both sentinels \(the majority of 2\)/);
  });

  it('SENTINEL_EVEN_COUNT is a notice: four tolerate what three do', () => {
    const findings = checkSentinels(sentinelSet({ sentinelHosts: hosts(4), quorum: 3 }));
    expect(codes(findings)).toEqual(['info SENTINEL_EVEN_COUNT@sentinels']);
    expect(findings[0].reason).toBe('4 sentinels survive as many losses as 3 do (a failover needs 3 votes), and a cut into two halves of 2 leaves neither side able to fail over');
  });

  it('SENTINEL_QUORUM_BELOW_MAJORITY: a minority can start a failover the others authorize', () => {
    const findings = checkSentinels(sentinelSet({ sentinelHosts: hosts(5), quorum: 2 }));
    expect(codes(findings)).toEqual(['warn SENTINEL_QUORUM_BELOW_MAJORITY@sentinels']);
    expect(findings[0].reason).toContain('quorum 2 of 5: 2 sentinels that lose sight of the master');
    expect(findings[0].reason).toContain('the others authorize it without checking the master themselves');
    expect(findings[0].fix).toBe('set quorum: 3 in the sentinel section of check.yml, then rctl up check.yml');
    const one = checkSentinels(sentinelSet({ quorum: 1 }));
    expect(codes(one)).toEqual(['warn SENTINEL_QUORUM_BELOW_MAJORITY@sentinels']);
    expect(one[0].reason).toMatch(/^quorum 1 of 3: one sentinel that loses sight of the master \(a cut between it and the master\) starts a failover/);
    expect(checkSentinels(sentinelSet({ sentinelHosts: hosts(5), quorum: 3 }))).toEqual([]);
  });

  it('SENTINEL_QUORUM_ABOVE_MAJORITY: one sentinel down and no failover', () => {
    const findings = checkSentinels(sentinelSet({ quorum: 3 }));
    expect(codes(findings)).toEqual(['warn SENTINEL_QUORUM_ABOVE_MAJORITY@sentinels']);
    expect(findings[0].reason).toBe('quorum 3 of 3: with 1 sentinel down, the master can never be declared down, so a dead master is not replaced (a quorum of 2 tolerates 1 down)');
  });

  it("SENTINEL_SHARED_HOST warn: the master's machine holds so many sentinels that the rest cannot fail over", () => {
    const nodeHosts: [string, string, string] = ['10.0.1.1', '10.0.1.2', '10.0.1.3'];
    const findings = checkSentinels(sentinelSet({ nodeHosts, sentinelHosts: ['10.0.1.1', '10.0.1.1', '10.0.1.2'] }));
    expect(codes(findings)).toEqual(['warn SENTINEL_SHARED_HOST@sentinels']);
    expect(findings[0].reason).toBe("2 of the 3 sentinels run on 10.0.1.1, the master's machine: if it fails, the 1 left is fewer than the 2 a failover needs, so the replicas on other machines are never promoted");
    const all = checkSentinels(sentinelSet({ nodeHosts, sentinelHosts: ['10.0.1.1', '10.0.1.1', '10.0.1.1'] }));
    expect(codes(all)).toEqual(['warn SENTINEL_SHARED_HOST@sentinels']);
    expect(all[0].reason).toMatch(/^3 of the 3 sentinels run on 10\.0\.1\.1, the master's machine: if it fails, no sentinel is left to fail over/);
    // One of three beside the master leaves two: enough.
    expect(checkSentinels(sentinelSet({ nodeHosts, sentinelHosts: ['10.0.1.1', '10.0.1.2', '10.0.1.3'] }))).toEqual([]);
  });

  it('SENTINEL_SHARED_HOST warn: every sentinel on one machine away from the master', () => {
    const findings = checkSentinels(sentinelSet({ nodeHosts: ['10.0.1.1', '10.0.1.2', '10.0.1.3'], sentinelHosts: ['10.0.2.1', '10.0.2.1', '10.0.2.1'] }));
    expect(codes(findings)).toEqual(['warn SENTINEL_SHARED_HOST@sentinels']);
    expect(findings[0].reason).toMatch(/^all 3 sentinels run on 10\.0\.2\.1: one machine's view decides/);
  });

  it('SENTINEL_SHARED_HOST notice: everything on one machine (every loopback address is this one)', () => {
    const findings = checkSentinels(sentinelSet({ sentinelHosts: ['127.0.0.1', 'localhost', '127.0.0.2'] }));
    expect(codes(findings)).toEqual(['info SENTINEL_SHARED_HOST@sentinels']);
    expect(findings[0].reason).toBe('every node and sentinel runs on 127.0.0.1: Sentinel replaces a failed process, not a failed machine');
  });
});

describe('NO_FAILOVER_CANDIDATE under Sentinel', () => {
  it('says that the sentinels cannot fail over, once', () => {
    const zero = { config: { 'replica-priority': '0' } };
    const findings = checkSentinels(sentinelSet(), { replica1: zero, replica2: zero });
    expect(codes(findings)).toEqual(['warn NO_FAILOVER_CANDIDATE@master']);
    expect(findings[0].reason).toBe('every replica (replica1, replica2) has replica-priority 0: the sentinels never promote one, so when the master dies they declare it down and the set stays without a master (every write fails) until it returns');
  });
});
