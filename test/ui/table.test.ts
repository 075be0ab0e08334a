// The table factory and the charset behind every table: UTF-8 locales keep the box drawing and
// marks rctl has always printed (pinned byte for byte), other locales get ASCII only, and no
// table is ever coloured, whatever the colour library would do by default.

import colors from '@colors/colors/safe';
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../src/cluster/status';
import { NodeFailureError } from '../../src/errors';
import { charsetOf, noColorRequested, stdoutCharsetOf } from '../../src/ui/charset';
import { renderCheckReport } from '../../src/ui/check-report';
import { renderError } from '../../src/ui/error-output';
import { renderStepTable, summaryLine } from '../../src/ui/failover-report';
import { StderrProgress } from '../../src/ui/progress';
import { renderStatusTable } from '../../src/ui/status-table';
import { renderStopTable } from '../../src/ui/stop-table';
import { createTable } from '../../src/ui/table';

const NON_ASCII = /[^\x00-\x7f]/;

describe('charset from the locale', () => {
  it('is Unicode wherever the effective locale names UTF-8, in any spelling', () => {
    for (const locale of ['en_US.UTF-8', 'C.UTF-8', 'de_DE.utf8', 'C.utf-8']) expect(charsetOf({ LANG: locale }), locale).toBe('unicode');
  });

  it('is ASCII for an explicit locale without UTF-8', () => {
    for (const locale of ['C', 'POSIX', 'en_US.ISO-8859-1', 'de_DE@euro']) expect(charsetOf({ LANG: locale }), locale).toBe('ascii');
  });

  it('follows POSIX precedence: LC_ALL, then LC_CTYPE, then LANG; empty counts as unset', () => {
    expect(charsetOf({ LC_ALL: 'C', LC_CTYPE: 'en_US.UTF-8', LANG: 'en_US.UTF-8' })).toBe('ascii');
    expect(charsetOf({ LC_CTYPE: 'en_US.UTF-8', LANG: 'C' })).toBe('unicode');
    expect(charsetOf({ LC_CTYPE: 'POSIX', LANG: 'en_US.UTF-8' })).toBe('ascii');
    expect(charsetOf({ LC_ALL: '', LC_CTYPE: '', LANG: 'C' })).toBe('ascii');
  });

  it('keeps Unicode when no locale is set at all (a stripped environment, as before)', () => {
    expect(charsetOf({})).toBe('unicode');
    expect(charsetOf({ LC_ALL: '', LANG: '' })).toBe('unicode');
  });
});

describe('charset of stdout', () => {
  it('is ASCII when stdout is not a terminal, whatever the locale', () => {
    expect(stdoutCharsetOf({ LANG: 'en_US.UTF-8' }, false)).toBe('ascii');
    expect(stdoutCharsetOf({}, false)).toBe('ascii');
  });

  it('is ASCII on a terminal when NO_COLOR is set to anything but the empty string', () => {
    expect(stdoutCharsetOf({ LANG: 'en_US.UTF-8', NO_COLOR: '1' }, true)).toBe('ascii');
    expect(stdoutCharsetOf({ LANG: 'en_US.UTF-8', NO_COLOR: '' }, true)).toBe('unicode');
    expect(noColorRequested({ NO_COLOR: '0' })).toBe(true);
    expect(noColorRequested({})).toBe(false);
  });

  it('follows the locale on a terminal', () => {
    expect(stdoutCharsetOf({ LANG: 'en_US.UTF-8' }, true)).toBe('unicode');
    expect(stdoutCharsetOf({ LC_ALL: 'C' }, true)).toBe('ascii');
  });
});

