// Which topology a command uses: flag or argument, then RCTL_TOPOLOGY, then the last `up`.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/errors';
import { closestMatch, editDistance } from '../../src/topology/did-you-mean';
import { readCurrentTopology, rememberCurrentTopology, rctlHome } from '../../src/state/home';
import { loadSelectedTopology } from '../../src/state/index';
import { chooseTopologyFile } from '../../src/state/select';
import { tempDir } from './temp';

describe('topology selection', () => {
  const home = tempDir('rctl-home-');

  it('prefers the argument or flag, then RCTL_TOPOLOGY, then the last up', () => {
    const env = { RCTL_HOME: home, RCTL_TOPOLOGY: 'from-env.yml' };
    expect(chooseTopologyFile({ flag: 'flag.yml', env })).toEqual({ file: 'flag.yml', from: 'flag' });
    expect(chooseTopologyFile({ argument: 'arg.yml', env })).toEqual({ file: 'arg.yml', from: 'argument' });
    expect(chooseTopologyFile({ env })).toEqual({ file: 'from-env.yml', from: 'RCTL_TOPOLOGY' });
    rememberCurrentTopology(home, '/somewhere/last.yml');
    expect(chooseTopologyFile({ env: { RCTL_HOME: home } })).toEqual({ file: '/somewhere/last.yml', from: 'last up' });
    expect(readCurrentTopology(home)).toBe('/somewhere/last.yml');
  });

  it('refuses two different topologies and explains when there is none', () => {
    expect(() => chooseTopologyFile({ argument: 'a.yml', flag: 'b.yml', env: {} })).toThrow(BadInputError);
    const empty = tempDir('rctl-home-');
    expect(() => chooseTopologyFile({ env: { RCTL_HOME: empty } })).toThrow('no topology given and none brought up yet');
  });

  it('says when the remembered topology is gone', async () => {
    const dir = tempDir('rctl-home-');
    rememberCurrentTopology(dir, join(dir, 'gone.yml'));
    await expect(loadSelectedTopology({ env: { RCTL_HOME: dir } })).rejects.toThrow(`the topology last brought up, ${join(dir, 'gone.yml')}, no longer exists`);
    writeFileSync(join(dir, 'gone.yml'), 'name: back\nnodes:\n  - { name: m, host: 127.0.0.1, port: 1, role: master }\n');
    expect((await loadSelectedTopology({ env: { RCTL_HOME: dir } })).name).toBe('back');
  });

  it('defaults RCTL_HOME to ~/.rctl', () => {
    expect(rctlHome({})).toMatch(/\.rctl$/);
    expect(rctlHome({ RCTL_HOME: '/tmp/x' })).toBe('/tmp/x');
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('nodse', 'nodes')).toBe(1);
  });

  it('suggests only plausible typos', () => {
    expect(closestMatch('hots', ['name', 'host', 'port'])).toBe('host');
    expect(closestMatch('colour', ['name', 'host', 'port'])).toBeUndefined();
    expect(closestMatch('pass', ['password', 'passwordEnv'])).toBe('password');
  });
});
