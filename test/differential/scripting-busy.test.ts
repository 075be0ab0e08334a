// A script running past busy-reply-threshold: other clients get -BUSY, SCRIPT KILL / FUNCTION KILL
// stop it (or refuse once it wrote), and the caller gets Redis's error. The same sequence runs on
// redis-server 7.0.15 and on the bundled node; every reply is compared byte for byte.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { describeWithRedis, startRedisServer, type RedisProcess } from '../helpers/redis-server';
import { startNode } from '../helpers/bundled-node';
import type { RunningServer } from '../../src/server';
import { eventually } from '../helpers/wait';

interface Target {
  host: string;
  port: number;
}

const LOOP_FOREVER = 'local i = 0 while true do i = i + 1 end';
const WRITE_THEN_LOOP_A_WHILE =
  "redis.call('SET', KEYS[1], 'written') local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] " +
  "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 1500000 return 'finished'";
const LIBRARY = "#!lua name=busylib\nredis.register_function('spin', function() local i = 0 while true do i = i + 1 end end)";

async function send(target: Target, args: string[]): Promise<string> {
  const connection = await RawConnection.open(target.host, target.port);
  try {
    connection.send(args);
    return (await connection.readReply()).toString('latin1');
  } finally {
    connection.close();
  }
}

/** Starts `args` on its own connection and returns the pending reply. */
async function start(target: Target, args: string[]): Promise<{ reply: Promise<string>; close: () => void }> {
  const connection = await RawConnection.open(target.host, target.port);
  connection.send(args);
  return { reply: connection.readReply(20_000).then((buffer) => buffer.toString('latin1')), close: () => connection.close() };
}

async function untilBusy(target: Target): Promise<string> {
  return eventually(async () => {
    const reply = await send(target, ['PING']);
    return reply.startsWith('-BUSY') ? reply : false;
  }, { timeout: 10_000, interval: 20, what: 'the script to turn busy' });
}

/** The scenario, run on one server; returns every reply in order. */
async function scenario(target: Target): Promise<string[]> {
  const replies: string[] = [];
  replies.push(await send(target, ['CONFIG', 'SET', 'busy-reply-threshold', '100']));
  replies.push(await send(target, ['SCRIPT', 'KILL']));
  replies.push(await send(target, ['FUNCTION', 'KILL']));

  // A read-only loop: killed. A transaction whose EXEC arrives meanwhile is aborted whole.
  const transaction = await RawConnection.open(target.host, target.port);
  replies.push(await transaction.command(['MULTI']));
  replies.push(await transaction.command(['INCR', 'busy:counter']));
  const looping = await start(target, ['EVAL', LOOP_FOREVER, '0']);
  replies.push(await untilBusy(target));
  replies.push(await transaction.command(['INCR', 'busy:counter']));
  replies.push(await transaction.command(['EXEC']));
  replies.push(await send(target, ['GET', 'anything']));
  replies.push(await send(target, ['FUNCTION', 'KILL']));
  replies.push(await send(target, ['SCRIPT', 'KILL']));
  replies.push(await looping.reply);
  looping.close();
  replies.push(await send(target, ['PING']));
  replies.push(await transaction.command(['PING', 'out of the transaction']));
  replies.push(await send(target, ['GET', 'busy:counter']));
  transaction.close();

  // A script that wrote: unkillable, it runs to its end.
  const writing = await start(target, ['EVAL', WRITE_THEN_LOOP_A_WHILE, '1', 'busy:key']);
  replies.push(await untilBusy(target));
  replies.push(await send(target, ['SCRIPT', 'KILL']));
  replies.push(await writing.reply);
  writing.close();
  replies.push(await send(target, ['GET', 'busy:key']));

  // A function: FUNCTION KILL stops it, SCRIPT KILL names the other kind.
  replies.push(await send(target, ['FUNCTION', 'LOAD', 'REPLACE', LIBRARY]));
  const spinning = await start(target, ['FCALL', 'spin', '0']);
  const busy = await untilBusy(target);
  replies.push(busy);
  replies.push(await send(target, ['SCRIPT', 'KILL']));
  replies.push(await send(target, ['FUNCTION', 'KILL']));
  replies.push(await spinning.reply);
  spinning.close();
  replies.push(await send(target, ['FUNCTION', 'DELETE', 'busylib']));
  return replies;
}

describeWithRedis('scripting: busy scripts, -BUSY, SCRIPT KILL and FUNCTION KILL', () => {
  let redis: RedisProcess;
  let node: RunningServer;

  beforeAll(async () => {
    [redis, node] = await Promise.all([startRedisServer(), startNode({ config: { port: 0, save: '' }, keepLog: true })]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), node?.close()]);
  });

  it('answers the same replies as redis-server, in the same order', async () => {
    const [expected, actual] = await Promise.all([scenario(redis), scenario(node)]);
    expect(actual).toEqual(expected);
    // The sequence really went through a busy state and a kill (the scenario is not vacuous).
    expect(expected.some((reply) => reply.startsWith('-ERR Script killed by user'))).toBe(true);
    expect(expected.some((reply) => reply.startsWith('-UNKILLABLE'))).toBe(true);
  }, 60_000);

  it('logs the slow script and the kill, as redis-server does', async () => {
    const log = node.server.logger.memory ?? [];
    expect(log.join('\n')).toMatch(/Slow script detected: still in execution after \d+ milliseconds/);
  });
});