describe('createTable', () => {
  it('draws boxes in Unicode and +-| in ASCII', () => {
    const unicode = createTable('unicode', { head: ['A', 'B'] });
    unicode.push(['1', '2']);
    expect(unicode.toString()).toBe(['┌───┬───┐', '│ A │ B │', '├───┼───┤', '│ 1 │ 2 │', '└───┴───┘'].join('\n'));
    const ascii = createTable('ascii', { head: ['A', 'B'] });
    ascii.push(['1', '2']);
    expect(ascii.toString()).toBe(['+---+---+', '| A | B |', '+---+---+', '| 1 | 2 |', '+---+---+'].join('\n'));
  });

  it('truncates a cell with the charset’s ellipsis', () => {
    const table = (charset: 'unicode' | 'ascii') => {
      const t = createTable(charset, { head: ['NAME'], colWidths: [8] });
      t.push(['abcdefghijkl']);
      return t.toString();
    };
    expect(table('unicode')).toContain('abcde… ');
    expect(table('ascii')).toContain('abc... ');
    expect(table('ascii')).not.toMatch(NON_ASCII);
  });

  it('never colours, even when the colour library is switched on (it ignores NO_COLOR and colours pipes when TERM is set)', () => {
    const wasEnabled = colors.enabled;
    colors.enable();
    try {
      for (const charset of ['unicode', 'ascii'] as const) {
        const table = createTable(charset, { head: ['NODE', 'RESULT'] });
        table.push(['master', 'stopped']);
        expect(table.toString()).not.toContain('\x1b[');
      }
    } finally {
      if (!wasEnabled) colors.disable();
    }
  });
});

const VIEW: StatusView = {
  report: {
    topology: 'lab',
    master: 'master',
    healthy: false,
    nodes: [
      { name: 'master', address: '127.0.0.1:7001', reachable: true, role: 'master', linkStatus: null, master: null, offset: 140, lagBytes: null, keys: 3, connectedReplicas: 1, replid: '8d1e0f6a9b2c4d5e', replid2: null, version: '7.2.6', error: null },
      { name: 'replica1', address: '127.0.0.1:7002', reachable: true, role: 'master', linkStatus: null, master: null, offset: 98, lagBytes: null, keys: 3, connectedReplicas: 0, replid: '0a1b2c3d4e5f6071', replid2: null, version: '7.2.6', error: null },
    ],
  },
  details: [
    { declaredRole: 'master', lastIoSecondsAgo: null, loading: false, bundled: true, problems: [] },
    { declaredRole: 'replica', lastIoSecondsAgo: null, loading: false, bundled: false, problems: ['declared replica is a master'] },
  ],
};

describe('renderers on a UTF-8 terminal: byte for byte what rctl printed before the factory', () => {
  it('status table', () => {
    expect(renderStatusTable(VIEW, 'unicode')).toBe(
      [
        '┌──────────┬────────────────┬──────────────┬─────────┬──────┬────────┬────────┬─────┬────────┬──────┬──────────┬──────────┬────────────────────────────────┐',
        '│ NODE     │ ADDRESS        │ VERSION      │ ROLE    │ LINK │ MASTER │ OFFSET │ LAG │ IO AGO │ KEYS │ REPLICAS │ REPLID   │ HEALTH                         │',
        '├──────────┼────────────────┼──────────────┼─────────┼──────┼────────┼────────┼─────┼────────┼──────┼──────────┼──────────┼────────────────────────────────┤',
        '│ master   │ 127.0.0.1:7001 │ 7.2.6 (rctl) │ master  │ -    │ -      │ 140    │ -   │ -      │ 3    │ 1        │ 8d1e0f6a │ ✔                              │',
        '│ replica1 │ 127.0.0.1:7002 │ 7.2.6        │ master! │ -    │ -      │ 98     │ -   │ -      │ 3    │ 0        │ 0a1b2c3d │ ✘ declared replica is a master │',
        '└──────────┴────────────────┴──────────────┴─────────┴──────┴────────┴────────┴─────┴────────┴──────┴──────────┴──────────┴────────────────────────────────┘',
        'lab: DEGRADED; 1 problem (see HEALTH)',
      ].join('\n'),
    );
  });

  it('failover steps and summary, stop table, error line', () => {
    const steps = [
      { step: 'pause writes', node: 'master', ms: 1.25, ok: true },
      { step: 'promote', node: 'replica1', ms: 12, ok: false },
    ];
    expect(renderStepTable(steps, 'unicode')).toBe(
      ['┌──────────────┬──────────┬──────┬────┐', '│ STEP         │ NODE     │   MS │ OK │', '├──────────────┼──────────┼──────┼────┤', '│ pause writes │ master   │  1.3 │ ✔  │', '│ promote      │ replica1 │ 12.0 │ ✘  │', '└──────────────┴──────────┴──────┴────┘'].join('\n'),
    );
    const result = { from: 'master', to: 'replica1', mode: 'graceful' as const, steps, fullResyncs: 0, partialResyncs: 2, writesPausedMs: 14, readsPausedMs: 0, durationMs: 230 };
    expect(summaryLine(result, 'unicode')).toBe('failover master → replica1 (graceful) done in 230 ms, writes paused 14 ms; 0 full resyncs, 2 partial');
    expect(renderStopTable([{ name: 'master', address: '127.0.0.1:7001', outcome: 'stopped', pid: 41, note: null, purged: false }], 'unicode')).toBe(
      ['┌────────┬────────────────┬──────────────────┬──────┐', '│ NODE   │ ADDRESS        │ RESULT           │ NOTE │', '├────────┼────────────────┼──────────────────┼──────┤', '│ master │ 127.0.0.1:7001 │ stopped (pid 41) │      │', '└────────┴────────────────┴──────────────────┴──────┘'].join('\n'),
    );
    expect(renderError(new NodeFailureError('NODE_REFUSED', 'master: connection refused', 'is the node running?'), false, 'unicode').stderr).toBe('rctl: master: connection refused — is the node running?\n');
  });
});

