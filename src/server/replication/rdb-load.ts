// Loads an RDB payload pushed in chunks into a set of databases (full sync on a replica).

import type { Db } from '../keyspace/db';
import type { Server } from '../server';

export class StreamingRdbLoad {
  constructor(
    private readonly dbs: Db[],
    private readonly server: Server,
  ) {}

  write(chunk: Buffer): void {
    void chunk;
    void this.dbs;
    void this.server;
    throw new Error('RDB loading is not available yet');
  }

  end(): void {}
}
