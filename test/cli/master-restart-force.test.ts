// `rctl up --force` over a master that would come back empty: the refusal without it, the relaunch
// and its warning with it, and a status that is healthy afterwards (the empty master is the one
// recorded now). The full course, with the replicas down and a failover, is
// test/fault/master-restart-empty.test.ts.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseJson, startSet } from '../failover/helpers';
import { killAndWait } from '../fault/harness/rctl-set';
import { describeWithRedis } from '../helpers/redis-server';

describeWithRedis('rctl up --force over a master without persistence', () => {
  it('refuses, then relaunches it empty with a warning', async () => {
    const set = await startSet('redis-server', 'force', ['master', 'slave1', 'slave2']);
    try {
      const master = set.client('master');
      expect(await master.call('CONFIG', 'SET', 'save', '')).toBe('OK');
      expect(await master.call('CONFIG', 'REWRITE')).toBe('OK');
      rmSync(join(set.box.home, 'force', 'master', 'data', 'dump.rdb'), { force: true });
      await master.set('k', 'v');
      expect(await master.call('WAIT', '2', '5000')).toBe(2);
      await killAndWait(set.pid('master'));

      const refused = await set.rctl(['up', '--json']);
      expect(refused.code, refused.stdout + refused.stderr).toBe(5);
      const error = parseJson<{ error: { code: string; message: string } }>(refused).error;
      expect(error.code).toBe('MASTER_WOULD_RESTART_EMPTY');
      expect(error.message).toMatch(/^refusing to relaunch master \(\S+\): it runs without persistence \(save "", appendonly no\), so it would start empty .* slave1 \(\S+, 1 key\), slave2 \(\S+, 1 key\) would copy the empty dataset and wipe themselves; launched nothing$/);
      expect(await set.client('slave1').get('k')).toBe('v');

      const forced = await set.rctl(['up', '--force']);
      expect(forced.code, forced.stdout + forced.stderr).toBe(0);
      expect(forced.stderr).toContain('warning: --force: relaunching master');
      const status = await set.rctl(['status']);
      expect(status.code, status.stdout).toBe(0);
    } finally {
      await set.close();
    }
  }, 60_000);
});
