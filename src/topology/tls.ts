// Resolves the tls section (ca, cert, key) into absolute paths, checking now that each file is a
// readable PEM file: a wrong path should fail at the field that names it, not as a handshake
// error on every node later. Only paths are kept; the contents are read again at connect time.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TopologyIssue } from '../errors';
import type { TlsFiles } from './model';
import type { TopologyInput } from './schema';
import { shownText } from './shown-text';
import type { YamlSource } from './yaml-source';

/** Larger than any CA bundle in use (the system bundle is ~200 KiB). */
export const TLS_FILE_MAX_BYTES = 1024 * 1024;

type TlsField = keyof TlsFiles;

const PEM_MARKERS: Record<TlsField, { pattern: RegExp; what: string }> = {
  ca: { pattern: /-----BEGIN CERTIFICATE-----/, what: 'a PEM certificate' },
  cert: { pattern: /-----BEGIN CERTIFICATE-----/, what: 'a PEM certificate' },
  key: { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a PEM private key' },
};

export function resolveTls(source: YamlSource, tls: TopologyInput['tls'], topologyFile: string): TlsFiles | null | TopologyIssue {
  if (!tls) return null;
  const files: Partial<TlsFiles> = {};
  for (const field of ['ca', 'cert', 'key'] as const) {
    const given = tls[field];
    const path = resolve(dirname(topologyFile), given);
    const read = readSmallFile(path);
    if ('problem' in read) return source.issue(['tls', field], `cannot read tls.${field} file ${shownText(given)}: ${read.problem}`);
    const marker = PEM_MARKERS[field];
    if (!marker.pattern.test(read.text)) return source.issue(['tls', field], `tls.${field} file ${shownText(given)} is not ${marker.what}`);
    files[field] = path;
  }
  return files as TlsFiles;
}

/**
 * Reads a regular file of bounded size without blocking: a FIFO or device named by mistake would
 * otherwise hang rctl or exhaust its memory (the same guard as password files).
 */
export function readSmallFile(path: string): { text: string } | { problem: string } {
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
    if (stats.size > TLS_FILE_MAX_BYTES) return { problem: `larger than ${TLS_FILE_MAX_BYTES / 1024 / 1024} MiB` };
    const buffer = Buffer.alloc(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { text: buffer.toString('latin1', 0, length) };
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
