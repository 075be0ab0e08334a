// Each rule of `rctl check` on hand-built readings: what triggers it, what does not, its fix, and
// that no password read from a node (or the topology's) ever reaches a finding.

import { describe, expect, it } from 'vitest';
import { NodeFailureError } from '../../src/errors';
import { redisCli, shellWord } from '../../src/cluster/check/fixes';
import { renderCheckReport } from '../../src/ui/check-report';
import { charsetOf } from '../../src/ui/charset';
import { addressesBeyondLoopback } from '../../src/cluster/check/rules/exposure';
import { suggestedBacklog } from '../../src/cluster/check/rules/backlog';
import { compareVersions } from '../../src/cluster/check/rules/versions';
import { check, checkAll, codes, PASSWORD, readingOf, threeNodes, topologyOf } from './fixtures';

const REWRITE = ' && redis-cli -h 127.0.0.1 -p 7001 -a <password> CONFIG REWRITE';

describe('a healthy set', () => {
  it('has no findings', () => {
    expect(check(threeNodes())).toEqual([]);
    expect(check(threeNodes({ password: null }))).toEqual([]);
  });
});

describe('persistence', () => {
  const off = { config: { save: '', appendonly: 'no' } };

  it('a master with replicas and no persistence is an error; a replica without it a warning', () => {
    const findings = check(threeNodes(), { master: off, replica2: off });
    expect(codes(findings)).toEqual(['error MASTER_NO_PERSISTENCE@master', 'warn REPLICA_NO_PERSISTENCE@replica2']);
    expect(findings[0].reason).toContain('its replicas copy the empty dataset');
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7001 -a <password> CONFIG SET save "3600 1 300 100 60 10000"');
  });

  it('adds CONFIG REWRITE where the node has a config file', () => {
    const [finding] = check(threeNodes(), { master: { ...off, info: { config_file: '/etc/redis.conf' } } });
    expect(finding.fix).toBe(`redis-cli -h 127.0.0.1 -p 7001 -a <password> CONFIG SET save "3600 1 300 100 60 10000"${REWRITE}`);
  });

  it('AOF alone or save points alone is persistence', () => {
    expect(check(threeNodes(), { master: { config: { save: '', appendonly: 'yes' } } })).toEqual([]);
    expect(check(threeNodes(), { master: { config: { save: '900 1', appendonly: 'no' } } })).toEqual([]);
  });

  it('a lone master without persistence is not a finding', () => {
    const single = topologyOf('name: one\nnodes:\n  - { name: m, host: 127.0.0.1, port: 7001, role: master }\n');
    expect(check(single, { m: { config: { save: '' } } })).toEqual([]);
  });

  it('an undeclared master that has replicas counts too', () => {
    const topology = threeNodes();
    const findings = check(topology, {
      replica1: { role: 'master', config: { save: '' }, info: { connected_slaves: '1' } },
      replica2: { follows: 'replica1' },
    });
    expect(codes(findings)).toContain('error MASTER_NO_PERSISTENCE@replica1');
  });
});

describe('masterauth', () => {
  it("a replica's masterauth that does not match its master's requirepass is an error, compared without printing either", () => {
    const findings = check(threeNodes(), { replica1: { secrets: { masterauth: 'Stale-Secret-77' } } });
    expect(codes(findings)).toEqual(['error MASTERAUTH_MISMATCH@replica1']);
    expect(findings[0].reason).toBe('masterauth does not match the requirepass of master: the replica cannot authenticate at its next sync');
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7002 -a <password> CONFIG SET masterauth <password>');
    expect(JSON.stringify(findings)).not.toMatch(/Stale-Secret-77|Fixture-Pass-42/);
  });

  it('a missing masterauth, and a masterauth where the master has no password', () => {
    expect(check(threeNodes(), { replica2: { secrets: { masterauth: '' } } })[0].reason).toMatch(/^masterauth is not set but master requires a password/);
    const open = threeNodes({ password: null });
    const findings = check(open, { replica1: { secrets: { masterauth: 'leftover' } } });
    expect(findings[0].reason).toMatch(/^masterauth is set but master has no requirepass/);
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7002 CONFIG SET masterauth ""');
  });

  it('compares with what the master really requires: a drifted master gets rctl up', () => {
    const findings = check(threeNodes(), { master: { secrets: { requirepass: 'drifted' } } });
    expect(codes(findings)).toEqual(['error MASTERAUTH_MISMATCH@replica1', 'error MASTERAUTH_MISMATCH@replica2']);
    expect(findings[0].fix).toBe('rctl up check.yml');
  });

  it("uses the topology's password when the followed master cannot be read", () => {
    const topology = threeNodes();
    const down = { ...readingOf(topology, 'master'), info: null, facts: null, config: null, error: new NodeFailureError('NODE_REFUSED', 'master (127.0.0.1:7001): connection refused') };
    const findings = check(topology, { master: down, replica1: { secrets: { masterauth: 'x' } } });
    expect(codes(findings)).toEqual(['error NODE_UNREACHABLE@master', 'error MASTERAUTH_MISMATCH@replica1']);
  });

  it('skips replicas that authenticate as an ACL user (masteruser)', () => {
    expect(check(threeNodes(), { replica1: { config: { masteruser: 'repl' }, secrets: { masterauth: 'other' } } })).toEqual([]);
  });

  it("warns about a master whose masterauth would not let it rejoin as a replica", () => {
    expect(codes(check(threeNodes(), { master: { secrets: { masterauth: '' } } }))).toEqual(['warn MASTERAUTH_MISMATCH@master']);
  });
});

