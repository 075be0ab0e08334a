// INFO as a field map, for assertions on replication and persistence state.

import type Redis from 'ioredis';

export async function infoFields(client: Redis, section = 'replication'): Promise<Record<string, string>> {
  const text = await client.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}
