// CLIENT REPLY OFF / SKIP with Pub/Sub against a real redis-server 7.0: Redis still sends what it
// pushes (subscribe confirmations, messages) to a client whose replies are off, and mutes only
// command replies. Everything a connection receives is read and compared byte for byte.

import { expect, it } from 'vitest';
import { realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';


interface Scenario {
  name: string;
  resp3?: boolean;
  /** Sent by the client under test, then a publisher publishes, then everything it received is read. */
  commands: string[][];
  publish?: Array<[channel: string, message: string]>;
  after?: string[][];
}

const scenarios: Scenario[] = [
  {
    name: 'REPLY OFF then SUBSCRIBE/PSUBSCRIBE: confirmations and messages arrive, PING replies do not',
    commands: [['CLIENT', 'REPLY', 'OFF'], ['SUBSCRIBE', 'a', 'b'], ['PSUBSCRIBE', 'p*'], ['PING'], ['UNSUBSCRIBE', 'a']],
    publish: [['a', 'one'], ['b', 'two'], ['pq', 'three']],
  },
  {
    name: 'REPLY SKIP then SUBSCRIBE: the confirmation is a push, not the skipped reply',
    commands: [['CLIENT', 'REPLY', 'SKIP'], ['SUBSCRIBE', 'a'], ['PING']],
    publish: [['a', 'one']],
  },
  {
    name: 'RESP3: REPLY OFF, SUBSCRIBE, messages, then REPLY ON answers again',
    resp3: true,
    commands: [['CLIENT', 'REPLY', 'OFF'], ['SUBSCRIBE', 'a'], ['GET', 'x'], ['SSUBSCRIBE', 's']],
    publish: [['a', 'one']],
    after: [['CLIENT', 'REPLY', 'ON'], ['GET', 'x'], ['UNSUBSCRIBE']],
  },
];

describeWithRedis('differential: CLIENT REPLY OFF/SKIP with Pub/Sub', () => {
  const servers = realAndBundledPair();
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const [expected, actual] = await servers.onBoth(async (host, port) => {
        const client = await RawConnection.open(host, port);
        const publisher = await RawConnection.open(host, port);
        try {
          if (scenario.resp3) await client.command(['HELLO', '3']);
          for (const cmd of scenario.commands) client.send(cmd);
          const beforePublish = await client.drain();
          for (const [channel, message] of scenario.publish ?? []) await publisher.command(['PUBLISH', channel, message]);
          const published = await client.drain();
          for (const cmd of scenario.after ?? []) client.send(cmd);
          const after = await client.drain();
          return { beforePublish, published, after };
        } finally {
          client.close();
          publisher.close();
        }
      });
      expect(actual).toEqual(expected);
      expect(expected.beforePublish.length + expected.published.length).toBeGreaterThan(0);
    });
  }
});
