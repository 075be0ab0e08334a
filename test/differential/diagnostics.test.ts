// SLOWLOG and MONITOR against a real redis-server 7.0: the same commands on both, then the monitor
// lines and the slow log entries compared, with only what must differ (timestamps, client ports,
// durations, entry ids) masked.

import { expect, it } from 'vitest';
import { describeDifferential, realAndBundledPair } from '../helpers/differential';
import { describeWithRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';

const c = (...args: string[]) => args;
const END = 'end-of-scenario';

const maskLine = (line: string) => line.replace(/^\+\d{10}\.\d{6} /, '+TS ').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

/** Runs the commands on one connection with another in MONITOR mode; returns its lines. */
async function monitorTranscript(host: string, port: number, commands: string[][]): Promise<{ replies: string[]; lines: string[] }> {
  const monitor = await RawConnection.open(host, port);
  const writer = await RawConnection.open(host, port);
  try {
    expect(await monitor.command(['MONITOR'])).toBe('+OK\r\n');
    const replies: string[] = [];
    for (const cmd of commands) replies.push(`${cmd.join(' ')} -> ${(await writer.command(cmd)).trim()}`);
    await writer.command(['ECHO', END]);
    const lines: string[] = [];
    for (;;) {
      const line = (await monitor.readReply(3000)).toString('latin1');
      lines.push(maskLine(line));
      if (line.includes(END)) break;
    }
    return { replies, lines };
  } finally {
    monitor.close();
    writer.close();
  }
}

/** Runs the commands with every command slow enough to log; returns SLOWLOG GET -1, masked. */
async function slowlogTranscript(host: string, port: number, commands: string[][]): Promise<string[]> {
  const conn = await RawConnection.open(host, port);
  try {
    await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await conn.command(['SLOWLOG', 'RESET']);
    for (const cmd of commands) await conn.command(cmd);
    const raw = await conn.command(['SLOWLOG', 'GET', '-1']);
    await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
    // Masks id, time and duration (the first three integers of each entry) and client ports.
    return raw
      .replace(/\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n/g, '*6\r\n:ID\r\n:TIME\r\n:USEC\r\n')
      .replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, '$N\r\n127.0.0.1:PORT\r\n')
      .split('\r\n');
  } finally {
    conn.close();
  }
}

describeWithRedis('differential: MONITOR', () => {
  const servers = realAndBundledPair();

  it('shows each command after it ran, quoted as sdscatrepr; hides admin commands and rejected ones; redacts AUTH and HELLO AUTH', async () => {
    const commands = [
      c('PING'),
      c('SET', 'x', '1'),
      c('SET', 'k', 'a"b\\c\nd\x01\xe9 \t'),
      c('MULTI'),
      c('SET', 'a', '1'),
      c('INCR', 'a'),
      c('EXEC'),
      c('CONFIG', 'SET', 'maxmemory', '0'),
      c('AUTH', 'nobody-uses-this'),
      c('AUTH', 'someone', 'secret'),
      c('HELLO', '2', 'AUTH', 'default', 'secret', 'SETNAME', 'x'),
      c('GET', 'nothing'),
      c('NOSUCHCOMMAND', 'a'),
      c('GET'),
      c('SELECT', '3'),
      c('SET', 'z', '1'),
      c('CLIENT', 'SETNAME', 'abc'),
      c('SLOWLOG', 'LEN'),
      c('INFO', 'server'),
      c('SELECT', '0'),
      c('BLPOP', 'nolist', '0.01'),
      c('MULTI'),
      c('MONITOR'),
      c('EXEC'),
    ];
    const [expected, actual] = await servers.onBoth((host, port) => monitorTranscript(host, port, commands));
    expect(actual.replies.filter((reply) => !reply.startsWith('INFO') && !reply.startsWith('HELLO'))).toEqual(expected.replies.filter((reply) => !reply.startsWith('INFO') && !reply.startsWith('HELLO')));
    expect(actual.lines).toEqual(expected.lines);
    expect(expected.lines.length).toBeGreaterThan(10);
  });

  it('a closed monitor is dropped; MONITOR twice answers once', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const monitor = await RawConnection.open(host, port);
      const transcript: string[] = [];
      transcript.push(await monitor.command(['MONITOR']));
      monitor.send(['MONITOR']);
      monitor.send(['PING']);
      // The second MONITOR has no reply: the next thing read is the monitor line of PING... or its +PONG.
      transcript.push(maskLine((await monitor.readReply(3000)).toString('latin1')));
      transcript.push(maskLine((await monitor.readReply(3000)).toString('latin1')));
      monitor.close();
      const other = await RawConnection.open(host, port);
      transcript.push(await other.command(['SET', 'after', 'close']));
      other.close();
      return transcript;
    });
    expect(actual).toEqual(expected);
  });
});

