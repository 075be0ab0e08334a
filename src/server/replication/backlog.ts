// The replication backlog: a ring buffer holding the most recent bytes of the replication stream,
// so a replica that lost its link can continue from its offset instead of a full resync.
// Offsets follow Redis: the first byte of the stream has offset 1, and `offset` is the total
// number of bytes ever written (master_repl_offset).

export class ReplicationBacklog {
  private buffer: Buffer;
  /** Write position in the ring. */
  private index = 0;
  /** Bytes of valid history in the ring (repl_backlog_histlen). */
  histlen = 0;

  constructor(
    size: number,
    /** master_repl_offset when the backlog was created: the next byte gets offset+1. */
    public offset: number,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(16 * 1024, size));
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Offset of the oldest byte still held (repl_backlog_first_byte_offset). */
  get firstByteOffset(): number {
    return this.offset - this.histlen + 1;
  }

  append(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.offset += bytes.length;
    const size = this.buffer.length;
    let source = bytes;
    if (source.length > size) source = source.subarray(source.length - size);
    const first = Math.min(size - this.index, source.length);
    source.copy(this.buffer, this.index, 0, first);
    if (first < source.length) source.copy(this.buffer, 0, first);
    this.index = (this.index + source.length) % size;
    this.histlen = Math.min(size, this.histlen + source.length);
  }

  /** True when every byte from `fromOffset` up to now is still in the ring. */
  covers(fromOffset: number): boolean {
    return this.histlen > 0 ? fromOffset >= this.firstByteOffset && fromOffset <= this.offset + 1 : fromOffset === this.offset + 1;
  }

  /** The bytes from `fromOffset` (inclusive) to the end of the stream. Caller checks covers() first. */
  readFrom(fromOffset: number): Buffer {
    const length = this.offset + 1 - fromOffset;
    if (length <= 0) return Buffer.alloc(0);
    const size = this.buffer.length;
    const start = (this.index - length + size) % size;
    if (start + length <= size) return Buffer.from(this.buffer.subarray(start, start + length));
    return Buffer.concat([this.buffer.subarray(start), this.buffer.subarray(0, length - (size - start))]);
  }

  /** Changes the ring's size, keeping as much recent history as fits (CONFIG SET repl-backlog-size). */
  resize(newSize: number): void {
    const size = Math.max(16 * 1024, newSize);
    if (size === this.buffer.length) return;
    const keep = Math.min(this.histlen, size);
    const history = this.readFrom(this.offset + 1 - keep);
    this.buffer = Buffer.allocUnsafe(size);
    history.copy(this.buffer, 0);
    this.index = keep % size;
    this.histlen = keep;
  }
}
