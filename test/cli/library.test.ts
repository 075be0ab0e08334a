// Pure parts of the CLI library: RESP replies, INFO parsing, drift detection, node configs,
// node references and the one-line error format.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInfo, replicationFacts, type ReplicationFacts } from '../../src/node/info';
import { parseReply, ProtocolError, ReplyError } from '../../src/node/resp';
import { dataLossRisk } from '../../src/cluster/safety';
import { buildStatus } from '../../src/cluster/status';
import { BadInputError, NodeFailureError, TopologyError } from '../../src/errors';
import { upsertDirectives } from '../../src/launch/node-config';
import { quoteConfigValue } from '../../src/formats/redis-conf';
import { parseTopology } from '../../src/topology/load';
import { resolveNodeRef } from '../../src/topology/resolve';
import { defaultWatchValue } from '../../src/ui/argv';
import { oneLine, renderError } from '../../src/ui/error-output';
import { charsetOf } from '../../src/ui/charset';
import { TopologyState } from '../../src/state/topology-state';

// INFO replication as the seeds show it (Redis 6.2, 000_a36e67155c8673f2.txt).
const SEED_MASTER = `# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:e04b37408faec364d9bb88963c63d76ea2735204\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n`;
const SEED_REPLICA = `# Replication\r\nrole:slave\r\nmaster_host:10.0.0.58\r\nmaster_port:6379\r\nmaster_link_status:up\r\nmaster_last_io_seconds_ago:9\r\nmaster_sync_in_progress:0\r\nslave_repl_offset:112\r\nslave_priority:100\r\nslave_read_only:1\r\nreplica_announced:1\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:22fd1acb9c4bb39ab3e914d71742f7e8491b9c11\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:112\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:1\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:1\r\nrepl_backlog_histlen:112\r\n\r\n# Keyspace\r\ndb0:keys=10000105,expires=0,avg_ttl=0\r\n`;
const SEED_LINK_DOWN = `role:slave\r\nmaster_host:10.0.0.58\r\nmaster_port:6379\r\nmaster_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\nmaster_sync_in_progress:0\r\nslave_repl_offset:2534\r\nmaster_link_down_since_seconds:222\r\nmaster_replid:22fd1acb9c4bb39ab3e914d71742f7e8491b9c11\r\nmaster_repl_offset:2534\r\n`;

describe('RESP replies', () => {
  it('parses every RESP2 type and waits for more bytes', () => {
    expect(parseReply(Buffer.from('+PONG\r\n'))).toEqual({ value: 'PONG', next: 7 });
    expect(parseReply(Buffer.from(':42\r\n'))?.value).toBe(42);
    expect(parseReply(Buffer.from('$-1\r\n'))?.value).toBeNull();
    expect(parseReply(Buffer.from('*2\r\n$3\r\nfoo\r\n:1\r\n'))?.value).toEqual(['foo', 1]);
    expect(parseReply(Buffer.from('$6\r\nhkp'))).toBeNull();
    const error = parseReply(Buffer.from("-READONLY You can't write against a read only replica.\r\n"))?.value as ReplyError;
    expect(error).toBeInstanceOf(ReplyError);
    expect(error.prefix).toBe('READONLY');
  });

  it('rejects what is not RESP, keeping a printable preview', () => {
    let caught: unknown;
    try {
      parseReply(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).preview()).toBe('HTTP/1.1 400 Bad Request');
  });
});

describe('INFO parsing', () => {
  it('reads the seeds master and replica transcripts', () => {
    expect(replicationFacts(parseInfo(SEED_MASTER))).toMatchObject({ role: 'master', offset: 0, connectedReplicas: 0, linkStatus: null, keys: 0 });
    expect(replicationFacts(parseInfo(SEED_REPLICA))).toMatchObject({
      role: 'replica',
      masterHost: '10.0.0.58',
      masterPort: 6379,
      linkStatus: 'up',
      lastIoSecondsAgo: 9,
      offset: 112,
      replid: '22fd1acb9c4bb39ab3e914d71742f7e8491b9c11',
      keys: 10000105,
    });
    expect(replicationFacts(parseInfo(SEED_LINK_DOWN))).toMatchObject({ linkStatus: 'down', lastIoSecondsAgo: -1, offset: 2534 });
  });
});

