// Where discover gets a password, and how the written file will name it. The password itself
// goes to the nodes over AUTH only: never into argv, output or the file, unless the operator
// asks for the file (--write-password), which is then written 0600.

import { resolve } from 'node:path';
import { BadInputError } from '../../errors';
import { readPasswordFile } from '../../topology/password';
import { Secret } from '../../topology/secret';
import { shownText } from '../../topology/shown-text';

/** How the file names the password: `auth: { passwordEnv | passwordFile | password }`. */
export type AuthReference =
  | { kind: 'env'; variable: string }
  /** `path` absolute; `given` as the operator wrote it. */
  | { kind: 'file'; path: string; given: string }
  | { kind: 'inline' };

export interface Credentials {
  secret: Secret | null;
  reference: AuthReference | null;
  /** For messages: `$VAR`, `file F`, `the prompt`; never the password. */
  source: string | null;
}

export const NO_CREDENTIALS: Credentials = { secret: null, reference: null, source: null };

/** The variable a password typed at the prompt is named by in the file: redis-cli reads the same one. */
export const PROMPTED_PASSWORD_VARIABLE = 'REDISCLI_AUTH';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** From --password-env / --password-file (flag names passed in for messages); NO_CREDENTIALS when neither. */
export function credentialsFromFlags(
  flags: { env?: string; file?: string },
  names: { env: string; file: string },
  context: { env: NodeJS.ProcessEnv; cwd: string },
): Credentials {
  if (flags.env !== undefined && flags.file !== undefined) throw new BadInputError('USAGE', `${names.env} and ${names.file} both given`, 'pass only one');
  if (flags.env !== undefined) {
    if (!VARIABLE_NAME.test(flags.env)) throw new BadInputError('USAGE', `${names.env}: "${shownText(flags.env)}" is not an environment variable name`);
    const value = context.env[flags.env];
    if (value === undefined || value === '') throw new BadInputError('DISCOVER_PASSWORD', `${names.env}: environment variable ${flags.env} is ${value === undefined ? 'not set' : 'empty'}`, `export ${flags.env} first`);
    return { secret: new Secret(value), reference: { kind: 'env', variable: flags.env }, source: `$${flags.env}` };
  }
  if (flags.file !== undefined) {
    const path = resolve(context.cwd, flags.file);
    const read = readPasswordFile(path);
    if ('problem' in read) throw new BadInputError('DISCOVER_PASSWORD', `${names.file}: cannot read ${shownText(flags.file)}: ${read.problem}`);
    // Editors add a final newline; the topology loader drops it too.
    const value = read.text.replace(/\r?\n$/, '');
    if (value === '') throw new BadInputError('DISCOVER_PASSWORD', `${names.file}: ${shownText(flags.file)} is empty`);
    return { secret: new Secret(value), reference: { kind: 'file', path, given: flags.file }, source: `file ${shownText(flags.file)}` };
  }
  return NO_CREDENTIALS;
}

/** A password typed at the prompt: the file names $REDISCLI_AUTH, or holds it with --write-password. */
export function promptedCredentials(secret: Secret, writePassword: boolean): Credentials {
  return { secret, reference: writePassword ? { kind: 'inline' } : { kind: 'env', variable: PROMPTED_PASSWORD_VARIABLE }, source: 'the prompt' };
}

/** --write-password: whatever the source, the file holds the password. */
export function inlined(credentials: Credentials, writePassword: boolean): Credentials {
  return writePassword && credentials.secret ? { ...credentials, reference: { kind: 'inline' } } : credentials;
}

/** How the result and messages describe the file's auth; never the password. */
export function describeReference(reference: AuthReference | null): string | null {
  if (!reference) return null;
  if (reference.kind === 'env') return `passwordEnv ${reference.variable}`;
  if (reference.kind === 'file') return `passwordFile ${reference.given}`;
  return 'password (written in the file, mode 0600)';
}
