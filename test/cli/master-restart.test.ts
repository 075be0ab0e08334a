// The restarted-master rules on hand-built INFO readings: what `rctl status` flags and `rctl up`
// refuses over (src/cluster/master-restart.ts), what a relaunch would load (src/launch/persisted-data.ts),
// and the master record (src/cluster/master-record.ts). The end-to-end run is
// test/fault/master-restart-empty.test.ts.

import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInfo, replicationFacts, type ReplicationFacts } from '../../src/node/info';
import { readMasterRecord, recordMasterIdentity, type MasterRecord } from '../../src/state/master-record';
import { copiedMaster, detectMasterRestart, recordedRestart } from '../../src/cluster/master-restart';
import { historyAheadOfMaster } from '../../src/cluster/safety';
import { buildStatus } from '../../src/cluster/status';
import { predictRelaunch, rdbHasKeys, readDirectives } from '../../src/launch/persisted-data';
import { startNode } from '../helpers/bundled-node';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { redisCommand } from './helpers';
import { parseTopology } from '../../src/topology/load';
import { TopologyState } from '../../src/state/topology-state';

const OLD_RUN = 'f64f9ca0b6493fa95142c22298d366ff326409f7';
const NEW_RUN = '4e7d009b3b945c9a7aa15fae779463c4ba6ed3d5';
const HISTORY = 'cfce54ad1303bf617a5e4c1a3261471c3489388e';
const FRESH = '47c1401b501850cf477aab0cdbe680bb78eda362';
const NONE = '0000000000000000000000000000000000000000';

function masterInfo(runId: string, replid: string, offset: number, keys: number, replid2 = NONE, secondReplOffset = -1): ReplicationFacts {
  const keyspace = keys > 0 ? `# Keyspace\r\ndb0:keys=${keys},expires=0,avg_ttl=0\r\n` : '';
  return replicationFacts(
    parseInfo(
      `# Server\r\nrun_id:${runId}\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_replid:${replid}\r\nmaster_replid2:${replid2}\r\n` +
        `master_repl_offset:${offset}\r\nsecond_repl_offset:${secondReplOffset}\r\n${keyspace}`,
    ),
  );
}

function replicaInfo(replid: string, offset: number, keys: number, link: 'up' | 'down', host = '10.0.0.58'): ReplicationFacts {
  return replicationFacts(
    parseInfo(
      `# Replication\r\nrole:slave\r\nmaster_host:${host}\r\nmaster_port:6379\r\nmaster_link_status:${link}\r\nslave_repl_offset:${offset}\r\n` +
        `master_replid:${replid}\r\nmaster_replid2:${NONE}\r\nmaster_repl_offset:${offset}\r\n# Keyspace\r\ndb0:keys=${keys},expires=0,avg_ttl=0\r\n`,
    ),
  );
}

const topology = parseTopology(
  'seeds.yml',
  '/tmp/seeds.yml',
  `name: seed-lab\nnodes:\n  - { name: master, host: 10.0.0.58, port: 6379, role: master }\n  - { name: slave1, host: 10.0.0.17, port: 6379, role: replica }\n  - { name: slave2, host: 10.0.0.27, port: 6379, role: replica }\n`,
);

const record: MasterRecord = { name: 'master', address: '10.0.0.58:6379', runId: OLD_RUN, replid: HISTORY, offset: 5120, keys: 1000, recordedAt: '2026-11-21T10:00:00.000Z' };

/** An RCTL_HOME with nothing in it: no switch records, the record comes from the test. */
const NO_HOME = join(tmpdir(), 'rctl-no-home-for-status');

function status(facts: Array<ReplicationFacts | null>, masterRecord: MasterRecord | null) {
  return buildStatus(
    topology,
    topology.nodes.map((node, i) => ({ node, facts: facts[i], error: null })),
    { state: new TopologyState(NO_HOME, 'set'), masterRecord },
  ).report;
}

describe('replica history the master lacks', () => {
  const emptyMaster = masterInfo(NEW_RUN, FRESH, 0, 0);
  it('counts a replica of a reset history, or of the same history further on', () => {
    expect(historyAheadOfMaster(replicaInfo(HISTORY, 5120, 1000, 'down'), emptyMaster)).toBe(5120);
    expect(historyAheadOfMaster(replicaInfo(FRESH, 300, 1000, 'down'), masterInfo(NEW_RUN, FRESH, 100, 10))).toBe(200);
    // Redis 7.0 restarts a replica from its AOF with a random replid at slave_repl_offset 1 (observed).
    expect(historyAheadOfMaster(replicaInfo('e055af4e53edd9eb7b8e47123b84afa8dc220547', 1, 50, 'down'), emptyMaster)).toBe(1);
  });

  it('ignores a replica behind the master, on its previous history, or with no history', () => {
    expect(historyAheadOfMaster(replicaInfo(FRESH, 100, 10, 'up'), masterInfo(NEW_RUN, FRESH, 100, 10))).toBeNull();
    // After a failover the promoted master keeps the old id as replid2: the failover code judges those.
    expect(historyAheadOfMaster(replicaInfo(HISTORY, 9000, 10, 'down'), masterInfo(NEW_RUN, FRESH, 5200, 10, HISTORY, 5121))).toBeNull();
    expect(historyAheadOfMaster(replicaInfo(NONE, 5120, 50, 'down'), emptyMaster)).toBeNull();
  });
});