describe('replica-read-only', () => {
  it('a writable replica is a warning', () => {
    const findings = check(threeNodes(), { replica2: { config: { 'replica-read-only': 'no' } } });
    expect(codes(findings)).toEqual(['warn REPLICA_WRITABLE@replica2']);
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7003 -a <password> CONFIG SET replica-read-only yes');
  });
});

describe('replication backlog', () => {
  it('warns when the backlog holds less than 60 s of the measured write rate', () => {
    const rate = { node: 'master', bytesPerSecond: 40_000, sampleMs: 1000 };
    const findings = check(threeNodes(), {}, [rate]);
    expect(codes(findings)).toEqual(['warn BACKLOG_TOO_SMALL@master']);
    expect(findings[0].reason).toBe('repl-backlog-size 1mb holds 26 s of writes at the measured 39.1 KB/s: a replica link cut longer than that forces a full resync');
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7001 -a <password> CONFIG SET repl-backlog-size 3mb');
  });

  it('is quiet at a rate the backlog covers, or without a measurement', () => {
    expect(check(threeNodes(), {}, [{ node: 'master', bytesPerSecond: 17_000, sampleMs: 1000 }])).toEqual([]);
    expect(check(threeNodes())).toEqual([]);
  });

  it('suggests 60 s of writes in whole megabytes', () => {
    expect(suggestedBacklog(0.5)).toBe(1024 * 1024);
    expect(suggestedBacklog(40_000)).toBe(3 * 1024 * 1024);
  });
});

describe('roles', () => {
  it('a replica following another replica is chained', () => {
    const findings = check(threeNodes(), { replica2: { follows: 'replica1' } });
    expect(codes(findings)).toEqual(['warn CHAINED_REPLICA@replica2']);
    expect(findings[0].fix).toBe('rctl replicaof replica2 master -t check.yml');
  });

  it('a replica following a node outside the file is misdirected', () => {
    expect(codes(check(threeNodes(), { replica1: { follows: '127.0.0.1:7999' } }))).toEqual(['error MISDIRECTED_REPLICA@replica1']);
  });

  it('a declared replica that is a master next to the declared one: two masters', () => {
    const findings = check(threeNodes(), { replica1: { role: 'master' } });
    expect(codes(findings)).toEqual(['error TWO_MASTERS@replica1']);
    expect(findings[0].reason).toMatch(/^declared replica, but a master next to master:/);
  });

  it('a declared master that replicates, and the replica that took over', () => {
    const findings = check(threeNodes(), { master: { role: 'replica', follows: 'replica1' }, replica1: { role: 'master' }, replica2: { follows: 'replica1' } });
    expect(codes(findings)).toEqual(['error MASTER_IS_REPLICA@master', 'error REPLICA_IS_MASTER@replica1', 'error MISDIRECTED_REPLICA@replica2']);
    expect(findings[0].fix).toBe('rctl up check.yml');
  });
});

