// bench:server --scripts: what applications run through scripting and streams, on the node and on
// redis-server alike. A rate limiter as EVALSHA (INCR, EXPIRE on the first hit) and as FCALL, and
// XADD with approximate trimming. Each workload's setup (SCRIPT LOAD, FUNCTION LOAD) runs first
// and its result is checked, so a server that cannot run it fails the bench instead of timing errors.

import { commandOnce } from './resp';

export const RATE_LIMITER = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 60) end return n";
const RATE_LIMITER_LIBRARY = `#!lua name=benchlib\nredis.register_function('hit', function(keys) ${RATE_LIMITER.replace('KEYS[1]', 'keys[1]').replace('KEYS[1]', 'keys[1]')} end)`;

export interface ScriptWorkload {
  name: string;
  /** Prepares the server; returns the command redis-benchmark sends. */
  prepare(port: number): Promise<string[]>;
}

export const SCRIPT_WORKLOADS: ScriptWorkload[] = [
  {
    name: 'EVALSHA rate limiter',
    async prepare(port) {
      const sha = await commandOnce(port, 'SCRIPT', 'LOAD', RATE_LIMITER);
      if (typeof sha !== 'string' || sha.length !== 40) throw new Error(`SCRIPT LOAD answered ${JSON.stringify(sha)}`);
      const first = await commandOnce(port, 'EVALSHA', sha, '1', 'bench:check');
      if (Number(first) !== 1) throw new Error(`EVALSHA answered ${JSON.stringify(first)}`);
      return ['EVALSHA', sha, '1', 'rl:__rand_int__'];
    },
  },
  {
    name: 'FCALL rate limiter',
    async prepare(port) {
      const loaded = await commandOnce(port, 'FUNCTION', 'LOAD', 'REPLACE', RATE_LIMITER_LIBRARY);
      if (loaded !== 'benchlib') throw new Error(`FUNCTION LOAD answered ${JSON.stringify(loaded)}`);
      const first = await commandOnce(port, 'FCALL', 'hit', '1', 'bench:fcheck');
      if (Number(first) !== 1) throw new Error(`FCALL answered ${JSON.stringify(first)}`);
      return ['FCALL', 'hit', '1', 'fl:__rand_int__'];
    },
  },
  {
    name: 'XADD MAXLEN ~ 1000',
    async prepare(port) {
      const id = await commandOnce(port, 'XADD', 'bench:xcheck', '*', 'f', 'v');
      if (typeof id !== 'string' || !id.includes('-')) throw new Error(`XADD answered ${JSON.stringify(id)}`);
      return ['XADD', 'xs:__rand_int__', 'MAXLEN', '~', '1000', '*', 'field', 'value'];
    },
  },
];

export interface ScriptsRow {
  workload: string;
  pipeline: number;
  node: number[];
  redis: number[];
  medianNode: number;
  medianRedis: number;
  ratio: number;
  /** Server CPU time per request (user + system), medians: steadier than req/s on a shared machine. */
  cpuUsNode: number;
  cpuUsRedis: number;
}
