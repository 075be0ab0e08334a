// Issue 7, input fuzzing: the replication stream into bundled replicas, mutated. A scripted
// master completes the handshake and a full sync with a valid RDB (or accepts a partial resync),
// then sends a mutated command stream: flipped bytes, truncation, garbage, absurd bulk and
// multibulk lengths, NULs, spliced ranges, bad inline lines. The node must log, drop the link
// when the stream is broken, resync, and never crash: its process stays up and another client
// keeps getting PONG. At the end every replica takes a clean full sync and must hold exactly
// the data a real redis-server replica of the same master holds.
//
// Reproducible: RCTL_FUZZ_SEED and RCTL_FUZZ_ROUNDS choose the run (the seed is printed).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type Redis from 'ioredis';
import { faultScenario } from './harness/scenario';
import { FakeMaster, type MasterSession } from './harness/fake-master';
import { FaultNode } from './harness/nodes';
import { MUTATIONS, Random, mutate, validStream } from './harness/stream-mutator';
import { dumpNode } from './harness/link';
import { redisServerPath } from '../helpers/redis-server';
import { encodeCommand } from '../helpers/raw-connection';
import { databaseFromMaps, writeRdbToBuffer } from '../../src/server/rdb/writer';
import type { Value } from '../../src/server/keyspace/values';

const SEED = Number(process.env.RCTL_FUZZ_SEED ?? 7_2026_11);
const ROUNDS = Number(process.env.RCTL_FUZZ_ROUNDS ?? 200);
const REPLICAS = 4;
const REPLID = 'fa'.repeat(20);
/** How long a round waits for the replica to react to its stream before the master hangs up. */
const REACTION_MS = 400;
const PING_EVERY_MS = 25;
/** A JavaScript exception with its stack in the node's output: something threw that should not have. */
const STACK_TRACE = /\b(\w*Error|Uncaught|Unhandled)\b.*\n\s+at /;

const GETACK = encodeCommand(['REPLCONF', 'GETACK', '*']);

function snapshotRdb(): Buffer {
  const data = new Map<string, Value>([
    ['k1', 'from-rdb'],
    ['counter', '41'],
    ['hash', new Map([['f1', 'v1']])],
    ['set', new Set(['a', 'b'])],
  ]);
  return writeRdbToBuffer({ databases: [databaseFromMaps(0, data, new Map()), databaseFromMaps(2, new Map([['other', 'db2']]), new Map())] });
}

/** The stream every replica gets once fuzzing is over; ends with `final`, so its arrival is visible. */
function finalStream(): Buffer {
  return Buffer.concat([validStream(new Random(SEED ^ 0x5eed), 300), encodeCommand(['SELECT', '0']), encodeCommand(['SET', 'final', 'done'])]);
}