describe('failover candidates', () => {
  it('warns when every replica has replica-priority 0', () => {
    const zero = { config: { 'replica-priority': '0' } };
    const findings = check(threeNodes(), { replica1: zero, replica2: zero });
    expect(codes(findings)).toEqual(['warn NO_FAILOVER_CANDIDATE@master']);
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7002 -a <password> CONFIG SET replica-priority 100');
    expect(check(threeNodes(), { replica1: zero })).toEqual([]);
  });

  it('points at the topology file when the file sets the priority (up would undo a CONFIG SET)', () => {
    const topology = topologyOf(`name: lab
nodes:
  - { name: master, host: 127.0.0.1, port: 7001, role: master }
  - { name: replica1, host: 127.0.0.1, port: 7002, role: replica, priority: 0 }
`);
    const [finding] = check(topology, { replica1: { config: { 'replica-priority': '0' } } });
    expect(finding.fix).toBe('set priority: 100 on replica1 in check.yml, then rctl up check.yml');
  });
});

describe('min-replicas-to-write', () => {
  it('is an error when fewer replicas are good than it requires', () => {
    const findings = check(threeNodes(), { master: { config: { 'min-replicas-to-write': '3' } } });
    expect(codes(findings)).toEqual(['error MIN_REPLICAS_BLOCKS_WRITES@master']);
    expect(findings[0].reason).toBe('min-replicas-to-write is 3 but only 2 replicas are online with a lag of at most 10 s: the master refuses every write');
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7001 -a <password> CONFIG SET min-replicas-to-write 2');
  });

  it('counts only online replicas within min-replicas-max-lag', () => {
    const info = { slave0: 'ip=127.0.0.1,port=7002,state=online,offset=100,lag=12', slave1: 'ip=127.0.0.1,port=7003,state=wait_bgsave,offset=0,lag=0' };
    expect(codes(check(threeNodes(), { master: { info, config: { 'min-replicas-to-write': '1' } } }))).toEqual(['error MIN_REPLICAS_BLOCKS_WRITES@master']);
    expect(check(threeNodes(), { master: { info, config: { 'min-replicas-to-write': '1', 'min-replicas-max-lag': '15' } } })).toEqual([]);
  });

  it("names rctl's failover fence as such, and sends the operator to `rctl up`, never to a hand-made unfence", () => {
    const findings = check(threeNodes(), { master: { config: { 'min-replicas-to-write': '2147483647' } } });
    expect(codes(findings)).toEqual(['error FAILOVER_FENCE@master']);
    expect(findings[0].fix).toMatch(/^rctl up /);
  });

  it('is not enforced (so not a finding) when min-replicas-max-lag is 0', () => {
    expect(check(threeNodes(), { master: { config: { 'min-replicas-to-write': '3', 'min-replicas-max-lag': '0' } } })).toEqual([]);
  });
});

describe('unprotected nodes', () => {
  it('reads bind values: optional "-" addresses, wildcards, loopback', () => {
    expect(addressesBeyondLoopback('127.0.0.1 -::1')).toEqual([]);
    expect(addressesBeyondLoopback('* -::*')).toEqual(['*', '::*']);
    expect(addressesBeyondLoopback('127.0.0.1 0.0.0.0')).toEqual(['0.0.0.0']);
    expect(addressesBeyondLoopback('10.0.0.58')).toEqual(['10.0.0.58']);
    expect(addressesBeyondLoopback('')).toEqual(['*']);
  });

  it('flags protected-mode no without a password on a node bound beyond loopback', () => {
    const open = threeNodes({ password: null });
    const exposed = { config: { 'protected-mode': 'no', bind: '0.0.0.0' } };
    const findings = check(open, { replica1: exposed });
    expect(codes(findings)).toEqual(['error UNPROTECTED_NODE@replica1']);
    expect(findings[0].fix).toBe('redis-cli -h 127.0.0.1 -p 7002 CONFIG SET protected-mode yes');
    // Any one of the three safeguards is enough.
    expect(check(open, { replica1: { config: { 'protected-mode': 'yes', bind: '0.0.0.0' } } })).toEqual([]);
    expect(check(open, { replica1: { config: { 'protected-mode': 'no', bind: '127.0.0.1 -::1' } } })).toEqual([]);
    expect(check(threeNodes(), { replica1: exposed })).toEqual([]);
  });
});

