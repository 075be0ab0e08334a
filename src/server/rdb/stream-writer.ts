import type { Stream } from '../keyspace/stream';
import type { RdbEncoder } from './encoder';

export function writeStream(out: RdbEncoder, key: string, stream: Stream): void {
  void out; void key; void stream;
  throw new Error('stream RDB writing not implemented');
}
