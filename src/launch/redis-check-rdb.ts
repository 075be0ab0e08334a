// Runs Redis's own `redis-check-rdb` on a downloaded file, when one can be found: the copy beside
// the source node's redis-server (the version that wrote the file) first, then PATH's. A checker
// older than the file's format says so and counts as not applicable, not as a verdict on the file.

import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

export interface CheckerVerdict {
  verdict: 'ok' | 'failed' | 'skipped';
  detail: string;
  /** The checker that ran; null when none was found. */
  path: string | null;
}

const CHECKER = 'redis-check-rdb';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The redis-check-rdb to use: beside `redisServer` (an absolute path) when there, else the first on PATH. */
export function findRedisCheckRdb(redisServer: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates: string[] = [];
  if (redisServer && isAbsolute(redisServer)) candidates.push(join(dirname(redisServer), CHECKER));
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir !== '') candidates.push(join(dir, CHECKER));
  return candidates.find(executable) ?? null;
}

/** The file's verdict from `checker` (bounded by timeoutMs: a checker that hangs is killed and reported). */
export function runRedisCheckRdb(checker: string | null, file: string, timeoutMs: number): Promise<CheckerVerdict> {
  if (checker === null) return Promise.resolve({ verdict: 'skipped', detail: `${CHECKER} not found beside redis-server or on PATH`, path: null });
  return new Promise((resolve) => {
    execFile(checker, [file], { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const keys = /\[info\] (\d+) keys read/.exec(output);
      if (!error) {
        resolve({ verdict: 'ok', detail: `RDB looks OK${keys ? `, ${keys[1]} keys read` : ''}`, path: checker });
        return;
      }
      const tooNew = /Can't handle RDB format version (\d+)/.exec(output);
      if (tooNew) {
        resolve({ verdict: 'skipped', detail: `this ${CHECKER} cannot read RDB format version ${tooNew[1]} (older Redis)`, path: checker });
        return;
      }
      if ((error as NodeJS.ErrnoException & { killed?: boolean }).killed) {
        resolve({ verdict: 'failed', detail: `${CHECKER} did not finish within ${Math.round(timeoutMs / 1000)}s`, path: checker });
        return;
      }
      resolve({ verdict: 'failed', detail: checkerProblem(output) ?? `${CHECKER} exited with ${error.code ?? error.signal ?? 'an error'}`, path: checker });
    });
  });
}

/** The line that says what is wrong, from redis-check-rdb's report. */
function checkerProblem(output: string): string | null {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const detected = lines.findIndex((line) => line.includes('RDB ERROR DETECTED'));
  const reason = detected === -1 ? lines.find((line) => /error|wrong|unexpected|invalid/i.test(line)) : lines[detected + 1];
  return reason ? reason.slice(0, 200) : null;
}
