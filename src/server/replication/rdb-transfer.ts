// The RDB payload of a full synchronization, on both sides: the master streams a snapshot
// through the RDB writer; the replica loads the payload as it arrives into fresh databases and
// swaps them in only when the whole payload checked out, so a broken transfer never costs it its data.

import type { Socket } from 'node:net';
import type { Server } from '../server';
import type { KeyspaceSnapshot } from '../keyspace/snapshot';
import { pipeRdb } from '../rdb/writer';
import type { Db } from '../keyspace/db';
import { StreamingRdbLoad } from './rdb-load';

export interface SyncAux {
  replid: string;
  offset: number;
  /** The db the stream will select next; -1 when none. */
  streamDb: number;
}

/** Bytes a replica socket may hold before the writer waits for it to drain. */
const REPLICA_SOCKET_HIGH_WATER = 8 * 1024 * 1024;

/** Streams the snapshot as RDB to `sink`; waits for slow sockets via the returned promise of `sink`. */
export async function writeRdbSnapshot(
  snapshot: KeyspaceSnapshot,
  aux: SyncAux,
  server: Server,
  sink: (chunk: Buffer) => void | Promise<void>,
): Promise<void> {
  await pipeRdb(
    {
      databases: snapshot.dbs,
      functions: server.scripting.functions.codes(),
      aux: { replication: { replId: aux.replid, offset: aux.offset, streamDb: aux.streamDb } },
    },
    sink,
    { compression: server.config.getBool('rdbcompression') },
  );
}

/** A sink that writes to sockets and waits (bounded) when one of them is backed up. */
export function socketsSink(sockets: () => Array<Socket>): (chunk: Buffer) => void | Promise<void> {
  return (chunk) => {
    let slowest: Socket | null = null;
    for (const socket of sockets()) {
      if (socket.destroyed) continue;
      socket.write(chunk);
      if (socket.writableLength > REPLICA_SOCKET_HIGH_WATER) slowest = socket;
    }
    if (!slowest) return;
    const waitOn = slowest;
    return new Promise<void>((resolve) => {
      const done = () => {
        waitOn.off('drain', done);
        waitOn.off('close', done);
        resolve();
      };
      waitOn.once('drain', done);
      waitOn.once('close', done);
    });
  };
}

export interface TransferProgress {
  /** -1 when the payload ends with an EOF mark instead of a known length. */
  total: number;
  read: number;
}

export interface TransferResult {
  done: boolean;
  /** Bytes after the payload (the start of the command stream). */
  leftover: Buffer;
}

/**
 * Receives a `$<len>` or `$EOF:<mark>` payload. With an EOF mark, the last 40 bytes seen are held back
 * until more data shows they are not the mark.
 */
export class RdbTransferLoader {
  private read = 0;
  private held: Buffer = Buffer.alloc(0);
  private readonly dbs: Db[];
  private readonly loader: StreamingRdbLoad;
  private finished = false;

  constructor(
    private readonly server: Server,
    private readonly length: number,
    private readonly eofMark: string | null,
  ) {
    this.dbs = server.createDbs();
    this.loader = new StreamingRdbLoad(this.dbs, server);
  }

  progress(): TransferProgress {
    return { total: this.length, read: this.read };
  }

  /** Feeds payload bytes; throws on a corrupt payload. */
  write(chunk: Buffer): TransferResult {
    if (this.finished) return { done: true, leftover: chunk };
    if (this.eofMark === null) {
      const need = this.length - this.read;
      const take = Math.min(need, chunk.length);
      this.read += take;
      if (take > 0) this.loader.write(chunk.subarray(0, take));
      if (this.read < this.length) return { done: false, leftover: Buffer.alloc(0) };
      this.loader.end();
      this.finished = true;
      return { done: true, leftover: chunk.subarray(take) };
    }
    this.read += chunk.length;
    const data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const markLength = this.eofMark.length;
    if (data.length >= markLength && data.latin1Slice(data.length - markLength, data.length) === this.eofMark) {
      const payloadEnd = data.length - markLength;
      if (payloadEnd > 0) this.loader.write(data.subarray(0, payloadEnd));
      this.loader.end();
      this.finished = true;
      this.held = Buffer.alloc(0);
      return { done: true, leftover: Buffer.alloc(0) };
    }
    const keep = Math.min(markLength, data.length);
    const ready = data.length - keep;
    if (ready > 0) this.loader.write(data.subarray(0, ready));
    this.held = Buffer.from(data.subarray(ready));
    return { done: false, leftover: Buffer.alloc(0) };
  }

  get streamDb(): number {
    return this.loader.streamDb;
  }

  /** Replaces the node's data with what was loaded. */
  install(): void {
    this.server.installDbs(this.dbs);
    // The master's libraries replace ours, as the keyspace does.
    const failedLibrary = this.server.scripting.functions.restore(this.loader.functions, 'flush');
    if (failedLibrary !== null) this.server.logger.warning(`Failed loading a function library from the master's RDB: ${failedLibrary}`);
  }

  abort(): void {
    this.finished = true;
  }
}
