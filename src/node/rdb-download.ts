// Downloads a node's RDB over the replication protocol, the way `redis-cli --rdb` does: REPLCONF
// capa eof and rdb-only (7.0+; older nodes refuse it, which is harmless), then PSYNC ? -1 rather
// than SYNC, so the +FULLRESYNC line names the replication id and offset the snapshot stands at.
// The payload is `$<len>` bytes (the source saved to disk) or ends at a 40-byte mark announced by
// `$EOF:<mark>` (diskless). The connection is closed the moment the payload is complete, so the
// source never keeps the download as a replica.
//
// Nothing here can hang: connect, AUTH and the REPLCONF replies have the reply timeout, and from
// PSYNC on every byte (the source's newline keep-alives included) restarts an idle timer.

import { createHash } from 'node:crypto';
import { createWriteStream, fsync, close as closeFd, openSync, type WriteStream } from 'node:fs';
import type { Socket } from 'node:net';
import { NodeFailureError } from '../errors';
import type { Secret } from '../topology/secret';
import { formatSize } from '../formats/bytes';
import { NodeSession, formatSeconds, type NodeTarget } from './node-session';
import type { Reporter } from './reporter';
import { ReplyError } from './resp';

export interface RdbDownloadOptions {
  password: Secret | null;
  passwordSource: string | null;
  /** Connect, AUTH and REPLCONF reply limit. */
  timeoutMs: number;
  /** From PSYNC on: the longest the source may send nothing at all. */
  idleMs: number;
  reporter: Reporter;
}

export interface RdbDownload {
  /** From +FULLRESYNC: the history and offset the snapshot stands at. */
  replid: string;
  offset: number;
  bytes: number;
  sha256: string;
  /** disk: the source saved the RDB to a file and sent its length; diskless: it streamed it to the socket. */
  transfer: 'disk' | 'diskless';
  /** The source accepted REPLCONF rdb-only 1 (7.0+): it dropped the link itself after the payload. */
  rdbOnly: boolean;
}

const EOF_MARK_LENGTH = 40;
/** A header line longer than this is not the replication protocol. */
const MAX_HEADER_LINE = 1024;
const PROGRESS_EVERY_MS = 100;

/**
 * Writes the source's RDB to `path` (created, 0600; it must not exist) and returns what it is.
 * On failure `path` may hold a partial payload: the caller removes it.
 */
export async function downloadRdb(target: NodeTarget, path: string, options: RdbDownloadOptions): Promise<RdbDownload> {
  const session = await NodeSession.open(target, { password: options.password, passwordSource: options.passwordSource, timeoutMs: options.timeoutMs });
  let socket: Socket;
  let rdbOnly: boolean;
  try {
    // Without capa eof a diskless source would still save to disk for us; both replies may be errors on old nodes.
    await session.call(['REPLCONF', 'capa', 'eof']);
    rdbOnly = !((await session.call(['REPLCONF', 'rdb-only', '1'])) instanceof ReplyError);
    socket = session.detachSocket();
  } catch (error) {
    session.close();
    throw error;
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    socket.destroy();
    throw writeFailure(path, error as NodeJS.ErrnoException);
  }
  const file = createWriteStream(path, { fd, autoClose: false });
  const receiver = new PayloadReceiver(target, socket, file, fd, options);
  socket.write('PSYNC ? -1\r\n');
  const received = await receiver.done;
  return { ...received, rdbOnly };
}

type Header = { kind: 'length'; total: number } | { kind: 'mark'; mark: Buffer };

/** The socket's side of one download: header lines, then the payload into the file. */
class PayloadReceiver {
  readonly done: Promise<Omit<RdbDownload, 'rdbOnly'>>;
  private resolve!: (value: Omit<RdbDownload, 'rdbOnly'>) => void;
  private reject!: (error: Error) => void;
  private finished = false;

