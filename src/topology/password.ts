// Resolves auth.password / passwordEnv / passwordFile into a Secret, locating failures in the file.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TopologyIssue } from '../errors';
import { Secret } from './secret';
import type { TopologyInput } from './schema';
import type { YamlSource } from './yaml-source';

export interface ResolvedPassword {
  password: Secret | null;
  source: string | null;
}

export function resolvePassword(
  source: YamlSource,
  auth: TopologyInput['auth'],
  topologyFile: string,
  env: NodeJS.ProcessEnv,
): ResolvedPassword | TopologyIssue {
  if (!auth) return { password: null, source: null };
  if (auth.password !== undefined) return checked(source, ['auth', 'password'], auth.password, 'auth.password');
  if (auth.passwordEnv !== undefined) {
    const value = env[auth.passwordEnv];
    if (value === undefined || value === '') {
      return source.issue(['auth', 'passwordEnv'], `environment variable ${auth.passwordEnv} is ${value === undefined ? 'not set' : 'empty'}`);
    }
    return checked(source, ['auth', 'passwordEnv'], value, `$${auth.passwordEnv}`);
  }
  if (auth.passwordFile !== undefined) {
    const path = resolve(dirname(topologyFile), auth.passwordFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error);
      return source.issue(['auth', 'passwordFile'], `cannot read password file ${auth.passwordFile}: ${why}`);
    }
    // Editors add a final newline; it is not part of the password.
    const value = text.replace(/\r?\n$/, '');
    if (value === '') return source.issue(['auth', 'passwordFile'], `password file ${auth.passwordFile} is empty`);
    return checked(source, ['auth', 'passwordFile'], value, `file ${auth.passwordFile}`);
  }
  return { password: null, source: null };
}

function checked(source: YamlSource, path: string[], value: string, origin: string): ResolvedPassword | TopologyIssue {
  // A line break cannot survive redis.conf or AUTH round trips intact.
  if (/[\r\n\0]/.test(value)) return source.issue(path, `the password from ${origin} contains a line break or NUL byte`);
  return { password: new Secret(value), source: origin };
}