describe('the recorded master', () => {
  it('sees a reset history and an older snapshot', () => {
    expect(recordedRestart(record, 'master', masterInfo(NEW_RUN, FRESH, 0, 0))).toMatchObject({ kind: 'reset', offset: 0, behindBytes: 5120 });
    // Restarted from an RDB: the loaded history is replid2, at the snapshot's offset.
    const older = masterInfo(NEW_RUN, FRESH, 4000, 800, HISTORY, 4001);
    expect(recordedRestart(record, 'master', older)).toMatchObject({ kind: 'older', behindBytes: 1120 });
    expect(status([older, null, null], record).nodes[0].error).toBe(
      'restarted from an older snapshot, 1120 bytes behind: run id changed, replid cfce54ad kept at offset 4000, 800 keys (recorded at offset 5120, 1000 keys at 2026-11-21T10:00:00.000Z); replicas following it copy its dataset and discard what they hold beyond it',
    );
  });

  it('stays quiet for the same process, another node, or a restart that kept everything', () => {
    expect(recordedRestart(record, 'master', masterInfo(OLD_RUN, HISTORY, 0, 0))).toBeNull();
    expect(recordedRestart(record, 'slave1', masterInfo(NEW_RUN, FRESH, 0, 0))).toBeNull();
    expect(recordedRestart(record, 'master', masterInfo(NEW_RUN, FRESH, 6000, 1000, HISTORY, 6001))).toBeNull();
    expect(recordedRestart(null, 'master', masterInfo(NEW_RUN, FRESH, 0, 0))).toBeNull();
  });
});

describe('rctl status on a restarted master', () => {
  const replica = replicaInfo(HISTORY, 5120, 1000, 'up');

  it('flags the master from the record, with the replicas down', () => {
    const report = status([masterInfo(NEW_RUN, FRESH, 0, 0), null, null], record);
    expect(report.healthy).toBe(false);
    expect(report.nodes[0].error).toBe(
      'restarted with its history reset: run id changed, replid cfce54ad gone (now 47c1401b at offset 0, 0 keys; recorded at offset 5120, 1000 keys at 2026-11-21T10:00:00.000Z); replicas following it copy its empty dataset and wipe their own',
    );
  });

  it('flags it from a replica still on the old history, without a record', () => {
    const report = status([masterInfo(NEW_RUN, FRESH, 0, 0), replicaInfo(HISTORY, 5120, 1000, 'down'), replicaInfo(HISTORY, 5120, 1000, 'down')], null);
    expect(report.nodes[0].error).toBe(
      'restarted with its history reset or went back: it is at offset 0, 0 keys, but slave1 holds offset 5120 of replid cfce54ad, slave2 holds offset 5120 of replid cfce54ad; replicas following it copy its empty dataset and wipe their own',
    );
  });

  it('does not flag a fresh set, a failover, or a restart with persistence', () => {
    expect(status([masterInfo(OLD_RUN, HISTORY, 5120, 1000), replica, replica], null).healthy).toBe(true);
    expect(status([masterInfo(OLD_RUN, HISTORY, 5120, 1000), replica, replica], record).healthy).toBe(true);
    // PSYNC2 after a restart from an RDB: new run id, old history as replid2, same offset.
    expect(status([masterInfo(NEW_RUN, FRESH, 5120, 1000, HISTORY, 5121), replica, replica], record).healthy).toBe(true);
    // A record of the old master after a failover says nothing about the new one.
    expect(recordedRestart(record, 'slave1', masterInfo(NEW_RUN, FRESH, 0, 0))).toBeNull();
  });

  it('knows when every replica has copied the restarted master', () => {
    const reset = masterInfo(NEW_RUN, FRESH, 0, 0);
    const master = topology.master;
    expect(copiedMaster(replicaInfo(FRESH, 0, 0, 'up'), master, reset)).toBe(true);
    expect(copiedMaster(replicaInfo(FRESH, 0, 0, 'down'), master, reset)).toBe(false);
    expect(copiedMaster(replicaInfo(HISTORY, 5120, 1000, 'down'), master, reset)).toBe(false);
    const restart = detectMasterRestart(topology, (name) => (name === 'master' ? reset : replicaInfo(FRESH, 0, 0, 'up')), record);
    expect(restart).toMatchObject({ master: 'master', ahead: [], recorded: { kind: 'reset' } });
  });
});

