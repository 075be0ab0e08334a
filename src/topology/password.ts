// Resolves auth.password / passwordEnv / passwordFile into a Secret, locating failures in the file.

import { readBoundedFile } from './small-file';
import { dirname, resolve } from 'node:path';
import type { TopologyIssue } from '../errors';
import { Secret } from './secret';
import type { TopologyInput } from './schema';
import { shownText } from './shown-text';
import type { YamlSource } from './yaml-source';

export interface ResolvedPassword {
  password: Secret | null;
  source: string | null;
}

/** `at`: where the auth section sits, ['auth'] for the nodes' password, ['sentinel', 'auth'] for the sentinels'. */
export function resolvePassword(
  source: YamlSource,
  auth: TopologyInput['auth'],
  topologyFile: string,
  env: NodeJS.ProcessEnv,
  at: readonly string[] = ['auth'],
): ResolvedPassword | TopologyIssue {
  if (!auth) return { password: null, source: null };
  if (auth.password !== undefined) return checked(source, [...at, 'password'], auth.password, `${at.join('.')}.password`);
  if (auth.passwordEnv !== undefined) {
    const value = env[auth.passwordEnv];
    if (value === undefined || value === '') {
      return source.issue([...at, 'passwordEnv'], `environment variable ${auth.passwordEnv} is ${value === undefined ? 'not set' : 'empty'}`);
    }
    return checked(source, [...at, 'passwordEnv'], value, `$${auth.passwordEnv}`);
  }
  if (auth.passwordFile !== undefined) {
    const path = resolve(dirname(topologyFile), auth.passwordFile);
    const read = readPasswordFile(path);
    if ('problem' in read) return source.issue([...at, 'passwordFile'], `cannot read password file ${shownText(auth.passwordFile)}: ${read.problem}`);
    // Editors add a final newline; it is not part of the password.
    const value = read.text.replace(/\r?\n$/, '');
    if (value === '') return source.issue([...at, 'passwordFile'], `password file ${shownText(auth.passwordFile)} is empty`);
    return checked(source, [...at, 'passwordFile'], value, `file ${shownText(auth.passwordFile)}`);
  }
  return { password: null, source: null };
}

function checked(source: YamlSource, path: string[], value: string, origin: string): ResolvedPassword | TopologyIssue {
  // A line break cannot survive redis.conf or AUTH round trips intact.
  if (/[\r\n\0]/.test(value)) return source.issue(path, `the password from ${origin} contains a line break or NUL byte`);
  return { password: new Secret(value), source: origin };
}

/** More than any password; a bigger "password file" is the wrong file. */
export const PASSWORD_FILE_MAX_BYTES = 64 * 1024;

/**
 * Reads a password file. A FIFO (or /dev/stdin) would block rctl forever and a device such as
 * /dev/zero would exhaust its memory, so only a regular file of reasonable size is read: opened
 * without blocking, checked with fstat on the open descriptor, then read up to the limit.
 */
export function readPasswordFile(path: string): { text: string } | { problem: string } {
  return readBoundedFile(path, {
    maxBytes: PASSWORD_FILE_MAX_BYTES,
    encoding: 'utf8',
    tooLarge: `larger than ${PASSWORD_FILE_MAX_BYTES / 1024} KiB, so not a password file`,
  });
}