describeWithRedis('differential: SLOWLOG', () => {
  const servers = realAndBundledPair();

  it('logs every command at threshold 0: long arguments and argument lists shortened, secrets redacted, newest first', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const commands = [
      c('SET', 'key', 'v'.repeat(300)),
      c('SADD', 'set', ...many),
      c('CLIENT', 'SETNAME', 'slowpoke'),
      c('CONFIG', 'SET', 'masterauth', 'very-secret'),
      c('CONFIG', 'SET', 'maxmemory', '0', 'masterauth', 'x'),
      c('AUTH', 'nobody', 'wrong'),
      c('MULTI'),
      c('INCR', 'n'),
      c('EXEC'),
      c('GET', 'key'),
      c('NOSUCHCOMMAND'),
    ];
    const [expected, actual] = await servers.onBoth((host, port) => slowlogTranscript(host, port, commands));
    expect(actual).toEqual(expected);
    expect(expected.join('\n')).toContain('more bytes');
  });

  it('slowlog-max-len trims the oldest entries; a negative threshold logs nothing', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        const out: string[] = [];
        await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
        await conn.command(['SLOWLOG', 'RESET']);
        for (let i = 0; i < 5; i++) await conn.command(['SET', `k${i}`, 'v']);
        await conn.command(['CONFIG', 'SET', 'slowlog-max-len', '3']);
        out.push(await conn.command(['SLOWLOG', 'LEN']));
        await conn.command(['PING']);
        out.push(await conn.command(['SLOWLOG', 'LEN']));
        await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '-1']);
        await conn.command(['SLOWLOG', 'RESET']);
        await conn.command(['SET', 'x', 'y']);
        out.push(await conn.command(['SLOWLOG', 'LEN']));
        await conn.command(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
        await conn.command(['CONFIG', 'SET', 'slowlog-max-len', '128']);
        return out;
      } finally {
        conn.close();
      }
    });
    expect(actual).toEqual(expected);
  });
});

describeDifferential('SLOWLOG arguments', [
  {
    name: 'HELP, LEN, GET counts and their errors',
    steps: [
      c('SLOWLOG', 'HELP'),
      c('SLOWLOG', 'RESET'),
      c('SLOWLOG', 'LEN'),
      c('SLOWLOG', 'GET'),
      c('SLOWLOG', 'GET', '0'),
      c('SLOWLOG', 'GET', '-2'),
      c('SLOWLOG', 'GET', 'x'),
      c('SLOWLOG', 'GET', '1', '2'),
      c('SLOWLOG', 'LEN', 'x'),
      c('SLOWLOG', 'NOPE'),
      c('SLOWLOG'),
    ],
  },
]);

describeDifferential('LATENCY with the monitor off and nothing recorded', [
  {
    name: 'HELP, DOCTOR (disabled), LATEST, HISTORY, RESET, GRAPH and arity errors',
    steps: [
      c('CONFIG', 'SET', 'latency-monitor-threshold', '0'),
      c('LATENCY', 'RESET'),
      c('LATENCY', 'HELP'),
      c('LATENCY', 'DOCTOR'),
      c('LATENCY', 'LATEST'),
      c('LATENCY', 'HISTORY', 'command'),
      c('LATENCY', 'RESET', 'command', 'nothing'),
      c('LATENCY', 'GRAPH', 'command'),
      c('LATENCY', 'HISTORY'),
      c('LATENCY', 'LATEST', 'x'),
      c('LATENCY', 'NOPE'),
      c('CONFIG', 'SET', 'latency-monitor-threshold', '5'),
      c('LATENCY', 'DOCTOR'),
      c('CONFIG', 'SET', 'latency-monitor-threshold', '0'),
    ],
  },
]);

