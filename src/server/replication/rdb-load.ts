// Loads an RDB payload pushed in chunks into a set of databases (full sync on a replica).
// Every key is kept, even one already expired: a replica waits for its master's DEL.

import type { Db } from '../keyspace/db';
import type { Server } from '../server';
import { RdbReader } from '../rdb/reader';
import { RdbError } from '../rdb/errors';

export class StreamingRdbLoad {
  private readonly reader: RdbReader;
  private keysLoaded = 0;
  private ctime = 0;
  private usedMem = 0;
  /** Function libraries' code in the payload, installed with the keyspace. */
  readonly functions: string[] = [];
  /** The db the master's stream has selected (repl-stream-db): commands after the RDB run there. */
  streamDb = 0;

  constructor(
    private readonly dbs: Db[],
    private readonly server: Server,
  ) {
    this.reader = new RdbReader(
      {
        onAux: (name, value) => this.onAux(name, value),
        onFunction: (code) => this.functions.push(code),
        onEntry: (db, key, value, expireMs) => {
          const target = this.dbs[db];
          if (!target) throw new RdbError(`DB index ${db} is out of range (databases ${this.dbs.length})`, this.reader.bytesConsumed);
          target.data.set(key, value);
          if (expireMs !== undefined) target.expires.set(key, expireMs);
          this.keysLoaded++;
        },
      },
      {
        zsetLimits: {
          maxListpackEntries: server.config.getInt('zset-max-listpack-entries'),
          maxListpackValue: server.config.getInt('zset-max-listpack-value'),
        },
      },
    );
  }

  private onAux(name: string, value: string): void {
    const logger = this.server.logger;
    if (name === 'redis-ver') logger.notice(`Loading RDB produced by version ${value}`);
    else if (name === 'repl-stream-db') this.streamDb = Math.max(0, Number(value) || 0);
    else if (name === 'ctime') {
      this.ctime = Number(value);
      const age = Math.max(0, Math.floor(this.server.clock.now() / 1000) - this.ctime);
      logger.notice(`RDB age ${age} seconds`);
    } else if (name === 'used-mem') {
      this.usedMem = Number(value);
      logger.notice(`RDB memory usage when created ${(this.usedMem / 1024 / 1024).toFixed(2)} Mb`);
    }
  }

  /** Feeds payload bytes; throws RdbError on corrupt input or bytes past the payload's end. */
  write(chunk: Buffer): void {
    const used = this.reader.write(chunk);
    if (this.reader.done && used < chunk.length) throw new RdbError('Data written after the end of the RDB payload', this.reader.bytesConsumed);
  }

  /** The payload is complete: throws when it ended early (truncated transfer). */
  end(): void {
    this.reader.end();
    this.server.logger.notice(`Done loading RDB, keys loaded: ${this.keysLoaded}, keys expired: 0.`);
  }
}