  private line = '';
  private replid: string | null = null;
  private offset: number | null = null;
  private header: Header | null = null;
  /** With an EOF mark: the last bytes seen, which may be the start of the mark. */
  private held: Buffer = Buffer.alloc(0);
  private bytes = 0;
  private readonly hash = createHash('sha256');
  private idleTimer: NodeJS.Timeout | null = null;
  private lastProgress = 0;
  private paused = false;
  private readonly where: string;

  constructor(
    private readonly target: NodeTarget,
    private readonly socket: Socket,
    private readonly file: WriteStream,
    private readonly fd: number,
    private readonly options: RdbDownloadOptions,
  ) {
    this.where = `${target.name} (${target.address})`;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(this.lost(`connection error: ${error.code ?? error.message}`)));
    socket.on('close', () => this.fail(this.lost('the node closed the connection')));
    file.on('error', (error: NodeJS.ErrnoException) => this.fail(writeFailure(String(file.path), error)));
    file.on('drain', () => {
      this.paused = false;
      socket.resume();
      this.armIdle();
    });
    options.reporter.update(`waiting for ${target.name} to produce its snapshot`);
    this.armIdle();
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // While the disk holds the socket back, the silence is ours, not the source's.
    if (this.paused || this.finished) return;
    this.idleTimer = setTimeout(() => {
      const what = this.header ? `after ${formatSize(this.bytes)}${this.total() !== null ? ` of ${formatSize(this.total()!)}` : ''}` : 'before the payload began';
      this.fail(
        new NodeFailureError(
          'BACKUP_STALLED',
          `${this.where} sent nothing for ${formatSeconds(this.options.idleMs)} ${what}: transfer abandoned`,
          'check the node (frozen? overloaded?), or raise --idle-timeout',
        ),
      );
    }, this.options.idleMs);
  }

  private total(): number | null {
    return this.header?.kind === 'length' ? this.header.total : null;
  }

  private onData(chunk: Buffer): void {
    if (this.finished) return;
    this.armIdle();
    let rest: Buffer | null = chunk;
    if (!this.header) rest = this.readHeader(chunk);
    if (rest && rest.length > 0 && this.header) this.readPayload(rest);
  }

  /** Reads header lines; returns the bytes after the payload header, or null while it is incomplete. */
  private readHeader(chunk: Buffer): Buffer | null {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.line += chunk.latin1Slice(start, end);
      if (this.line.length > MAX_HEADER_LINE) {
        this.fail(this.protocol(this.line.slice(0, 40)));
        return null;
      }
      if (newline === -1) return null;
      start = newline + 1;
      const line = this.line.replace(/\r$/, '');
      this.line = '';
      // A lone newline is the source's keep-alive while it prepares the snapshot.
      if (line === '') continue;
      if (!this.onHeaderLine(line)) return null;
      if (this.header) return chunk.subarray(start);
    }
    return null;
  }

  /** false: the download failed on this line. */
  private onHeaderLine(line: string): boolean {
    if (line.startsWith('-')) {
      const text = line.slice(1);
      const suggestion = /NOMASTERLINK/.test(text)
        ? 'the replica is not linked to its master: check `rctl status`, or choose another source with --from'
        : /LOADING/.test(text)
          ? 'retry when the node has loaded its dataset'
          : 'check the node log';
      this.fail(new NodeFailureError('BACKUP_SYNC_REFUSED', `${this.where} refused to send its RDB: ${text}`, suggestion));
      return false;
    }
    const fullResync = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)$/.exec(line);
    if (fullResync) {
      this.replid = fullResync[1];
      this.offset = Number(fullResync[2]);
      return true;
    }
    if (this.replid === null) {
      this.fail(this.protocol(line));
      return false;
    }
    if (line.startsWith('$EOF:') && line.length === 5 + EOF_MARK_LENGTH) {
      this.header = { kind: 'mark', mark: Buffer.from(line.slice(5), 'latin1') };
    } else if (/^\$\d+$/.test(line)) {
      this.header = { kind: 'length', total: Number(line.slice(1)) };
    } else {
      this.fail(this.protocol(line));
      return false;
    }
    this.options.reporter.update(`receiving the RDB from ${this.target.name}`);
    this.progress(true);
    if (this.header.kind === 'length' && this.header.total === 0) this.complete();
    return true;
  }

  private readPayload(chunk: Buffer): void {
    const header = this.header!;
    if (header.kind === 'length') {
      const take = Math.min(chunk.length, header.total - this.bytes);
      // Bytes past the payload are the replication stream of a pre-7.0 source: not ours to keep.
      this.write(take === chunk.length ? chunk : chunk.subarray(0, take));
      if (this.bytes === header.total) this.complete();
      else this.progress(false);
      return;
    }
    const window = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const at = window.indexOf(header.mark);
    if (at !== -1) {
      this.held = Buffer.alloc(0);
      this.write(window.subarray(0, at));
      this.complete();
      return;
    }
    const keep = Math.min(EOF_MARK_LENGTH - 1, window.length);
    this.write(window.subarray(0, window.length - keep));
    // A copy: the window may be the socket's chunk, which the held tail must not pin.
    this.held = Buffer.from(window.subarray(window.length - keep));
    this.progress(false);
  }

  private write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    this.hash.update(bytes);
    if (!this.file.write(bytes)) {
      this.paused = true;
      this.socket.pause();
      if (this.idleTimer) clearTimeout(this.idleTimer);
    }
  }

  private progress(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = now;
    this.options.reporter.transfer(this.bytes, this.total());
  }

  private complete(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // At once: the source keeps a replica entry (and, before 7.0, a stream for it) while we are connected.
    this.socket.removeAllListeners('close');
    this.socket.destroy();
    this.options.reporter.transfer(this.bytes, this.total() ?? this.bytes);
    const header = this.header!;
    const result = { replid: this.replid!, offset: this.offset!, bytes: this.bytes, sha256: this.hash.digest('hex'), transfer: header.kind === 'length' ? ('disk' as const) : ('diskless' as const) };
    flushAndClose(this.file, this.fd).then(
      () => this.resolve(result),
      (error: NodeJS.ErrnoException) => this.reject(writeFailure(String(this.file.path), error)),
    );
  }

  private fail(error: NodeFailureError): void {
    if (this.finished) return;
    this.finished = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.socket.removeAllListeners('close');
    this.socket.destroy();
    const settle = () => this.reject(error);
    closeQuietly(this.file, this.fd).then(settle, settle);
  }

  private lost(why: string): NodeFailureError {
    const progress = this.header ? ` after ${formatSize(this.bytes)}${this.total() !== null ? ` of ${formatSize(this.total()!)}` : ''}` : ' before the payload began';
    return new NodeFailureError('BACKUP_TRANSFER_FAILED', `${this.where}: ${why}${progress}`, 'check the node log, then retry');
  }

  private protocol(preview: string): NodeFailureError {
    return new NodeFailureError('BACKUP_TRANSFER_FAILED', `${this.where} answered PSYNC with ${JSON.stringify(preview.slice(0, 60))}, not an RDB transfer`, 'check that the node is a Redis server');
  }
}

function writeFailure(path: string, error: NodeJS.ErrnoException): NodeFailureError {
  return new NodeFailureError('BACKUP_WRITE_FAILED', `cannot write ${path}: ${error.code ?? error.message}`, 'check the free space and permissions of the --out directory');
}

/** Everything written reaches the disk before the file counts as downloaded. */
function flushAndClose(file: WriteStream, fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    file.once('error', onError);
    file.end(() => {
      fsync(fd, (syncError) => {
        closeFd(fd, (closeError) => {
          file.off('error', onError);
          if (syncError ?? closeError) reject(syncError ?? closeError);
          else resolve();
        });
      });
    });
  });
}

function closeQuietly(file: WriteStream, fd: number): Promise<void> {
  return new Promise((resolve) => {
    file.removeAllListeners('drain');
    file.destroy();
    closeFd(fd, () => resolve());
  });
}
