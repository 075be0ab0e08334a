// Shared by the rolling restart/upgrade tests: reading rctl's JSON (checked against its schema),
// asking nodes for what a restart must change (run_id) or keep (data, sync counters).

import { expect } from 'vitest';
import { errorSchema, rollingSchema } from '../../src/output/schemas';
import type { RollingJson } from '../../src/cluster/rolling/types';
import { redisCommand, type RunResult } from '../cli/helpers';

export function parsedJson(result: RunResult): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** A rolling result that follows schemas/restart.schema.json (the zod schema it is generated from). */
export function rollingJson(result: RunResult): RollingJson {
  const outcome = rollingSchema.safeParse(parsedJson(result));
  if (!outcome.success) throw new Error(`not a rolling result (exit ${result.code}): ${JSON.stringify(outcome.error.issues)}\n${result.stdout}\n${result.stderr}`);
  return outcome.data;
}

/** The error's code, once its JSON follows the error schema and agrees with the exit code. */
export function errorOf(result: RunResult): { code: string; message: string; suggestion: string | null } {
  const { error } = errorSchema.parse(parsedJson(result));
  expect(error.exitCode, result.stdout).toBe(result.code);
  return { code: error.code, message: error.message, suggestion: error.suggestion };
}

/** The lines of stderr that start with `rctl:` (the error line): exactly one, and no stack trace. */
export function expectOneErrorLine(result: RunResult): string {
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('rctl:') || line.startsWith('Error'));
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  return lines[0];
}

export async function infoField(port: number, password: string | null, section: string, field: string): Promise<string | null> {
  const reply = await redisCommand('127.0.0.1', port, password, ['INFO', section]);
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(reply);
  return match ? match[1].trim() : null;
}

export const runIdOf = (port: number, password: string | null) => infoField(port, password, 'server', 'run_id');
export const versionOf = (port: number, password: string | null) => infoField(port, password, 'server', 'redis_version');
export async function roleOf(port: number, password: string | null): Promise<string> {
  return (await infoField(port, password, 'replication', 'role')) ?? '?';
}