describe('status drift', () => {
  const topology = parseTopology(
    'seeds.yml',
    '/tmp/seeds.yml',
    `name: seed-lab\nnodes:\n  - { name: master, host: 10.0.0.58, port: 6379, role: master }\n  - { name: slave1, host: 10.0.0.17, port: 6379, role: replica }\n  - { name: slave2, host: 10.0.0.27, port: 6379, role: replica }\n`,
  );
  const master = replicationFacts(parseInfo(SEED_MASTER.replace('master_repl_offset:0', 'master_repl_offset:112').replace('connected_slaves:0', 'connected_slaves:2')));
  const replica = replicationFacts(parseInfo(SEED_REPLICA));
  const observe = (facts: Array<ReplicationFacts | null>) =>
    buildStatus(
      topology,
      topology.nodes.map((node, i) => ({ node, facts: facts[i], error: facts[i] ? null : new NodeFailureError('NODE_REFUSED', `${node.name} (${node.address}): connection refused`) })),
      // An RCTL_HOME with nothing in it: no master record, no interrupted failover.
      { state: new TopologyState(join(tmpdir(), 'rctl-library-no-home'), 'lab') },
    );

  it('is healthy when the seeds transcript matches the file', () => {
    const { report } = observe([master, replica, replica]);
    expect(report.healthy).toBe(true);
    expect(report.nodes[1]).toEqual({
      name: 'slave1',
      address: '10.0.0.17:6379',
      reachable: true,
      role: 'replica',
      linkStatus: 'up',
      master: 'master',
      offset: 112,
      lagBytes: 0,
      keys: 10000105,
      connectedReplicas: 0,
      replid: '22fd1acb9c4bb39ab3e914d71742f7e8491b9c11',
      replid2: '0000000000000000000000000000000000000000',
      // The transcript is INFO replication only: no server section, so no version.
      version: null,
      error: null,
    });
  });

  it('flags a declared replica that is a master, two masters, a wrong master, a down link and an unreachable node', () => {
    const promoted = replicationFacts(parseInfo(SEED_MASTER));
    const two = observe([master, promoted, replica]).report;
    expect(two.healthy).toBe(false);
    expect(two.nodes[1].error).toBe('declared replica, but is a master; 2 masters (master, slave1)');
    expect(two.nodes[0].error).toBe('2 masters (master, slave1)');

    const wrong = replicationFacts(parseInfo(SEED_REPLICA.replace('master_host:10.0.0.58', 'master_host:10.0.0.17')));
    expect(observe([master, replica, wrong]).report.nodes[2].error).toBe('follows slave1, expected master');
    const elsewhere = replicationFacts(parseInfo(SEED_REPLICA.replace('master_host:10.0.0.58', 'master_host:10.9.9.9')));
    expect(observe([master, replica, elsewhere]).report.nodes[2]).toMatchObject({ master: '10.9.9.9:6379', error: 'follows 10.9.9.9:6379, expected master' });

    expect(observe([master, replica, replicationFacts(parseInfo(SEED_LINK_DOWN))]).report.nodes[2].error).toBe('link to the master is down');
    const unreachable = observe([master, replica, null]).report;
    expect(unreachable.nodes[2]).toMatchObject({ reachable: false, role: null, error: 'slave2 (10.0.0.27:6379): connection refused' });
    expect(unreachable.healthy).toBe(false);
  });

  it('reports lag against the master offset', () => {
    const behind = replicationFacts(parseInfo(SEED_REPLICA.replace('slave_repl_offset:112', 'slave_repl_offset:100')));
    expect(observe([master, behind, replica]).report.nodes[1].lagBytes).toBe(12);
  });
});

describe('data-loss rule', () => {
  // The seeds' failover: slave1 promoted with REPLICAOF NO ONE keeps the old replid as replid2.
  const promoted = replicationFacts(
    parseInfo('role:master\r\nmaster_replid:897295db2365224c35cb321b1454db47ef3eb785\r\nmaster_replid2:22fd1acb9c4bb39ab3e914d71742f7e8491b9c11\r\nmaster_repl_offset:2534\r\nsecond_repl_offset:2535\r\n\r\ndb0:keys=10000106,expires=0,avg_ttl=0\r\n'),
  );
  const slave1 = { name: 'slave1', host: '10.0.0.17', port: 6379 };

  it('lets a replica of the old master follow the promoted one (same history)', () => {
    const slave2 = replicationFacts(parseInfo(SEED_LINK_DOWN + 'db0:keys=10000105,expires=0,avg_ttl=0\r\n'));
    expect(dataLossRisk({ name: 'slave2', address: '10.0.0.27:6379' }, slave2, slave1, promoted)).toBeNull();
  });

  it('lets a promoted node go back to its old master until it takes a write (the seeds: set age 35)', () => {
    const oldMaster = replicationFacts(parseInfo(SEED_MASTER.replace('e04b37408faec364d9bb88963c63d76ea2735204', '22fd1acb9c4bb39ab3e914d71742f7e8491b9c11')));
    const target = { name: 'master', host: '10.0.0.58', port: 6379 };
    expect(dataLossRisk({ name: 'slave1', address: '10.0.0.17:6379' }, promoted, target, oldMaster)).toBeNull();
    const afterWrite = { ...promoted, offset: 2569 };
    expect(dataLossRisk({ name: 'slave1', address: '10.0.0.17:6379' }, afterWrite, target, oldMaster)).toMatchObject({ name: 'slave1', keys: 10000106 });
  });

  it('flags a master with keys of its own history', () => {
    const other = replicationFacts(parseInfo(SEED_MASTER + 'db0:keys=3,expires=0,avg_ttl=0\r\n'));
    expect(dataLossRisk({ name: 'slave2', address: '10.0.0.27:6379' }, other, slave1, promoted)).toEqual({ name: 'slave2', address: '10.0.0.27:6379', keys: 3, masterName: 'slave1' });
    const empty = replicationFacts(parseInfo(SEED_MASTER));
    expect(dataLossRisk({ name: 'slave2', address: '10.0.0.27:6379' }, empty, slave1, promoted)).toBeNull();
  });
});

