// A relative `dir` (config file, command line, CONFIG SET): Redis chdir()s into it, so SAVE and
// FLUSHALL's save land in that directory and CONFIG GET dir reports its absolute path. The node
// must do the same, not resolve the relative path a second time (./sub/sub). Each scenario runs
// against redis-server and `rctl server` in identical sandboxes, and the replies (with the
// sandbox path replaced) must agree.

import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { rctlBin } from '../helpers/bundled-node';
import { freePort, startProcess, waitForPort, type StartedProcess } from '../helpers/processes';
import { RawConnection } from '../helpers/raw-connection';
import { describeWithRedis, redisServerPath } from '../helpers/redis-server';

type Kind = 'redis' | 'node';
type Source = 'config file' | 'command line';

const started: Array<{ proc: StartedProcess; root: string }> = [];
afterEach(async () => {
  for (const { proc, root } of started.splice(0)) {
    proc.child.kill('SIGKILL');
    await proc.exited();
    rmSync(root, { recursive: true, force: true });
  }
});

async function startIn(kind: Kind, source: Source): Promise<{ root: string; conn: RawConnection }> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `rctl-reldir-${kind === 'redis' ? 'r' : 'n'}-`)));
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  const port = await freePort();
  const base = ['--port', String(port), '--bind', '127.0.0.1', '--save', '3600 1', '--appendonly', 'no', '--enable-protected-configs', 'yes'];
  let args: string[];
  if (source === 'config file') {
    writeFileSync(join(root, 'node.conf'), 'dir ./sub\n');
    args = ['node.conf', ...base];
  } else {
    args = [...base, '--dir', './sub'];
  }
  const proc =
    kind === 'redis'
      ? startProcess(redisServerPath as string, args, { cwd: root })
      : startProcess(process.execPath, [rctlBin, 'server', ...args], { cwd: root });
  started.push({ proc, root });
  await waitForPort('127.0.0.1', port, { process: proc.child });
  return { root, conn: await RawConnection.open('127.0.0.1', port) };
}

async function scenario(kind: Kind, source: Source): Promise<string[]> {
  const { root, conn } = await startIn(kind, source);
  const seen: string[] = [];
  const run = async (args: string[]) => seen.push(`${args.join(' ')} -> ${(await conn.command(args)).split(root).join('<root>')}`);
  const exists = (path: string) => seen.push(`${path}: ${existsSync(join(root, path)) ? 'present' : 'absent'}`);
  try {
    await run(['CONFIG', 'GET', 'dir']);
    await run(['SET', 'k', 'v']);
    await run(['SAVE']);
    exists('sub/dump.rdb');
    exists('sub/sub');
    rmSync(join(root, 'sub', 'dump.rdb'));
    await run(['FLUSHALL']);
    exists('sub/dump.rdb');
    // Relative to the current dir (Redis chdir()ed into sub), so sub/deeper.
    await run(['CONFIG', 'SET', 'dir', 'deeper']);
    await run(['CONFIG', 'GET', 'dir']);
    await run(['SET', 'k', 'v']);
    await run(['SAVE']);
    exists('sub/deeper/dump.rdb');
    await run(['CONFIG', 'SET', 'dir', '..']);
    await run(['CONFIG', 'GET', 'dir']);
    await run(['CONFIG', 'SET', 'dir', 'missing']);
    return seen;
  } finally {
    conn.close();
  }
}

describeWithRedis('a relative dir', () => {
  for (const source of ['config file', 'command line'] as const) {
    it(`from the ${source}: SAVE, FLUSHALL and CONFIG SET dir act in it, as in Redis`, async () => {
      const expected = await scenario('redis', source);
      const actual = await scenario('node', source);
      // The scenario is meaningful only if Redis itself saved where we look.
      expect(expected).toContain('sub/deeper/dump.rdb: present');
      expect(expected[0]).toMatch(/^CONFIG GET dir -> \*2\r\n\$3\r\ndir\r\n\$\d+\r\n<root>\/sub\r\n$/);
      expect(actual).toEqual(expected);
    }, 30_000);
  }
});
