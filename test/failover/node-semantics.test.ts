// The node behaviour a graceful failover relies on, checked on real redis-server and on the
// bundled node alike, raw replies compared byte for byte:
//  - REPLICAOF and CONFIG SET run while writes are paused (CLIENT PAUSE WRITE);
//  - a write held by the pause gets -READONLY once the node is a replica, so it is never
//    acknowledged by the demoted master;
//  - repl-ping-replica-period accepts its maximum (rctl pushes the replication PING out of reach
//    for the switch).

import { afterAll, expect, it } from 'vitest';
import { startNode } from '../helpers/bundled-node';
import { RawConnection } from '../helpers/raw-connection';
import { describeWithRedis, startRedisServer } from '../helpers/redis-server';
import { freePort } from '../helpers/ports';

interface Subject {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const subjects: Subject[] = [];
afterAll(async () => {
  for (const subject of subjects) await subject.stop();
});

async function start(kind: 'redis' | 'bundled'): Promise<Subject> {
  if (kind === 'redis') {
    const proc = await startRedisServer();
    const subject = { host: proc.host, port: proc.port, stop: () => proc.stop() };
    subjects.push(subject);
    return subject;
  }
  const node = await startNode({ config: { port: 0 } });
  const subject = { host: node.host, port: node.port, stop: () => node.close() };
  subjects.push(subject);
  return subject;
}

/** The replies of the pause-demote-unpause sequence, as bytes. */
async function heldWriteAcrossDemotion(subject: Subject): Promise<string[]> {
  const admin = await RawConnection.open(subject.host, subject.port);
  const writer = await RawConnection.open(subject.host, subject.port);
  const deadPort = await freePort();
  try {
    const replies: string[] = [];
    replies.push(await admin.command(['CONFIG', 'SET', 'repl-ping-replica-period', '2147483647']));
    replies.push(await admin.command(['SET', 'before', '1']));
    replies.push(await admin.command(['CLIENT', 'PAUSE', '10000', 'WRITE']));
    writer.send(['SET', 'held', '1']);
    // Reads and admin commands still run: the held SET is still waiting behind the pause.
    replies.push(await admin.command(['GET', 'held']));
    replies.push(await admin.command(['REPLICAOF', '127.0.0.1', String(deadPort)]));
    replies.push(await admin.command(['CONFIG', 'SET', 'repl-ping-replica-period', '10']));
    replies.push(await admin.command(['CLIENT', 'UNPAUSE']));
    replies.push((await writer.readReply()).toString('latin1'));
    replies.push(await admin.command(['GET', 'held']));
    await admin.command(['REPLICAOF', 'NO', 'ONE']);
    return replies;
  } finally {
    admin.close();
    writer.close();
  }
}

describeWithRedis('node behaviour a graceful failover relies on (redis-server vs bundled node)', () => {
  it('a write held by CLIENT PAUSE WRITE is refused with READONLY once the node is a replica', async () => {
    const expected = await heldWriteAcrossDemotion(await start('redis'));
    expect(expected).toEqual(['+OK\r\n', '+OK\r\n', '+OK\r\n', '$-1\r\n', '+OK\r\n', '+OK\r\n', '+OK\r\n', "-READONLY You can't write against a read only replica.\r\n", '$-1\r\n']);
    expect(await heldWriteAcrossDemotion(await start('bundled'))).toEqual(expected);
  });
});
