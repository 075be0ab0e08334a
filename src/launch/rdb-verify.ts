// Reads a downloaded RDB end to end with the bundled node's own loader: every key decoded, the
// CRC-64 trailer checked, nothing after it. What the node would load is what this accepts, so a
// file that passes here restores into the bundled node.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readRdb } from '../server/rdb/reader';

export interface RdbFileReading {
  /** null: the file is damaged; `problem` says where and how. */
  problem: string | null;
  /** RDB format version from the header (0 when not even that could be read). */
  version: number;
  /** Keys per database number, as decimal strings: {"0": 120, "3": 8}. */
  keysPerDb: Record<string, number>;
  /** Keys with a TTL. */
  expires: number;
  /** The trailer's CRC-64 matched; false when the file carries none (saved with rdbchecksum no). */
  checksum: boolean;
  /** Aux fields: redis-ver, repl-id, repl-offset, ... */
  aux: Record<string, string>;
  /** Of the bytes read, which must be the file's whole content. */
  sha256: string;
  bytes: number;
}

export async function readRdbFile(path: string): Promise<RdbFileReading> {
  const keysPerDb: Record<string, number> = {};
  const aux: Record<string, string> = {};
  const hash = createHash('sha256');
  let bytes = 0;
  let expires = 0;
  let version = 0;
  let checksum = false;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  let problem: string | null = null;
  try {
    const summary = await readRdb(hashed(), {
      onAux: (name, value) => {
        aux[name] = value;
      },
      onEntry: (db, _key, _value, expireMs) => {
        keysPerDb[db] = (keysPerDb[db] ?? 0) + 1;
        if (expireMs !== undefined) expires++;
      },
      onEnd: (verified) => {
        checksum = verified;
      },
    });
    version = summary.version;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  return { problem, version, keysPerDb, expires, checksum, aux, sha256: hash.digest('hex'), bytes };
}