describe('launched node config', () => {
  it('quotes values so redis.conf reads back the same bytes', () => {
    expect(quoteConfigValue('123456')).toBe('"123456"');
    expect(quoteConfigValue('a "b" \\ c\n')).toBe('"a \\"b\\" \\\\ c\\n"');
    expect(quoteConfigValue('é')).toBe('"\\xc3\\xa9"');
  });

  it('replaces managed directives, keeps the rest, drops the stale default user', () => {
    const rewritten = 'port 7002\nrequirepass "old"\n\n# Generated by CONFIG REWRITE\nreplicaof 127.0.0.1 7001\nport 9999\nuser default on #abc ~* &* +@all\n';
    expect(upsertDirectives(rewritten, [['port', '7002'], ['requirepass', '"new"'], ['logfile', '"/x"']])).toBe(
      'port 7002\nrequirepass "new"\n\n# Generated by CONFIG REWRITE\nreplicaof 127.0.0.1 7001\nlogfile "/x"\n',
    );
  });
});

describe('node references', () => {
  const topology = parseTopology(
    't.yml',
    '/tmp/t.yml',
    `name: t\nnodes:\n  - { name: master, host: 127.0.0.58, port: 6379, role: master }\n  - { name: slave1, host: 127.0.0.17, port: 6379, role: replica }\n  - { name: a, host: 127.0.0.1, port: 7001, role: replica }\n  - { name: b, host: 127.0.0.1, port: 7002, role: replica }\n`,
  );

  it('accepts a name, a host or host:port', () => {
    expect(resolveNodeRef(topology, 'slave1', 'NODE').node?.name).toBe('slave1');
    expect(resolveNodeRef(topology, '127.0.0.58', 'NODE').node?.name).toBe('master');
    expect(resolveNodeRef(topology, '127.0.0.1:7002', 'NODE').node?.name).toBe('b');
    expect(resolveNodeRef(topology, '127.0.0.99:6380', 'MASTER')).toMatchObject({ node: null, host: '127.0.0.99', port: 6380, address: '127.0.0.99:6380' });
    expect(resolveNodeRef(topology, '127.0.0.99', 'MASTER')).toMatchObject({ node: null, port: 6379 });
  });

  it('rejects ambiguous and malformed references', () => {
    expect(() => resolveNodeRef(topology, '127.0.0.1', 'NODE')).toThrow('NODE "127.0.0.1" is ambiguous: it is the host of a, b');
    expect(() => resolveNodeRef(topology, 'host:99999', 'NODE')).toThrow(BadInputError);
  });
});

describe('command plumbing', () => {
  it('gives --watch its default interval', () => {
    expect(defaultWatchValue(['--watch'])).toEqual(['--watch', '2']);
    expect(defaultWatchValue(['--watch', '5', '--json'])).toEqual(['--watch', '5', '--json']);
    expect(defaultWatchValue(['-w', '-t', 'x.yml'])).toEqual(['-w', '2', '-t', 'x.yml']);
  });

  it('renders errors on one line with the exit code from the table', () => {
    const utf8 = charsetOf({ LANG: 'en_US.UTF-8' });
    const node = renderError(new NodeFailureError('NODE_REFUSED', 'master (127.0.0.1:7001): connection refused', 'is the node running?'), false, utf8);
    expect(node).toMatchObject({ stderr: 'rctl: master (127.0.0.1:7001): connection refused — is the node running?\n', exitCode: 4 });
    const topo = renderError(new TopologyError('TOPOLOGY_INVALID', [{ file: 'x.yml', line: 7, col: 11, path: 'nodes[1].port', message: 'expected an integer 1-65535' }]), false, utf8);
    expect(topo.stderr).toBe('rctl: x.yml:7:11 nodes[1].port: expected an integer 1-65535\n');
    expect(topo.exitCode).toBe(2);
    const bug = renderError(new TypeError('x is undefined'), false, utf8);
    expect(bug.exitCode).toBe(1);
    expect(bug.stderr).toBe('rctl: unexpected error: x is undefined (set DEBUG=1 for details)\n');
    expect(renderError(new TypeError('boom'), true, utf8).stderr).toContain('at ');
  });

  it('folds oclif parser messages into one line', () => {
    expect(oneLine('Parsing --timeout \n\texpected a number of seconds, got "soon"\nSee more help with --help')).toBe('Parsing --timeout: expected a number of seconds, got "soon"');
    expect(oneLine('Missing 2 required args:\nnode    the node to change\nmaster  its new master\nSee more help with --help')).toBe('Missing 2 required args: node, master');
  });
});
