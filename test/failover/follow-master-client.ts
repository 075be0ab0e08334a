// The client example of docs/failover.md, used as is by the under-load test: an ioredis client that follows
// a failover. It knows the list of nodes; at every (re)connection it asks them for their ROLE and
// connects to the master; a write refused with READONLY (the old master, now a replica) or
// NOREPLICAS (the old master fenced, in the milliseconds before it is demoted) makes it reconnect,
// to the new master, and resend the command.

import { createConnection } from 'node:net';
import Redis, { AbstractConnector } from 'ioredis';

export interface NodeAddress {
  host: string;
  port: number;
}

/** The node that answers ROLE with "master", asked in list order. */
export async function findMaster(nodes: NodeAddress[], password?: string): Promise<NodeAddress> {
  for (const node of nodes) {
    const probe = new Redis({ ...node, password, lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      const [role] = (await probe.call('ROLE')) as [string];
      if (role === 'master') return node;
    } catch {
      // down or unreachable: ask the next one
    } finally {
      probe.disconnect();
    }
  }
  throw new Error(`no master among ${nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`);
}

/** An ioredis client that always talks to the current master of `nodes`. */
export function masterClient(nodes: NodeAddress[], password?: string): Redis {
  class MasterConnector extends AbstractConnector {
    constructor() {
      super(2000); // ms to wait for a closing connection to end
    }

    async connect() {
      this.connecting = true;
      const master = await findMaster(nodes, password);
      if (!this.connecting) throw new Error('Connection is closed.');
      this.stream = createConnection(master);
      this.stream.once('error', (error) => {
        this.firstError = error;
      });
      return this.stream;
    }
  }
  return new Redis({
    password,
    Connector: MasterConnector,
    // A failover fences the old master, then turns it into a replica: reconnect (to the new master) and resend.
    reconnectOnError: (error) => (/^(READONLY|NOREPLICAS) /.test(error.message) ? 2 : false),
  });
}