describeWithRedis('differential: LATENCY after a slow command', () => {
  // DEBUG SLEEP makes the slow command; both refuse DEBUG unless enabled.
  const servers = realAndBundledPair({ 'enable-debug-command': 'yes' });

  it('a 60 ms DEBUG SLEEP is a "command" spike: LATEST, HISTORY, GRAPH and DOCTOR agree with Redis once the milliseconds are masked', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['LATENCY', 'RESET']);
        await conn.command(['CONFIG', 'SET', 'latency-monitor-threshold', '20']);
        await conn.command(['PING']);
        await conn.command(['DEBUG', 'SLEEP', '0.06']);
        const out = {
          latest: await conn.command(['LATENCY', 'LATEST']),
          history: await conn.command(['LATENCY', 'HISTORY', 'command']),
          graph: await conn.command(['LATENCY', 'GRAPH', 'command']),
          doctor: await conn.command(['LATENCY', 'DOCTOR']),
          resets: await conn.command(['LATENCY', 'RESET', 'COMMAND']),
        };
        await conn.command(['CONFIG', 'SET', 'latency-monitor-threshold', '0']);
        return out;
      } finally {
        conn.close();
      }
    });
    for (const reply of [expected, actual]) {
      // The sleep is at least 60 ms on both; more depends on the machine.
      const latency = Number(/\$7\r\ncommand\r\n:\d+\r\n:(\d+)\r\n/.exec(reply.latest)?.[1]);
      expect(latency).toBeGreaterThanOrEqual(60);
    }
    const mask = (text: string) => text.replace(/:\d{9,}\r\n/g, ':TIME\r\n').replace(/\d+ ?ms/g, 'N ms').replace(/:\d+\r\n/g, ':N\r\n').replace(/[=$]\d+\r\n/g, '$LEN\r\n').replace(/period \d+\.\d+ sec/, 'period P sec');
    expect(mask(actual.latest)).toBe(mask(expected.latest));
    expect(mask(actual.history)).toBe(mask(expected.history));
    expect(mask(actual.graph)).toBe(mask(expected.graph));
    expect(mask(actual.doctor)).toBe(mask(expected.doctor));
    expect(actual.resets).toBe(expected.resets);
  });
});

describeWithRedis('differential: latency tracking', () => {
  const servers = realAndBundledPair({ 'enable-debug-command': 'yes' });

  it('LATENCY HISTOGRAM names and counts, INFO latencystats lines, CONFIG RESETSTAT clearing them', async () => {
    const [expected, actual] = await servers.onBoth(async (host, port) => {
      const conn = await RawConnection.open(host, port);
      try {
        await conn.command(['CONFIG', 'RESETSTAT']);
        await conn.command(['SET', 'a', 'b']);
        await conn.command(['SET', 'c', 'd']);
        await conn.command(['GET', 'a']);
        await conn.command(['CLIENT', 'ID']);
        await conn.command(['DEBUG', 'SLEEP', '0.05']);
        // Only the names and counts: the microseconds depend on the machine.
        const histogram = await conn.command(['LATENCY', 'HISTOGRAM', 'set', 'get', 'client', 'nosuch']);
        const names = (reply: string) => reply.split('\r\n').filter((line) => /^[a-z|]+$/.test(line) && line !== 'calls' && line !== 'histogram_usec');
        const all = names(await conn.command(['LATENCY', 'HISTOGRAM']));
        const info = await conn.command(['INFO', 'latencystats']);
        const lines = info.split('\r\n').filter((line) => line.startsWith('latency_percentiles_usec_'));
        const debugP50 = Number(/latency_percentiles_usec_debug:p50=([\d.]+)/.exec(info)?.[1]);
        await conn.command(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 12.5 100']);
        const configured = (await conn.command(['INFO', 'latencystats'])).split('\r\n').find((line) => line.startsWith('latency_percentiles_usec_get:'));
        await conn.command(['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']);
        await conn.command(['CONFIG', 'SET', 'latency-tracking', 'no']);
        await conn.command(['SET', 'x', 'y']);
        await conn.command(['CONFIG', 'SET', 'latency-tracking', 'yes']);
        await conn.command(['CONFIG', 'RESETSTAT']);
        const afterReset = names(await conn.command(['LATENCY', 'HISTOGRAM']));
        return {
          histogramCalls: [...histogram.matchAll(/\$(\d+)\r\n([a-z|]+)\r\n[%*]\d\r\n\$5\r\ncalls\r\n:(\d+)/g)].map((m) => `${m[2]}=${m[3]}`).sort(),
          all: all.sort(),
          infoKeys: lines.map((line) => line.replace(/=[\d.]+/g, '=N')).sort(),
          debugOver50ms: debugP50 >= 50_000,
          configured: configured?.replace(/=[\d.]+/g, '=N'),
          afterReset,
        };
      } finally {
        conn.close();
      }
    });
    expect(actual).toEqual(expected);
    expect(expected.debugOver50ms).toBe(true);
    expect(expected.histogramCalls).toEqual(['client|id=1', 'get=1', 'set=2']);
  });
});
