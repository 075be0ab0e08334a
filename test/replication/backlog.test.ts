import { describe, expect, it } from 'vitest';
import { ReplicationBacklog } from '../../src/server/replication/backlog';
import { decidePsync } from '../../src/server/replication/psync-decision';

describe('replication backlog', () => {
  it('keeps the most recent bytes and reads from any covered offset', () => {
    const backlog = new ReplicationBacklog(16 * 1024, 100);
    expect(backlog.firstByteOffset).toBe(101);
    expect(backlog.covers(101)).toBe(true);
    backlog.append('hello');
    backlog.append(' world');
    expect(backlog.offset).toBe(111);
    expect(backlog.readFrom(101).toString()).toBe('hello world');
    expect(backlog.readFrom(107).toString()).toBe('world');
    expect(backlog.readFrom(112).length).toBe(0);
    expect(backlog.covers(100)).toBe(false);
    expect(backlog.covers(113)).toBe(false);
  });

  it('wraps around and forgets the oldest bytes', () => {
    const backlog = new ReplicationBacklog(16 * 1024, 0);
    const chunk = Buffer.alloc(10_000, 'a');
    backlog.append(chunk);
    backlog.append(Buffer.alloc(10_000, 'b'));
    expect(backlog.histlen).toBe(16 * 1024);
    expect(backlog.firstByteOffset).toBe(20_000 - 16 * 1024 + 1);
    const tail = backlog.readFrom(backlog.firstByteOffset);
    expect(tail.length).toBe(16 * 1024);
    expect(tail.subarray(tail.length - 10_000).every((b) => b === 0x62)).toBe(true);
    expect(backlog.covers(1)).toBe(false);
  });

  it('resizes keeping recent history', () => {
    const backlog = new ReplicationBacklog(64 * 1024, 0);
    for (let i = 0; i < 100; i++) backlog.append(`cmd${i};`);
    const before = backlog.readFrom(backlog.firstByteOffset).toString();
    backlog.resize(32 * 1024);
    expect(backlog.readFrom(backlog.firstByteOffset).toString()).toBe(before);
    backlog.append('x');
    expect(backlog.readFrom(backlog.offset).toString()).toBe('x');
  });
});

describe('PSYNC decision', () => {
  const history = {
    replid: 'a'.repeat(40),
    replid2: 'b'.repeat(40),
    secondReplOffset: 501,
    masterReplOffset: 1000,
    backlog: { firstByteOffset: 200, histlen: 801, offset: 1000 },
  };

  it('continues on the current ID within the backlog', () => {
    expect(decidePsync({ replid: 'a'.repeat(40), offset: 1001 }, history).kind).toBe('continue');
    expect(decidePsync({ replid: 'a'.repeat(40), offset: 200 }, history).kind).toBe('continue');
  });

  it('continues on the previous ID up to second_repl_offset (PSYNC2)', () => {
    expect(decidePsync({ replid: 'b'.repeat(40), offset: 501 }, history).kind).toBe('continue');
    const beyond = decidePsync({ replid: 'b'.repeat(40), offset: 502 }, history);
    expect(beyond).toMatchObject({ kind: 'fullresync', partialAttempted: true });
    expect(beyond.reason).toBe(`Requested offset for second ID was 502, but I can reply up to 501`);
  });

  it('explains every full resync', () => {
    expect(decidePsync({ replid: '?', offset: -1 }, history)).toMatchObject({ kind: 'fullresync', partialAttempted: false });
    expect(decidePsync({ replid: 'c'.repeat(40), offset: 300 }, history).reason).toMatch(/^Replication ID mismatch \(Replica asked for 'c{40}', my replication IDs are 'a{40}' and 'b{40}'\)$/);
    expect(decidePsync({ replid: 'a'.repeat(40), offset: 100 }, history).reason).toBe('lack of backlog (Replica request was: 100)');
    expect(decidePsync({ replid: 'a'.repeat(40), offset: 1002 }, history).kind).toBe('fullresync');
    expect(decidePsync({ replid: 'a'.repeat(40), offset: 10 }, { ...history, backlog: null }).kind).toBe('fullresync');
  });
});