describe('what a relaunch would load', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function node(config: string | null) {
    const home = mkdtempSync(join(tmpdir(), 'rctl-relaunch-'));
    dirs.push(home);
    const paths = new TopologyState(home, 'set').nodePaths('master');
    mkdirSync(paths.dataDir, { recursive: true });
    if (config !== null) writeFileSync(paths.config, config);
    return paths;
  }

  it('reads redis.conf quoting as the node does', () => {
    expect(readDirectives(`save ""\ndir "/tmp/a b\\x41"  \nappendfilename 'x y'\n`)).toEqual(
      new Map([
        ['save', [['']]],
        ['dir', [['/tmp/a bA']]],
        ['appendfilename', [['x y']]],
      ]),
    );
  });

  it('finds the RDB or the AOF manifest, and says when persistence is off', () => {
    const none = node('port 6379\nsave ""\nappendonly no\n');
    expect(predictRelaunch(none)).toMatchObject({ persistence: 'none', loads: null });
    // An RDB left by SAVE or SHUTDOWN SAVE still loads with save "".
    writeFileSync(join(none.dataDir, 'dump.rdb'), 'REDIS0010');
    expect(predictRelaunch(none)).toMatchObject({ persistence: 'none', loads: 'dump.rdb' });

    const defaults = node(null);
    expect(predictRelaunch(defaults)).toMatchObject({ persistence: 'rdb', loads: null });
    const named = node('dbfilename "snap.rdb"\nsave 3600 1\n');
    writeFileSync(join(named.dataDir, 'dump.rdb'), 'REDIS0010');
    expect(predictRelaunch(named)).toMatchObject({ persistence: 'rdb', loads: null });

    const aof = node('appendonly yes\n');
    // With appendonly yes an RDB is not loaded: only the AOF counts.
    writeFileSync(join(aof.dataDir, 'dump.rdb'), 'REDIS0010');
    expect(predictRelaunch(aof)).toMatchObject({ persistence: 'aof', loads: null });
    mkdirSync(join(aof.dataDir, 'appendonlydir'));
    writeFileSync(join(aof.dataDir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\n');
    expect(predictRelaunch(aof)).toMatchObject({ persistence: 'aof', loads: 'appendonlydir/appendonly.aof.manifest' });
  });
});

describeWithRedis('whether an RDB holds keys, on files both servers wrote', () => {
  it('reads a key count from redis-server and bundled-node snapshots, empty or not, and is cautious with a broken file', async () => {
    const redis = await startRedisServer();
    const node = await startNode({ config: { dir: mkdtempSync(join(tmpdir(), 'rctl-rdb-keys-')), save: '' } });
    try {
      const snapshots: Record<string, boolean> = {};
      for (const [name, dir, call] of [
        ['redis', redis.dir, (args: string[]) => redisCommand(redis.host, redis.port, null, args)],
        ['node', node.server.config.get('dir'), (args: string[]) => redisCommand(node.host, node.port, null, args)],
      ] as const) {
        await call(['SAVE']);
        snapshots[`${name} empty`] = rdbHasKeys(join(dir, 'dump.rdb'));
        await call(['SET', 'k', 'v']);
        await call(['SAVE']);
        snapshots[`${name} one key`] = rdbHasKeys(join(dir, 'dump.rdb'));
      }
      expect(snapshots).toEqual({ 'redis empty': false, 'redis one key': true, 'node empty': false, 'node one key': true });
      const broken = join(redis.dir, 'broken.rdb');
      writeFileSync(broken, 'REDIS0010\xfa');
      expect(rdbHasKeys(broken)).toBe(true);
      expect(rdbHasKeys(join(redis.dir, 'missing.rdb'))).toBe(true);
    } finally {
      await redis.stop();
      await node.close();
    }
  });
});

describe('the master record', () => {
  it('round-trips through a 0600 file', () => {
    const home = mkdtempSync(join(tmpdir(), 'rctl-record-'));
    try {
      const written = recordMasterIdentity(new TopologyState(home, 'set'), 'master', '10.0.0.58:6379', masterInfo(OLD_RUN, HISTORY, 5120, 1000), new Date('2026-11-21T10:00:00.000Z'));
      expect(written).toEqual(record);
      expect(readMasterRecord(new TopologyState(home, 'set'))).toEqual(record);
      expect(statSync(join(home, 'set', 'master.json')).mode & 0o777).toBe(0o600);
      writeFileSync(join(home, 'set', 'master.json'), '{not json');
      expect(readMasterRecord(new TopologyState(home, 'set'))).toBeNull();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
