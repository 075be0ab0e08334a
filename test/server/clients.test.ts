// Real clients against the node: redis-cli (compared with the same invocation against a real
// redis-server, output byte for byte) and ioredis (the Node client rctl itself uses).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import Redis from 'ioredis';
import { describeWithRedis, redisRequired, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import type { RunningServer } from '../../src/server/index';

const PASSWORD = 'client-secret';

const redisCliPath: string | null = (() => {
  const found = spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
})();

/** Like describeWithRedis, but also needs redis-cli: skipped visibly when missing, failing under RCTL_REQUIRE_REDIS=1. */
function describeWithRedisCli(name: string, body: () => void): void {
  if (redisCliPath) {
    describeWithRedis(name, body);
  } else if (redisRequired) {
    describe(name, () => {
      throw new Error('redis-cli is not on PATH but RCTL_REQUIRE_REDIS=1');
    });
  } else {
    process.stderr.write(`[skip] ${name}: redis-cli is not on PATH (install redis-tools, or set RCTL_REQUIRE_REDIS=1 to fail)\n`);
    describe.skip(`${name} (skipped: redis-cli not on PATH)`, body);
  }
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs redis-cli without blocking the event loop: the in-process node must keep serving meanwhile. */
function runCli(port: number, args: string[], stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(redisCliPath as string, ['-h', '127.0.0.1', '-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('latin1').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    // redis-cli may exit (an auth error) before reading its input: the broken pipe is expected.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin === undefined ? '' : Buffer.from(stdin, 'latin1'));
  });
}

const auth = ['--no-auth-warning', '-a', PASSWORD];

describeWithRedisCli('clients: redis-cli against the node and redis-server', () => {
  let redis: RedisProcess;
  let node: RunningServer;
  beforeAll(async () => {
    [redis, node] = await Promise.all([
      startRedisServer({ directives: { requirepass: PASSWORD } }),
      startNode({ config: { requirepass: PASSWORD } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), node?.close()]);
  });

  /** The same redis-cli run against both servers: exit status and output must be identical. */
  async function same(args: string[], stdin?: string, normalize: (text: string) => string = (text) => text): Promise<CliResult> {
    const [expected, actual] = await Promise.all([runCli(redis.port, args, stdin), runCli(node.port, args, stdin)]);
    expect({ ...actual, stdout: normalize(actual.stdout) }).toEqual({ ...expected, stdout: normalize(expected.stdout) });
    return expected;
  }
  const sortedLines = (text: string) => text.split('\n').sort().join('\n');

  it('refuses commands without a password', async () => {
    const result = await same(['PING']);
    expect(result.stdout).toContain('NOAUTH');
  });

  it('reports a wrong password', async () => {
    const result = await same(['--no-auth-warning', '-a', 'wrong', 'PING']);
    expect(result.stderr).toContain('WRONGPASS');
  });

  it('authenticates with -a and runs SET and GET', async () => {
    expect((await same([...auth, 'SET', 'cli:k', 'hello world'])).stdout).toBe('OK\n');
    expect((await same([...auth, 'GET', 'cli:k'])).stdout).toBe('hello world\n');
    await same([...auth, '--no-raw', 'GET', 'cli:k']);
    await same([...auth, 'GET', 'cli:missing']);
  });

  it('formats arrays, integers, nil and errors the same way', async () => {
    await same([...auth, 'RPUSH', 'cli:list', 'a', 'b c', '']);
    await same([...auth, '--no-raw', 'LRANGE', 'cli:list', '0', '-1']);
    await same([...auth, 'LRANGE', 'cli:list', '0', '-1']);
    await same([...auth, '--csv', 'LRANGE', 'cli:list', '0', '-1']);
    await same([...auth, '--no-raw', 'MGET', 'cli:k', 'cli:missing']);
    await same([...auth, '--no-raw', 'INCR', 'cli:k']);
    await same([...auth, '-e', 'NOSUCH', 'x']);
  });

  it('reads commands line by line from stdin', async () => {
    await same(auth, 'SET cli:a "b c"\nGET cli:a\nINCR cli:n\nINCRBY cli:n 41\nLPUSH cli:l x y\nLRANGE cli:l 0 -1\nHSET cli:h f v\nHGET cli:h f\nNOSUCH\n');
  });

  it('runs MULTI/EXEC from stdin', async () => {
    await same([...auth, '--no-raw'], 'MULTI\nSET cli:m 1\nINCR cli:m\nLPUSH cli:ml a\nEXEC\nGET cli:m\n');
  });

  it('sends inline commands verbatim with --pipe', async () => {
    const input = `AUTH ${PASSWORD}\r\nSET cli:p1 v1\r\nset cli:p2 "quoted value"\n\r\nGET cli:p1\r\n*2\r\n$3\r\nGET\r\n$6\r\ncli:p2\r\nINCR cli:p1\r\n`;
    const result = await same(['--pipe'], input);
    expect(result.stdout).toContain('errors: 1, replies: 6');
    expect((await same([...auth, 'GET', 'cli:p2'])).stdout).toBe('quoted value\n');
  });

  it('takes the last argument from stdin with -x', async () => {
    await same([...auth, '-x', 'SET', 'cli:x'], 'binary \x00\xff payload\r\n');
    await same([...auth, 'STRLEN', 'cli:x']);
  });

  it('repeats with -r and selects a database with -n', async () => {
    await same([...auth, '-r', '3', 'INCR', 'cli:r']);
    await same([...auth, '-n', '3', 'SET', 'cli:db3', 'x']);
    await same([...auth, '-n', '3', 'DBSIZE']);
    await same([...auth, 'EXISTS', 'cli:db3']);
  });

  it('scans keys with --scan', async () => {
    await same([...auth, '--scan', '--pattern', 'cli:*'], undefined, sortedLines);
  });

  it('speaks RESP3 with -3', async () => {
    await same([...auth, '-3', '--no-raw', 'HGETALL', 'cli:h']);
    await same([...auth, '-3', '--no-raw', 'GET', 'cli:missing']);
  });
});

describe('clients: ioredis against the node', () => {
  let node: RunningServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    node = await startNode({ config: { requirepass: PASSWORD } });
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await node?.close();
  });

  function client(options: { password?: string; autoPipelining?: boolean } = {}): Redis {
    const redis = new Redis({
      host: node.host,
      port: node.port,
      password: options.password ?? PASSWORD,
      lazyConnect: true,
      enableAutoPipelining: options.autoPipelining ?? false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    clients.push(redis);
    return redis;
  }

  it('connects, authenticates and passes the ready check', async () => {
    const redis = client();
    await redis.connect();
    expect(redis.status).toBe('ready');
    expect(await redis.ping()).toBe('PONG');
  });

  it('rejects a wrong password', async () => {
    const redis = client({ password: 'wrong' });
    const errors: string[] = [];
    redis.on('error', (error: Error) => errors.push(error.message));
    await expect(redis.connect()).rejects.toThrow();
    expect(errors.some((message) => message.includes('WRONGPASS invalid username-password pair'))).toBe(true);
    expect(redis.status).not.toBe('ready');
  });

  it('SET and GET, with binary values', async () => {
    const redis = client();
    await redis.connect();
    expect(await redis.set('io:k', 'value')).toBe('OK');
    expect(await redis.get('io:k')).toBe('value');
    const binary = Buffer.from([0, 255, 13, 10, 42, 36, 128]);
    await redis.set('io:bin', binary);
    expect(await redis.getBuffer('io:bin')).toEqual(binary);
    expect(await redis.get('io:missing')).toBeNull();
  });

  it('pipelines', async () => {
    const redis = client();
    await redis.connect();
    const results = await redis.pipeline().set('io:p', '1').incr('io:p').incrby('io:p', 10).get('io:p').lpush('io:pl', 'a', 'b').hset('io:ph', 'f', 'v').exec();
    expect(results).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, 12],
      [null, '12'],
      [null, 2],
      [null, 1],
    ]);
  });

  it('MULTI/EXEC, and an aborted transaction', async () => {
    const redis = client();
    await redis.connect();
    expect(await redis.multi().set('io:m', 'x').append('io:m', 'y').get('io:m').exec()).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, 'xy'],
    ]);
    await expect(redis.multi().set('io:m', 'z').call('NOSUCH').exec()).rejects.toThrow(/EXECABORT/);
    expect(await redis.get('io:m')).toBe('xy');
  });

  it('reports command errors', async () => {
    const redis = client();
    await redis.connect();
    await redis.set('io:str', 'x');
    await expect(redis.lpush('io:str', 'a')).rejects.toThrow(/WRONGTYPE/);
    await expect(redis.call('NOSUCH', 'a')).rejects.toThrow(/unknown command 'NOSUCH'/);
  });

  it('publish and subscribe, with channels and patterns', async () => {
    const subscriber = client();
    const publisher = client();
    await Promise.all([subscriber.connect(), publisher.connect()]);
    const received: string[] = [];
    const both = new Promise<void>((resolve) => {
      const check = () => received.length === 2 && resolve();
      subscriber.on('message', (channel, message) => {
        received.push(`message ${channel} ${message}`);
        check();
      });
      subscriber.on('pmessage', (pattern, channel, message) => {
        received.push(`pmessage ${pattern} ${channel} ${message}`);
        check();
      });
    });
    expect(await subscriber.subscribe('io:news')).toBe(1);
    expect(await subscriber.psubscribe('io:*')).toBe(2);
    expect(await publisher.publish('io:news', 'hello')).toBe(2);
    await both;
    expect(received.sort()).toEqual(['message io:news hello', 'pmessage io:* io:news hello']);
    await subscriber.unsubscribe('io:news');
    await subscriber.punsubscribe();
    expect(await subscriber.ping()).toBe('PONG');
  });

  it('auto-pipelines 2,000 concurrent commands', async () => {
    const redis = client({ autoPipelining: true });
    await redis.connect();
    const keys = Array.from({ length: 1000 }, (_, i) => `io:auto:${i}`);
    await Promise.all(keys.map((key, i) => redis.set(key, String(i))));
    const values = await Promise.all(keys.map((key) => redis.get(key)));
    expect(values).toEqual(keys.map((_, i) => String(i)));
  });
});
