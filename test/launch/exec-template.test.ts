import { describe, expect, it } from 'vitest';
import { fillExecTemplate, runExecTemplate, validateExecTemplate } from '../../src/launch/exec-template';
import { parseVersionLine } from '../../src/launch/binary-version';
import type { TopologyNode } from '../../src/topology/model';

const node = { name: 'n1', host: '10.0.0.58', port: 6379 };

describe('--exec templates', () => {
  it('fills {name}, {host} and {port}, leaving the shell its own braces', () => {
    expect(fillExecTemplate('ssh {host} sudo systemctl restart redis@{port} # {name} ${HOME} {a,b}', node)).toBe('ssh 10.0.0.58 sudo systemctl restart redis@6379 # n1 ${HOME} {a,b}');
  });

  it('quotes values sh would split, and drops IPv6 brackets', () => {
    expect(fillExecTemplate('echo {host}', { ...node, host: '[::1]' })).toBe('echo ::1');
    expect(fillExecTemplate('echo {name}', { ...node, name: "it's me" })).toBe(`echo 'it'\\''s me'`);
  });

  it('rejects an empty template and an unknown placeholder with exit 2', () => {
    expect(() => validateExecTemplate('  ')).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 2 }));
    expect(() => validateExecTemplate('ssh {hostname} restart')).toThrow(/unknown placeholder \{hostname\}/);
    expect(() => validateExecTemplate('ssh {host} "${X}" {a,b}')).not.toThrow();
  });

  it('runs the command with sh and reports a failure with its last line (exit 4 EXEC_FAILED)', async () => {
    const target = { ...node, host: '127.0.0.1', address: '127.0.0.1:6379' } as TopologyNode;
    await expect(runExecTemplate('test {port} = 6379', target, 5000)).resolves.toMatchObject({ command: 'test 6379 = 6379' });
    await expect(runExecTemplate('echo first; echo "no such unit {name}" >&2; exit 3', target, 5000)).rejects.toMatchObject({
      code: 'EXEC_FAILED',
      exitCode: 4,
      message: expect.stringContaining('exited with code 3: no such unit n1'),
    });
    await expect(runExecTemplate('sleep 5', target, 200)).rejects.toMatchObject({ message: expect.stringContaining('did not finish within 0.2s') });
  });
});

describe('binary versions', () => {
  it('reads redis-server and bundled node --version lines', () => {
    expect(parseVersionLine('Redis server v=6.2.16 sha=00000000:0 malloc=libc bits=64 build=5587c6fbfc7ed672')).toEqual({ version: '6.2.16', bundled: false });
    expect(parseVersionLine('Redis server v=7.0.15 sha=00000000:0 malloc=libc bits=64 build=rctl-node-0.1.0')).toEqual({ version: '7.0.15', bundled: true });
    expect(parseVersionLine('usage: something else')).toBeNull();
  });
});

describe('--exec commands that leave processes behind', () => {
  // A command whose output pipe a daemon kept open would never return: the test would time out.
  it('returns when the command exits, although a daemon it started keeps running', async () => {
    const target = { ...node, host: '127.0.0.1', address: '127.0.0.1:6379' } as TopologyNode;
    await expect(runExecTemplate('sleep 120 & echo started', target, 300_000)).resolves.toMatchObject({ command: 'sleep 120 & echo started' });
  });
});