faultScenario(
  'replication stream fuzz',
  [{ master: 'bundled', replica: 'bundled', label: `fake master -> ${REPLICAS} bundled` }],
  async (context) => {
    const { row } = context;
    process.stdout.write(`replication stream fuzz: seed ${SEED}, ${ROUNDS} rounds (RCTL_FUZZ_SEED / RCTL_FUZZ_ROUNDS to change)\n`);
    row.fault = `${ROUNDS} mutated replication streams (seed ${SEED}): ${MUTATIONS.join(', ')}`;
    row.expected = 'node logs, drops the link, resyncs; never crashes; PING always answered';
    const rdb = snapshotRdb();
    const final = finalStream();
    const outcomes = { droppedByNode: 0, linkKept: 0, noReaction: 0, truncated: 0 };
    /** ACK offsets beyond the stream: the replica counted bytes it never received. */
    let ackBeyondStream = 0;
    const lastRoundOf = new Map<number, { round: number; kind: string; bytes: Buffer }>();
    let nextRound = 0;
    let roundsDone = 0;

    const runRound = async (session: MasterSession, round: number) => {
      const random = new Random(SEED + round * 7919);
      const kind = MUTATIONS[round % MUTATIONS.length];
      const stream = mutate(random, validStream(random, 20 + random.int(40)), kind);
      lastRoundOf.set(session.request.replicaPort, { round, kind, bytes: stream });
      const { socket } = session;
      const full = session.request.replid !== REPLID || random.int(3) !== 0;
      if (full) {
        socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`);
        socket.write(rdb);
        // The replica ACKs once the RDB is loaded: only then does the stream start.
        if ((await session.nextSign(5000)).kind !== 'ack') {
          socket.end();
          return;
        }
      } else {
        socket.write(`+CONTINUE ${REPLID}\r\n`);
      }
      // A replica that applied every byte answers the final GETACK with exactly this offset (a
      // GETACK's own bytes count only once it has been answered, as in Redis).
      const startOffset = full ? 0 : session.request.offset - 1;
      const endOffset = startOffset + stream.length;
      const cut = random.int(stream.length);
      socket.write(stream.subarray(0, cut));
      socket.write(stream.subarray(cut));
      if (kind === 'truncate') {
        outcomes.truncated++;
        socket.end();
        return;
      }
      socket.write(GETACK);
      const until = Date.now() + REACTION_MS;
      for (;;) {
        // ACKs for GETACKs inside the stream come first: wait for the one after everything.
        const sign = await session.nextSign(Math.max(0, until - Date.now()));
        if (sign.kind === 'ack' && sign.offset > endOffset) ackBeyondStream++;
        if (sign.kind === 'ack' && sign.offset < endOffset) continue;
        if (sign.kind === 'closed') outcomes.droppedByNode++;
        else if (sign.kind === 'ack') outcomes.linkKept++;
        else outcomes.noReaction++;
        break;
      }
      socket.end();
    };

    const master = await new FakeMaster((session) => {
      const round = nextRound++;
      if (round >= ROUNDS) {
        session.socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`);
        session.socket.write(rdb);
        session.socket.write(final);
        return;
      }
      void runRound(session, round).finally(() => roundsDone++);
    }).listen();
    context.defer(() => master.close());

    const replicas: FaultNode[] = [];
    for (let i = 0; i < REPLICAS; i++) {
      const node = await FaultNode.start('bundled', `fuzzed${i}`, { replicaof: `${master.host} ${master.port}`, 'repl-timeout': '2' });
      context.defer(() => node.close());
      replicas.push(node);
    }

    const pings = { ok: 0, failed: 0, lastError: '' };
    let pinging = true;
    const pingLoops = replicas.map(async (node) => {
      // A hung event loop must show up as failed PINGs, not as a ping that never returns.
      const client: Redis = node.client(0, { commandTimeout: 2000 });
      while (pinging) {
        try {
          if ((await client.ping()) === 'PONG') pings.ok++;
          else pings.failed++;
        } catch (error) {
          pings.failed++;
          pings.lastError = (error as Error).message;
        }
        await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
      }
    });
    context.defer(async () => {
      pinging = false;
      await Promise.all(pingLoops);
    });

    /** Fails fast, with the stream that did it saved to a file, as soon as a node dies. */
    const checkAlive = () => {
      for (const node of replicas) {
        if (node.running) continue;
        const last = lastRoundOf.get(node.port);
        const dir = mkdtempSync(join(tmpdir(), 'rctl-fuzz-crash-'));
        if (last) writeFileSync(join(dir, `round-${last.round}-${last.kind}.bin`), last.bytes);
        throw new Error(`${node.label} died (${JSON.stringify(node.lastExit)}) after round ${last?.round} (${last?.kind}); stream saved in ${dir}\n${node.log().slice(-4000)}`);
      }
    };

    const deadline = Date.now() + 90_000;
    while (roundsDone < ROUNDS) {
      checkAlive();
      if (Date.now() > deadline) throw new Error(`only ${roundsDone}/${ROUNDS} rounds ran: ${JSON.stringify(outcomes)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const fuzzEnd = Date.now();

    // Every replica now gets a clean full sync; a real redis-server replica of the same master is the reference.
    const reference = redisServerPath ? await FaultNode.start('redis', 'reference', { replicaof: `${master.host} ${master.port}` }) : null;
    if (reference) context.defer(() => reference.close());
    const synced = async (node: FaultNode) => {
      const info = await node.info();
      return info.master_link_status === 'up' && Number(info.master_repl_offset) === final.length;
    };
    for (const node of [...replicas, ...(reference ? [reference] : [])]) {
      while (!(await synced(node).catch(() => false))) {
        checkAlive();
        if (Date.now() > deadline) throw new Error(`${node.label} never took the clean sync:\n${node.log().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    row.recoveryMs = Date.now() - fuzzEnd;
    pinging = false;
    await Promise.all(pingLoops);
    checkAlive();

    const dumps = await Promise.all(replicas.map((node) => dumpNode(node)));
    const expected = reference ? await dumpNode(reference) : dumps[0];
    const stackTraces = replicas.filter((node) => STACK_TRACE.test(node.log()));
    const protocolErrors = replicas.reduce((sum, node) => sum + (node.log().match(/Protocol error from MASTER/g) ?? []).length, 0);
    const identical = dumps.every((dump) => JSON.stringify(dump) === JSON.stringify(expected));
    row.observed =
      `link dropped by the node ${outcomes.droppedByNode}, kept (all bytes applied) ${outcomes.linkKept}, no reaction in ${REACTION_MS} ms ${outcomes.noReaction}, ` +
      `truncated ${outcomes.truncated}; ${protocolErrors} protocol errors logged; PING ok ${pings.ok}, failed ${pings.failed}; ` +
      `crashes 0; exceptions ${stackTraces.length}; final sync ${identical ? 'identical' : 'DIFFERS'}${reference ? ' to redis-server' : ''}`;
    context.save();

    expect(pings.failed, pings.lastError).toBe(0);
    expect(ackBeyondStream).toBe(0);
    expect(stackTraces.map((node) => node.log().match(new RegExp(`.*${STACK_TRACE.source}.*`))?.[0])).toEqual([]);
    // The fuzzing reached the error paths: broken streams made the node log and hang up.
    expect(outcomes.droppedByNode).toBeGreaterThan(0);
    expect(protocolErrors).toBeGreaterThan(0);
    for (const dump of dumps) expect(dump).toEqual(expected);
    expect(dumps[0]['0']?.final?.value).toBe('done');
  },
  { timeoutMs: 150_000 },
);
