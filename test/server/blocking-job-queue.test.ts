// A job queue as Sidekiq, Resque, Bull and BullMQ drive one, against the bundled node with
// ioredis: producers LPUSH, consumers wait with BLMOVE / BRPOPLPUSH into their own processing
// list and acknowledge with LREM. Every job must be consumed exactly once, none left behind.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { startNode } from '../helpers/bundled-node';
import type { RunningServer } from '../../src/server/index';

const JOBS = 600;
const PRODUCERS = 3;
const CONSUMERS = 4;

describe('bundled node: blocking pops as a job queue (ioredis)', () => {
  let node: RunningServer;
  const clients: Redis[] = [];
  const connect = async (): Promise<Redis> => {
    const client = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await node?.close();
  });

  it('every job is consumed exactly once by consumers blocked on the queue', async () => {
    const consumed: string[] = [];
    let stop = false;
    const consumer = async (index: number): Promise<void> => {
      const redis = await connect();
      const processing = `processing:${index}`;
      while (!stop) {
        // Half the consumers speak Sidekiq/Resque's BRPOPLPUSH, half Bull's BLMOVE.
        const job = index % 2 === 0 ? await redis.brpoplpush('queue', processing, 0.05) : await redis.blmove('queue', processing, 'RIGHT', 'LEFT', 0.05);
        if (job === null) continue;
        consumed.push(job);
        await redis.lrem(processing, 1, job);
      }
    };
    const consumers = Array.from({ length: CONSUMERS }, (_, index) => consumer(index));
    // Let the consumers block on the empty queue first, so most jobs are served to waiters.
    const admin = await connect();
    for (let i = 0; i < 200 && Number(/blocked_clients:(\d+)/.exec(await admin.info('clients'))?.[1]) < CONSUMERS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const producers = Array.from({ length: PRODUCERS }, async (_, p) => {
      const redis = await connect();
      for (let i = p; i < JOBS; i += PRODUCERS) {
        // Some pushes carry several jobs, so one push serves several waiters at once.
        if (i % 7 === 0 && i + PRODUCERS < JOBS) {
          await redis.lpush('queue', `job:${i}`, `job:${i + PRODUCERS}`);
          i += PRODUCERS;
        } else {
          await redis.lpush('queue', `job:${i}`);
        }
      }
    });
    await Promise.all(producers);
    for (let i = 0; i < 1000 && consumed.length < JOBS; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    stop = true;
    await Promise.all(consumers);

    expect(consumed.length).toBe(JOBS);
    expect(new Set(consumed).size).toBe(JOBS);
    expect(await admin.exists('queue', 'processing:0', 'processing:1', 'processing:2', 'processing:3')).toBe(0);
    const served = await admin.info('commandstats');
    expect(served).toMatch(/cmdstat_blmove:/);
  });
});
