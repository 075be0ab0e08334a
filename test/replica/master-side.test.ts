// The progress of `replica add`'s full sync as the operator sees it on stderr: the master's bgsave
// phase (from the master's INFO replication) and then waitForSync's transfer bar.

import { describe, expect, it } from 'vitest';
import { MASTER_WRITING_RDB, masterSideReporter, replicaStateOnMaster } from '../../src/cluster/replica/master-side';
import { parseInfo, syncTransfer } from '../../src/node/info';
import { StderrProgress } from '../../src/ui/progress';

const INFO = ['# Replication', 'role:master', 'connected_slaves:2', 'slave0:ip=127.0.0.1,port=7002,state=online,offset=10,lag=0', 'slave1:ip=127.0.0.1,port=7003,state=wait_bgsave,offset=0,lag=0', ''].join('\r\n');

describe('replicaStateOnMaster', () => {
  it("reads the replica's state from the master's slaveN lines", () => {
    const fields = parseInfo(INFO);
    expect(replicaStateOnMaster(fields, { host: '127.0.0.1', port: 7003 })).toBe('wait_bgsave');
    expect(replicaStateOnMaster(fields, { host: '127.0.0.1', port: 7002 })).toBe('online');
    expect(replicaStateOnMaster(fields, { host: '127.0.0.1', port: 7009 })).toBeNull();
  });

  it('matches by the announced port when the master sees another loopback source address', () => {
    expect(replicaStateOnMaster(parseInfo(INFO), { host: '127.0.0.9', port: 7003 })).toBe('wait_bgsave');
  });
});

describe('masterSideReporter through StderrProgress (plain stderr)', () => {
  function capture() {
    const lines: string[] = [];
    const progress = new StderrProgress({ write: (text: string) => lines.push(text) }, 'unicode', false);
    return { progress, text: () => lines.join('') };
  }

  it('shows the bgsave phase while the master writes its RDB, then the transfer bar', () => {
    const { progress, text } = capture();
    let writing = true;
    const reporter = masterSideReporter(progress, 'r2', () => writing);
    reporter.step('waiting for r2 to sync with master');
    reporter.update('r2: full sync in progress');
    writing = false;
    reporter.transfer(50 * 1024 * 1024, 200 * 1024 * 1024);
    expect(text()).toContain(`r2: ${MASTER_WRITING_RDB}`);
    expect(text()).not.toContain('r2: full sync in progress');
  });

  it('passes other details and the transfer through unchanged', () => {
    const { progress, text } = capture();
    const reporter = masterSideReporter(progress, 'r2', () => false);
    reporter.step('waiting');
    reporter.transfer(1024 * 1024, 4 * 1024 * 1024);
    expect(text()).toMatch(/\] 1(\.0)? MB of 4(\.0)? MB/);
  });
});

describe('a diskless transfer as Redis 7.0 reports it', () => {
  it('takes master_sync_total_bytes:0 (EOF-marked transfer) as an unknown size, not an empty RDB', () => {
    const fields = parseInfo('role:slave\r\nmaster_sync_in_progress:1\r\nmaster_sync_total_bytes:0\r\nmaster_sync_read_bytes:131072\r\nmaster_sync_left_bytes:-131072\r\n');
    expect(syncTransfer(fields)).toEqual({ readBytes: 131072, totalBytes: null, leftBytes: null });
  });
});
