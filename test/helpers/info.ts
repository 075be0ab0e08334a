// INFO as a field map, for assertions on replication and persistence state.

import type Redis from 'ioredis';
import { eventually } from './wait';

export async function infoFields(client: Redis, section = 'replication'): Promise<Record<string, string>> {
  const text = await client.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

/** Waits until `replica` has its link up and every byte of `master`'s replication stream. */
export async function waitReplicaInSync(master: Redis, replica: Redis, options: { what?: string; timeout?: number } = {}): Promise<void> {
  await eventually(
    async () => {
      const [m, r] = await Promise.all([infoFields(master), infoFields(replica)]);
      return r.master_link_status === 'up' && r.slave_repl_offset === m.master_repl_offset;
    },
    { what: options.what ?? 'replica in sync', timeout: options.timeout },
  );
}