describe('versions', () => {
  it('the bundled node (7.0.15 plus rctl_node_version) next to redis-server 7.0.15 is not mixed', () => {
    expect(check(threeNodes(), { master: { info: { rctl_node_version: '0.1.0' } } })).toEqual([]);
  });

  it('a replica that cannot read its master\'s RDB is an error naming both formats; a newer one a warning', () => {
    const findings = check(threeNodes(), { master: { info: { redis_version: '7.2.4' } }, replica2: { info: { redis_version: '7.2.4' } } });
    expect(codes(findings)).toEqual(['error REPLICA_OLDER_THAN_MASTER@replica1', 'warn CANDIDATE_NEWER_THAN_REPLICAS@replica2']);
    expect(findings[0].reason).toBe(
      'runs Redis 7.0.15, which reads RDB up to version 10, and its master master runs Redis 7.2.4, which writes RDB 11: its next full sync fails (it flushes its data, then retries for ever)',
    );
    expect(findings[0].fix).toBe('upgrade replica1 (127.0.0.1:7002) to Redis 7.2 or newer and restart it (replicas before their master)');
    expect(codes(check(threeNodes(), { replica2: { info: { redis_version: '7.2.4' } } }))).toEqual(['warn CANDIDATE_NEWER_THAN_REPLICAS@replica2', 'warn MIXED_VERSIONS@replica2']);
  });

  it('the seeds\' 6.2 master with a 7.0 replica: no error (it reads RDB 9), but promoting the 7.0 node would strand the 6.2 one', () => {
    const v62 = { info: { redis_version: '6.2.16' } };
    const findings = check(threeNodes(), { master: v62, replica2: v62 });
    expect(codes(findings)).toEqual(['warn CANDIDATE_NEWER_THAN_REPLICAS@replica1', 'warn MIXED_VERSIONS@replica1']);
    expect(findings[0].reason).toBe('runs Redis 7.0.15 (RDB 10): if it is promoted, master (Redis 6.2.16), replica2 (Redis 6.2.16) continue with a partial resync, but a later full sync from it fails');
  });

  it('same RDB format across versions (5.0 and 6.2 both write 9) is only mixed; a 5.0 master warns that a failover pauses reads', () => {
    const findings = check(threeNodes(), { master: { info: { redis_version: '5.0.14' } }, replica1: { info: { redis_version: '6.2.16' } }, replica2: { info: { redis_version: '6.2.16' } } });
    expect(codes(findings)).toEqual(['warn FAILOVER_PAUSES_READS@master', 'warn MIXED_VERSIONS@replica1', 'warn MIXED_VERSIONS@replica2']);
    expect(findings[0].reason).toMatch(/^runs Redis 5\.0\.14, which has no CLIENT PAUSE WRITE \(6\.2\): `rctl failover` pauses its reads as well as its writes/);
    expect(findings[1].fix).toBe('upgrade the nodes on Redis 5.0.14 to 6.2.16, replicas before their master');
  });

  it('the bundled node reads RDB 11: as a replica of a 7.2 master it is only mixed', () => {
    const findings = check(threeNodes(), { master: { info: { redis_version: '7.2.6' } }, replica1: { info: { rctl_node_version: '0.1.0' } }, replica2: { info: { redis_version: '7.2.6' } } });
    expect(codes(findings)).toEqual(['warn MIXED_VERSIONS@replica1']);
  });

  it('a version before 5.0 is an error; one newer than 7.2 is untested', () => {
    expect(codes(check(threeNodes(), { replica2: { info: { redis_version: '4.0.14' } } }))).toContain('error VERSION_UNSUPPORTED@replica2');
    const newer = { info: { redis_version: '8.0.2' } };
    expect(codes(check(threeNodes(), { master: newer, replica1: newer, replica2: newer }))).toEqual(['warn VERSION_UNTESTED@master', 'warn VERSION_UNTESTED@replica1', 'warn VERSION_UNTESTED@replica2']);
  });

  it('versions past the Redis project\'s security support are notices, not findings; the bundled node is not a Redis release', () => {
    const all = checkAll(threeNodes(), { master: { info: { rctl_node_version: '0.1.0' } }, replica1: { info: { redis_version: '6.2.16' } }, replica2: { info: { redis_version: '7.4.1' } } });
    const notices = all.filter((f) => f.severity === 'info');
    expect(codes(notices)).toEqual(['info VERSION_END_OF_SUPPORT@replica1']);
    expect(notices[0].reason).toBe('runs Redis 6.2.16: the Redis project says 6.2 support may be removed after the end of 2025 (redis/redis SECURITY.md supports 8.2, 8.0, 7.4 and, for now, 6.2)');
    expect(codes(checkAll(threeNodes()).filter((f) => f.severity === 'info'))).toEqual(['info VERSION_END_OF_SUPPORT@master', 'info VERSION_END_OF_SUPPORT@replica1', 'info VERSION_END_OF_SUPPORT@replica2']);
  });

  it('two builds of the bundled node differ', () => {
    const findings = check(threeNodes(), { master: { info: { rctl_node_version: '0.2.0' } }, replica1: { info: { rctl_node_version: '0.1.0' } }, replica2: { info: { rctl_node_version: '0.2.0' } } });
    expect(codes(findings)).toEqual(['warn MIXED_VERSIONS@replica1']);
  });

  it('compares versions numerically', () => {
    expect(compareVersions('7.0.15', '7.0.9')).toBeGreaterThan(0);
    expect(compareVersions('6.2.14', '7.0.0')).toBeLessThan(0);
  });
});

