// Reads a file named in a topology (password, TLS material): it must be a regular file of bounded
// size, opened without blocking, so a FIFO, /dev/stdin or a device named by mistake can neither hang
// rctl nor exhaust its memory. Problems come back as text for a positioned topology error.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export interface BoundedFileOptions {
  maxBytes: number;
  encoding: BufferEncoding;
  /** The problem shown for a file over maxBytes. */
  tooLarge: string;
}

export function readBoundedFile(path: string, options: BoundedFileOptions): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: fileProblem(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { problem: 'it is a directory' };
    if (!stats.isFile()) return { problem: 'not a regular file' };
    if (stats.size > options.maxBytes) return { problem: options.tooLarge };
    const buffer = Buffer.alloc(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { text: buffer.toString(options.encoding, 0, length) };
  } catch (error) {
    return { problem: fileProblem(error) };
  } finally {
    closeSync(fd);
  }
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return String(code ?? error);
}
