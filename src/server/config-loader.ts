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
import { CommandTable } from './commands/table';
import { registerAllCommands } from './commands';

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
  let renameProbe: CommandTable | null = null;
  for (const { line, raw, name, args } of lines) {
    if (name === 'rename-command' && args.length === 2) {
      // Checked against a table of its own so the file's errors come out at load, as in Redis.
      if (!renameProbe) {
        renameProbe = new CommandTable();
        registerAllCommands(renameProbe);
        for (const earlier of store.commandRenames) renameProbe.rename(earlier.from, earlier.to);
      }
      const failure = renameProbe.rename(args[0], args[1]);
      if (failure) throw new ConfigFileError(line, raw, failure);
      store.commandRenames.push({ from: args[0], to: args[1] });
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