describe('fixes and output', () => {
  it('quotes shell words and keeps the placeholder', () => {
    expect(shellWord('')).toBe('""');
    expect(shellWord('a b')).toBe('"a b"');
    expect(shellWord('$x"')).toBe('"\\$x\\""');
    expect(shellWord('<password>')).toBe('<password>');
    const v6 = topologyOf('name: v6\nnodes:\n  - { name: m, host: "::1", port: 7001, role: master }\n');
    expect(redisCli(v6, v6.nodes[0], ['PING'])).toBe('redis-cli -h ::1 -p 7001 PING');
  });

  it('sorts errors first, then by node order', () => {
    const findings = check(threeNodes(), {
      master: { config: { save: '' } },
      replica1: { config: { 'replica-read-only': 'no' }, secrets: { masterauth: 'x' } },
      replica2: { config: { save: '' } },
    });
    expect(codes(findings)).toEqual(['error MASTER_NO_PERSISTENCE@master', 'error MASTERAUTH_MISMATCH@replica1', 'warn REPLICA_WRITABLE@replica1', 'warn REPLICA_NO_PERSISTENCE@replica2']);
  });

  it('renders a table with the code, reason and fix, the write rate and a verdict', () => {
    const findings = check(threeNodes(), { replica2: { follows: 'replica1' } });
    const text = renderCheckReport({ topology: 'lab', clean: false, findings, notices: [], writeRate: { node: 'master', bytesPerSecond: 2048, sampleMs: 1002 } }, { charset: charsetOf({ LANG: 'C' }), nodeCount: 3 });
    expect(text).toContain('| warn     | replica2 | CHAINED_REPLICA: follows replica1');
    expect(text).toContain('write rate: 2.0 KB/s on master (replication offset over 1.0 s)');
    expect(text.split('\n').at(-1)).toBe('lab: 1 warning (see FIX)');
    const clean = renderCheckReport({ topology: 'lab', clean: true, findings: [], notices: [], writeRate: null }, { charset: charsetOf({ LANG: 'C.UTF-8' }), nodeCount: 3 });
    expect(clean).toBe('write rate: not measured (no master could be sampled, or --sample 0)\nlab: clean; 3 nodes checked, nothing found');
    expect(text + clean).not.toContain(PASSWORD);
  });

  it('wraps reasons and fixes to the terminal width', () => {
    const findings = check(threeNodes(), { master: { config: { save: '' }, info: { config_file: '/etc/redis/redis.conf' } }, replica1: { secrets: { masterauth: 'x' } } });
    const text = renderCheckReport({ topology: 'lab', clean: false, findings, notices: [], writeRate: null }, { charset: charsetOf({ LANG: 'C.UTF-8' }), width: 100, nodeCount: 3 });
    const widest = Math.max(...text.split('\n').map((line) => line.length));
    expect(widest).toBeLessThanOrEqual(100);
    // Wrapping spreads a cell over lines and loses none of its words.
    for (const word of findings.flatMap((f) => `${f.reason} ${f.fix}`.split(' '))) expect(text).toContain(word);
    expect(text.split('\n').length).toBeGreaterThan(findings.length * 3);
  });
});
