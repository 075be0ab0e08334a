// INFO parsing (src/node/info.ts) on real INFO texts: a master and its replica captured from Redis
// 5.0.14, 6.2.16, 7.0.15 (Debian), 7.2.6 and the bundled node (test/node/fixtures/info/, CRLF as
// on the wire). The server and persistence sections keep only the fields rctl reads; replication
// and keyspace are verbatim. Then the edge cases real nodes produce: LF only, missing fields,
// IPv6 master hosts, several databases, and the slaveN lines in their old and current formats.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicaLines } from '../../src/cluster/check/rules/min-replicas';
import { capabilitiesOf } from '../../src/node/capabilities';
import { intField, parseInfo, replicationFacts, totalKeys } from '../../src/node/info';

const FIXTURES = join(__dirname, 'fixtures', 'info');
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.txt`), 'latin1');
const ZEROS = '0000000000000000000000000000000000000000';

interface Captured {
  name: string;
  version: string;
  bundled: boolean;
  replid: string;
  offset: number;
  masterHost: string;
  masterPort: number;
  masterRunId: string;
  replicaRunId: string;
  replicaLastIo: number;
  replicaLine: string;
}

const CAPTURED: Captured[] = [
  { name: '5.0.14', version: '5.0.14', bundled: false, replid: 'd16c17443d857e91d7862be0fc0c89c89d68a095', offset: 115, masterHost: '127.0.0.51', masterPort: 23450, masterRunId: '3c1a4b27a2e2736f2a654607036105734c351ca9', replicaRunId: '794d5f4d610e20c5e97e2c02d38f11f02a20526d', replicaLastIo: 2, replicaLine: 'ip=127.0.0.51,port=23451,state=online,offset=115,lag=1' },
  { name: '6.2.16', version: '6.2.16', bundled: false, replid: '8b641c90fcf034888f4383cf532d6a58d4860d8f', offset: 0, masterHost: '127.0.0.52', masterPort: 23460, masterRunId: '928df21929ea13eb5deec0896da4e035306b07a7', replicaRunId: 'cc249f34837c9c3999ac601d8b2d673a7dc70639', replicaLastIo: 2, replicaLine: 'ip=127.0.0.52,port=23461,state=online,offset=0,lag=1' },
  { name: '7.0.15', version: '7.0.15', bundled: false, replid: 'f532fe129cf056551b226ff5214f1cb70853b932', offset: 128, masterHost: '127.0.0.53', masterPort: 23470, masterRunId: '212f512014a3932bbc116583bdd52951edea4405', replicaRunId: 'ad8c638e3f4847df3630eddfb7a95824d3348124', replicaLastIo: 2, replicaLine: 'ip=127.0.0.1,port=23471,state=online,offset=128,lag=1' },
  { name: '7.2.6', version: '7.2.6', bundled: false, replid: 'fbf48a79345399c3f8cfe36f0e64fe8d7f584563', offset: 128, masterHost: '127.0.0.54', masterPort: 23480, masterRunId: 'afb05850ab434a9b02511e136802d3b7b8e167f9', replicaRunId: '713253209b3b7dfbd6fdd2fcb41cc0124e8b3b24', replicaLastIo: 2, replicaLine: 'ip=127.0.0.1,port=23481,state=online,offset=128,lag=1' },
  { name: 'bundled-7.0.15', version: '7.0.15', bundled: true, replid: 'b4fc33bcb05b439b815c4056ed4126c1fff499ca', offset: 128, masterHost: '127.0.0.55', masterPort: 23490, masterRunId: '5e23b30597a1ad4d3d3c31e9bd50562fbed0ce7d', replicaRunId: '0e4bc37a92d2f113abcc6e6e1a7c2c4629a8df30', replicaLastIo: 1, replicaLine: 'ip=127.0.0.1,port=23491,state=online,offset=128,lag=0' },
];

describe.each(CAPTURED)('INFO of $name', (captured) => {
  const masterText = fixture(`${captured.name}-master`);
  const replicaText = fixture(`${captured.name}-replica`);

  it('is CRLF-terminated as on the wire (the fixture was not re-encoded)', () => {
    expect(masterText.endsWith('\r\n')).toBe(true);
    expect(masterText.split('\n').every((line, i, all) => i === all.length - 1 || line.endsWith('\r'))).toBe(true);
  });

  it('gives the master facts', () => {
    expect(replicationFacts(parseInfo(masterText))).toEqual({
      role: 'master',
      masterHost: null,
      masterPort: null,
      linkStatus: null,
      lastIoSecondsAgo: null,
      syncInProgress: false,
      syncTransfer: null,
      offset: captured.offset,
      replid: captured.replid,
      replid2: ZEROS,
      secondReplOffset: -1,
      connectedReplicas: 1,
      keys: 2,
      loading: false,
      configFile: null,
      runId: captured.masterRunId,
      version: captured.version,
      bundled: captured.bundled,
    });
  });

  it('gives the replica facts, its offset from slave_repl_offset', () => {
    expect(replicationFacts(parseInfo(replicaText))).toEqual({
      role: 'replica',
      masterHost: captured.masterHost,
      masterPort: captured.masterPort,
      linkStatus: 'up',
      lastIoSecondsAgo: captured.replicaLastIo,
      syncInProgress: false,
      syncTransfer: null,
      offset: captured.offset,
      replid: captured.replid,
      replid2: ZEROS,
      secondReplOffset: -1,
      connectedReplicas: 0,
      keys: 2,
      loading: false,
      configFile: null,
      runId: captured.replicaRunId,
      version: captured.version,
      bundled: captured.bundled,
    });
  });

  it('reads the same facts with LF line ends', () => {
    for (const text of [masterText, replicaText]) expect(replicationFacts(parseInfo(text.replace(/\r\n/g, '\n')))).toEqual(replicationFacts(parseInfo(text)));
  });

  it("reads the master's slave0 line: online, with its lag", () => {
    const master = parseInfo(masterText);
    expect(master.get('slave0')).toBe(captured.replicaLine);
    const lag = Number(/lag=(\d+)/.exec(captured.replicaLine)?.[1]);
    expect(replicaLines(master)).toEqual([{ state: 'online', lag }]);
    expect(replicaLines(parseInfo(replicaText))).toEqual([]);
  });

  it('tells the bundled node from Redis by rctl_node_version', () => {
    expect(capabilitiesOf(parseInfo(masterText))).toMatchObject({ version: captured.version, bundled: captured.bundled, supported: true });
  });
});

describe('INFO edge cases', () => {
  it('keeps everything after the first colon: IPv6 master hosts and paths', () => {
    const fields = parseInfo('role:slave\r\nmaster_host:::1\r\nmaster_port:6379\r\nconfig_file:/etc/redis/redis:6379.conf\r\n');
    expect(fields.get('master_host')).toBe('::1');
    expect(replicationFacts(fields)).toMatchObject({ masterHost: '::1', masterPort: 6379, configFile: '/etc/redis/redis:6379.conf' });
  });

  it('skips headers, blank lines and lines without a colon', () => {
    expect([...parseInfo('# Replication\r\n\r\nrole:master\r\ngarbage\r\n#role:slave\r\n').entries()]).toEqual([['role', 'master']]);
  });

  it('without a role: no replica facts, offset from master_repl_offset, defaults for counts', () => {
    expect(replicationFacts(parseInfo('master_host:10.0.0.1\r\nmaster_repl_offset:42\r\nmaster_link_status:up\r\n'))).toMatchObject({
      role: null,
      masterHost: null,
      linkStatus: null,
      offset: 42,
      connectedReplicas: 0,
      keys: 0,
      replid: null,
      runId: null,
      version: null,
      bundled: false,
    });
    expect(replicationFacts(parseInfo(''))).toMatchObject({ role: null, offset: null, secondReplOffset: null, loading: false, configFile: null });
  });

  it('a replica missing fields: no link status is a down link, no slave_repl_offset falls back to master_repl_offset', () => {
    const facts = replicationFacts(parseInfo('role:slave\r\nmaster_host:10.0.0.1\r\nmaster_repl_offset:77\r\nmaster_sync_in_progress:1\r\n'));
    expect(facts).toMatchObject({ role: 'replica', masterHost: '10.0.0.1', masterPort: null, linkStatus: 'down', lastIoSecondsAgo: null, syncInProgress: true, offset: 77 });
    // A replica that has read bytes it has not processed yet reports them in master_repl_offset only.
    expect(replicationFacts(parseInfo('role:slave\r\nslave_repl_offset:90\r\nmaster_repl_offset:100\r\n')).offset).toBe(90);
  });

  it('accepts role:replica, and nothing else, as a replica', () => {
    expect(replicationFacts(parseInfo('role:replica\r\n')).role).toBe('replica');
    expect(replicationFacts(parseInfo('role:sentinel\r\n')).role).toBeNull();
  });

  it('loading, and an empty config_file or run_id, as a node reports them', () => {
    expect(replicationFacts(parseInfo('loading:1\r\nconfig_file:\r\nrun_id:\r\n'))).toMatchObject({ loading: true, configFile: null, runId: null });
  });

  it('numbers: empty or non-numeric fields are null, negatives are kept', () => {
    const fields = parseInfo('a:\r\nb:abc\r\nc:-1\r\nd:12\r\n');
    expect([intField(fields, 'a'), intField(fields, 'b'), intField(fields, 'c'), intField(fields, 'd'), intField(fields, 'missing')]).toEqual([null, null, -1, 12, null]);
  });

  it('counts keys over every database and ignores other db-like fields', () => {
    expect(totalKeys(parseInfo('# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\ndb12:keys=1000,expires=1,avg_ttl=5\r\ndbsize:7\r\ndb1:expires=1\r\n'))).toBe(1003);
  });

  it('slaveN lines: the current format (2.8 and later) counts, the 2.6 format is never taken for an online replica', () => {
    const info = parseInfo('slave0:ip=10.0.0.2,port=6379,state=online,offset=10,lag=0\r\nslave1:ip=10.0.0.3,port=6379,state=wait_bgsave,offset=0,lag=3\r\nslave2:10.0.0.4,6379,online\r\nslave3:ip=10.0.0.5,port=6379,state=online,offset=1\r\nslaves:2\r\n');
    expect(replicaLines(info)).toEqual([
      { state: 'online', lag: 0 },
      { state: 'wait_bgsave', lag: 3 },
      { state: '', lag: null },
      { state: 'online', lag: null },
    ]);
  });
});
