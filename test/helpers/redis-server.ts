// Starts real redis-server processes for differential and end-to-end tests.
// Without redis-server on PATH, tests that need it skip with a visible reason,
// unless RCTL_REQUIRE_REDIS=1 (CI), where they fail instead.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { freePort, startProcess, waitForOutput, waitForPort } from './processes';

export { waitForPort };

export const redisServerPath: string | null = (() => {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
})();

export const redisRequired = process.env.RCTL_REQUIRE_REDIS === '1';

/**
 * describe() for suites that need a real redis-server: skipped with a reason when it is missing,
 * failing when RCTL_REQUIRE_REDIS=1.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerPath) {
    describe(name, body);
  } else if (redisRequired) {
    describe(name, () => {
      throw new Error('redis-server is not on PATH but RCTL_REQUIRE_REDIS=1');
    });
  } else {
    process.stderr.write(`[skip] ${name}: redis-server is not on PATH (install redis-server, or set RCTL_REQUIRE_REDIS=1 to fail)\n`);
    describe.skip(`${name} (skipped: redis-server not on PATH)`, body);
  }
}

export interface RedisProcess {
  host: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** Everything the server logged. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port with a temporary dir and no save points. */
export async function startRedisServer(options: { directives?: Record<string, string>; host?: string; port?: number; /** Another redis-server binary (test/helpers/redis-versions.ts); default: PATH's. */ binary?: string } = {}): Promise<RedisProcess> {
  const binary = options.binary ?? redisServerPath;
  if (!binary) throw new Error('redis-server is not on PATH');
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const dir = mkdtempSync(join(tmpdir(), 'rctl-redis-'));
  const directives: Record<string, string> = {
    port: String(port),
    bind: host,
    dir,
    save: '""',
    appendonly: 'no',
    'protected-mode': 'no',
    logfile: '""',
    ...options.directives,
  };
  const confPath = join(dir, 'redis.conf');
  writeFileSync(confPath, Object.entries(directives).map(([k, v]) => `${k} ${v}`).join('\n') + '\n');
  const server = startProcess(binary, [confPath]);
  const handle: RedisProcess = {
    host,
    port,
    dir,
    process: server.child,
    log: server.output,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForPort(host, port);
    // redis-server opens its port before it has loaded its data: wait for the line that says it has.
    await waitForOutput(server, 'Ready to accept connections', 20_000);
  } catch (error) {
    await handle.stop();
    throw new Error(`redis-server did not start: ${(error as Error).message}\n${server.output()}`);
  }
  return handle;
}
