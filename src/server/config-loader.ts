// Builds the node's configuration from a redis.conf-style file plus `--name value` overrides,
// with redis-server's argument convention and its FATAL CONFIG FILE ERROR reports.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigStore,
  ConfigFileError,
  ConfigValueError,
  argvToConfigText,
  findDirective,
  parseConfigText,
  parseDirectiveValue,
} from './config';
import { redisCommandNames } from './command-docs';
import { checkUserLine } from './acl/config-users';

export interface LoadedConfig {
  store: ConfigStore;
  /** Absolute path of the config file, for CONFIG REWRITE; undefined when started without one. */
  configFile?: string;
}

export class ConfigArgumentError extends Error {}

/** Parses `[CONFIG_FILE] [--directive value ...]` the way redis-server does. */
export function loadConfigFromArgv(argv: string[]): LoadedConfig {
  let configFile: string | undefined;
  let rest = argv;
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    configFile = resolve(argv[0]);
    rest = argv.slice(1);
  }
  let fileText = '';
  if (configFile) {
    try {
      fileText = readFileSync(configFile, 'latin1');
    } catch (error) {
      throw new ConfigArgumentError(`Fatal error, can't open config file '${configFile}': ${(error as Error).message}`);
    }
  }
  const text = fileText + '\n' + argvToConfigText(rest);
  return { store: applyConfigText(text), configFile };
}

/** Applies config text to a fresh store; throws ConfigFileError naming the offending line. */
export function applyConfigText(text: string, store = new ConfigStore()): ConfigStore {
  const lines = parseConfigText(text);
  // Like Redis, the first `save` line replaces the default save points and later ones add to it.
  let savePoints: string[] | null = null;
  const commandNames = new Set(redisCommandNames());
  for (const { line, raw, name, args } of lines) {
    if (name === 'rename-command' && args.length === 2) {
      renameCommand(commandNames, args[0].toLowerCase(), args[1].toLowerCase(), store, line, raw);
      continue;
    }
    if (name === 'user' && args.length >= 1) {
      addAclUserLine(store, args, line, raw);
      continue;
    }
    const directive = findDirective(name);
    if (!directive) throw new ConfigFileError(line, raw, 'Bad directive or wrong number of arguments');
    if (directive.kind !== 'custom' && args.length !== 1) {
      throw new ConfigFileError(line, raw, 'wrong number of arguments');
    }
    let value: string;
    try {
      value = parseDirectiveValue(directive, args);
    } catch (error) {
      if (error instanceof ConfigValueError) throw new ConfigFileError(line, raw, error.message);
      throw error;
    }
    if (directive.name === 'save') {
      if (value === '') savePoints = [];
      else (savePoints ??= []).push(value);
      store.setValidated('save', savePoints.join(' '));
      continue;
    }
    store.setValidated(directive.name, value);
  }
  return store;
}

/**
 * rename-command NAME NEWNAME (or "" to remove it), checked as Redis checks it: against Redis 7.0's
 * commands, so that a hardened config renaming one the node lacks still starts.
 */
function renameCommand(names: Set<string>, from: string, to: string, store: ConfigStore, line: number, raw: string): void {
  if (!names.has(from)) throw new ConfigFileError(line, raw, 'No such command in rename-command');
  names.delete(from);
  if (to === '') {
    store.commandRenames.push({ from, to });
    return;
  }
  if (names.has(to)) throw new ConfigFileError(line, raw, 'Target command name already exists');
  names.add(to);
  store.commandRenames.push({ from, to });
}

/** Applies a map of directive -> value (the library entry point's options). */
export function configFromObject(values: Record<string, string | number | boolean>): ConfigStore {
  const store = new ConfigStore();
  for (const [name, value] of Object.entries(values)) {
    const directive = findDirective(name);
    if (!directive) throw new ConfigArgumentError(`Unknown config directive '${name}'`);
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    try {
      store.setValidated(directive.name, parseDirectiveValue(directive, [text]));
    } catch (error) {
      if (error instanceof ConfigValueError) throw new ConfigArgumentError(`Invalid value for '${name}': ${error.message}`);
      throw error;
    }
  }
  return store;
}

/** A `user NAME rules...` line: checked now as Redis's ACLAppendUserForLoading, applied at start-up. */
function addAclUserLine(store: ConfigStore, args: string[], line: number, raw: string): void {
  const error = checkUserLine(args, store.aclUsers);
  if (error) throw new ConfigFileError(line, raw, error);
  store.aclUsers.push(args);
}
