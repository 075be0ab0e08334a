// What a node that stopped following the master holds that the master never saw (PSYNC2 rules).

import { describe, expect, it } from 'vitest';
import type { ReplicationFacts } from '../../src/node/info';
import { describeDivergence, divergenceFrom } from '../../src/cluster/failover/divergence';

const OLD = 'a'.repeat(40);
const NEW = 'c'.repeat(40);
const NONE = '0'.repeat(40);
const UNRELATED = 'd'.repeat(40);

function facts(replid: string, offset: number, replid2 = NONE, secondReplOffset = -1): ReplicationFacts {
  return { role: 'master', masterHost: null, masterPort: null, linkStatus: null, lastIoSecondsAgo: null, syncInProgress: false, offset, replid, replid2, secondReplOffset, connectedReplicas: 0, keys: 3, loading: false, configFile: null };
}

describe('divergence of an old master from the promoted one', () => {
  // The promoted node had 1000 bytes of the old history: second_repl_offset = 1001.
  const promoted = facts(NEW, 1500, OLD, 1001);

  it('nothing lost when the old master stopped where the promoted node did', () => {
    expect(divergenceFrom(facts(OLD, 1000), promoted)).toEqual({ kind: 'none' });
  });

  it('counts the bytes past the promotion point', () => {
    expect(divergenceFrom(facts(OLD, 1234), promoted)).toEqual({ kind: 'ahead', bytes: 234 });
    expect(describeDivergence({ kind: 'ahead', bytes: 234 }, 's1', 3)).toBe('234 bytes of writes s1 never saw, discarded by a rejoin (full resync)');
  });

  it('an unrelated history (a restarted, empty node) is a full resync', () => {
    expect(divergenceFrom(facts(UNRELATED, 10), promoted)).toEqual({ kind: 'unrelated' });
    expect(describeDivergence({ kind: 'unrelated' }, 's1', 3)).toBe("a history unrelated to s1's: a rejoin is a full resync that discards its 3 keys");
  });

  it('a node promoted from this master that took writes since is ahead by those writes', () => {
    const master = facts(OLD, 2000);
    expect(divergenceFrom(facts(NEW, 1100, OLD, 1001), master)).toEqual({ kind: 'ahead', bytes: 100 });
  });
});

