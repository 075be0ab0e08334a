// BLPOP/LPUSH round trips: one consumer waits in BLPOP, one producer LPUSHes a job and pushes the
// next only once the consumer got the previous one, so every job pays for serving a blocked
// client (mark the key ready, pop, reply, unblock) plus two network round trips.

import { RespClient } from './resp';

export interface RoundTripRun {
  jobs: number;
  seconds: number;
  roundTripsPerSecond: number;
}

/**
 * `warmupJobs` run first, untimed, on the same connections: a fresh node process runs its first
 * few thousand commands before V8 has compiled the hot paths, which a server that runs for days
 * never sees again.
 */
export async function measureBlockingRoundTrips(port: number, jobs: number, warmupJobs = 0): Promise<RoundTripRun> {
  const [consumer, producer] = await Promise.all([RespClient.open(port), RespClient.open(port)]);
  const roundTrips = async (count: number) => {
    for (let i = 0; i < count; i++) {
      // The consumer blocks first (the list is empty), then the push serves it.
      const served = consumer.command('BLPOP', 'bench:blocking', '0');
      await producer.command('LPUSH', 'bench:blocking', String(i));
      const reply = await served;
      if (!Array.isArray(reply) || reply[1] !== String(i)) throw new Error(`BLPOP answered ${JSON.stringify(reply)} for job ${i}`);
    }
  };
  try {
    await producer.command('DEL', 'bench:blocking');
    await roundTrips(warmupJobs);
    const started = performance.now();
    await roundTrips(jobs);
    const seconds = (performance.now() - started) / 1000;
    return { jobs, seconds, roundTripsPerSecond: jobs / seconds };
  } finally {
    consumer.close();
    producer.close();
  }
}
