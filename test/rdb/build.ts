// Hand-built RDB payloads for the format and corruption tests: the header of any version, raw
// bytes, and ziplists (which this node never writes), on top of the writer's own encoder.

import { RdbEncoder } from '../../src/server/rdb/encoder';

export class RdbBuilder {
  readonly out = new RdbEncoder(1 << 16, false);

  constructor(version = 10) {
    for (const ch of `REDIS${String(version).padStart(4, '0')}`) this.out.byte(ch.charCodeAt(0));
  }

  bytes(...values: number[]): this {
    for (const value of values) this.out.byte(value);
    return this;
  }

  raw(data: Buffer): this {
    this.out.bytes(data);
    return this;
  }

  length(value: number): this {
    this.out.length(value);
    return this;
  }

  string(text: string): this {
    this.out.string(text);
    return this;
  }

  blob(data: Buffer): this {
    this.out.blob(data);
    return this;
  }

  /** EOF opcode and checksum (or 8 zero bytes: "saved with rdbchecksum no"). */
  finish(withChecksum = true): Buffer {
    this.out.byte(0xff);
    if (withChecksum) {
      this.out.finishWithChecksum();
      return Buffer.concat(this.out.take());
    }
    this.out.flush();
    return Buffer.concat([...this.out.take(), Buffer.alloc(8)]);
  }

  /** Everything so far, without EOF (for truncated or open-ended payloads). */
  partial(): Buffer {
    this.out.flush();
    return Buffer.concat(this.out.take());
  }
}

/** A ziplist of strings and small integers, laid out as ziplist.c describes. */
export function ziplist(items: Array<string | number>): Buffer {
  const body: number[] = [];
  let previous = 0;
  for (const item of items) {
    const prevlen = previous < 254 ? [previous] : [0xfe, previous & 0xff, (previous >> 8) & 0xff, (previous >> 16) & 0xff, 0];
    let entry: number[];
    if (typeof item === 'number') {
      if (item >= 0 && item <= 12) entry = [0xf1 + item];
      else if (item >= -128 && item <= 127) entry = [0xfe, item & 0xff];
      else entry = [0xc0, item & 0xff, (item >> 8) & 0xff];
    } else {
      const bytes = [...Buffer.from(item, 'latin1')];
      entry = bytes.length < 64 ? [bytes.length, ...bytes] : [0x40 | (bytes.length >> 8), bytes.length & 0xff, ...bytes];
    }
    body.push(...prevlen, ...entry);
    previous = prevlen.length + entry.length;
  }
  const header = Buffer.alloc(10);
  header.writeUInt32LE(10 + body.length + 1, 0);
  header.writeUInt32LE(items.length === 0 ? 10 : 10 + body.length - previous, 4);
  header.writeUInt16LE(items.length, 8);
  return Buffer.concat([header, Buffer.from(body), Buffer.from([0xff])]);
}

export function intset(width: 2 | 4 | 8, values: number[]): Buffer {
  const blob = Buffer.alloc(8 + width * values.length);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  values.forEach((value, i) => {
    if (width === 2) blob.writeInt16LE(value, 8 + i * 2);
    else if (width === 4) blob.writeInt32LE(value, 8 + i * 4);
    else blob.writeBigInt64LE(BigInt(value), 8 + i * 8);
  });
  return blob;
}
