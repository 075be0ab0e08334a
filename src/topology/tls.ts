// Resolves the tls section (ca, cert, key) into absolute paths, checking now that each file is a
// readable PEM file: a wrong path should fail at the field that names it, not as a handshake
// error on every node later. Only paths are kept; the contents are read again at connect time.

import { readBoundedFile } from './small-file';
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

/** A TLS file: a regular file of bounded size, read without blocking (see small-file.ts). */
export function readSmallFile(path: string): { text: string } | { problem: string } {
  return readBoundedFile(path, { maxBytes: TLS_FILE_MAX_BYTES, encoding: 'latin1', tooLarge: `larger than ${TLS_FILE_MAX_BYTES / 1024 / 1024} MiB` });
}
