// The completion scripts rendered from a registry: valid shell, every command and flag listed, the
// node-name source called only where a node goes. Behaviour in a real bash (COMP_WORDS, COMPREPLY)
// is tested against the built binary in test/cli/conventions.test.ts.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { completionCommands } from '../../commands/completion';
import { renderCompletionScript } from '../../src/ui/completion-script';

const registry = completionCommands([
  { id: 'status', flags: { topology: { type: 'option', char: 't', helpValue: 'FILE' }, json: { type: 'boolean' }, watch: { type: 'option', char: 'w', helpValue: '[SECONDS]' } }, args: { topology: {} } },
  { id: 'promote', flags: { topology: { type: 'option', char: 't', helpValue: 'FILE' }, 'dry-run': { type: 'boolean' } }, args: { node: {} } },
  { id: 'replica:add', flags: { topology: { type: 'option', char: 't' }, launch: { type: 'option', options: ['embedded', 'external'] } }, args: { name: {}, address: {} } },
  { id: 'completion:nodes', hidden: true, flags: {}, args: {} },
]);

describe('completion registry', () => {
  it('drops hidden commands and classifies positionals and flag values', () => {
    expect(registry.map((c) => c.words.join(' '))).toEqual(['promote', 'replica add', 'status']);
    const [promote, add, status] = registry;
    expect(promote).toMatchObject({ positionals: [{ kind: 'node' }], leadingTopology: true });
    expect(add).toMatchObject({ positionals: [{ kind: 'none' }, { kind: 'none' }], leadingTopology: true });
    expect(add.flags.find((f) => f.name === 'launch')?.value).toEqual({ kind: 'words', words: ['embedded', 'external'] });
    expect(status).toMatchObject({ positionals: [{ kind: 'file' }], leadingTopology: false });
    expect(status.flags.find((f) => f.name === 'json')?.value).toBeNull();
    expect(status.flags.find((f) => f.name === 'watch')?.value).toEqual({ kind: 'none' });
  });
});

describe('renderCompletionScript', () => {
  for (const shell of ['bash', 'zsh'] as const) {
    it(`renders ${shell} that bash parses, listing every command and flag`, () => {
      const script = renderCompletionScript(shell, registry);
      // zsh runs these functions through bashcompinit; bash's parser checks them here.
      const parsed = spawnSync('bash', ['-n'], { input: script.replace(/^autoload .*$/gm, ':'), encoding: 'utf8' });
      expect(parsed.status, parsed.stderr).toBe(0);
      expect(script).toContain('complete -o default -F _rctl rctl');
      expect(script).toContain('compgen -W "promote replica status --help --version"');
      expect(script).toContain('compgen -W "add"');
      expect(script).toContain('--dry-run --help --topology -t');
      expect(script).not.toMatch(/^ +completion/m);
    });
  }

  it('asks for node names only where a node goes', () => {
    const script = renderCompletionScript('bash', registry);
    const promote = script.slice(script.indexOf('    promote)'), script.indexOf('    replica\\ add)'));
    expect(promote).toContain('0) COMPREPLY=($(compgen -W "$(_rctl_nodes)"');
    const status = script.slice(script.indexOf('    status)'));
    expect(status).not.toContain('_rctl_nodes');
    expect(renderCompletionScript('zsh', registry)).toMatch(/^#compdef rctl\n/);
  });
});