describe('renderers under a non-UTF-8 locale print ASCII only', () => {
  it('status, steps, summary, stop, check and error output', () => {
    const steps = [{ step: 'promote', node: 'replica1', ms: 12, ok: false }];
    const outputs = [
      renderStatusTable(VIEW, 'ascii'),
      renderStepTable(steps, 'ascii'),
      summaryLine({ from: 'master', to: 'replica1', mode: 'forced', steps, fullResyncs: 1, partialResyncs: 0, writesPausedMs: 0, readsPausedMs: 0, durationMs: 80 }, 'ascii'),
      renderStopTable([{ name: 'master', address: '127.0.0.1:7001', outcome: 'killed', pid: 41, note: 'no reply to SHUTDOWN', purged: true }], 'ascii'),
      renderCheckReport(
        { topology: 'lab', clean: false, findings: [{ severity: 'warn', node: 'replica1', code: 'REPLICA_WRITABLE', reason: 'replica-read-only is no', fix: 'redis-cli CONFIG SET replica-read-only yes' }], notices: [], writeRate: null },
        { charset: 'ascii', width: 60, nodeCount: 2 },
      ),
      renderError(new NodeFailureError('NODE_REFUSED', 'master: connection refused', 'is the node running?'), false, 'ascii').stderr,
      renderError(Object.assign(new Error('Nonexistent flag: --bogus'), { oclif: { exit: 2 } }), false, 'ascii').stderr,
    ];
    for (const output of outputs) expect(output).not.toMatch(NON_ASCII);
    expect(outputs[0]).toContain('| replica1 | 127.0.0.1:7002 | 7.2.6        | master! |');
    expect(outputs[0]).toContain('| FAIL declared replica is a master |');
    expect(outputs[1]).toContain('| promote | replica1 | 12.0 | FAIL |');
    expect(outputs[2]).toBe('failover master -> replica1 (forced) done in 80 ms; 1 full resync, 0 partial');
    expect(outputs[5]).toBe('rctl: master: connection refused - is the node running?\n');
    expect(outputs[6]).toBe('rctl: Nonexistent flag: --bogus - see --help\n');
  });

  it('progress on a terminal: ASCII spinner, marks and ellipsis', () => {
    let written = '';
    const progress = new StderrProgress({ write: (text: string) => (written += text), isTTY: true, columns: 30 }, 'ascii', true);
    progress.step('launching master');
    progress.update('waiting for the replication link to come up');
    progress.step('linking replica1');
    progress.stop(true);
    expect(written).not.toMatch(NON_ASCII);
    expect(written).toContain('ok launching master\n');
    expect(written).toContain('FAIL linking replica1\n');
    expect(written).toMatch(/[|/\\-] launching master \(waitin\.\.\.\r/);
  });
});
