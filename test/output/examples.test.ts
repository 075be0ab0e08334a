// `--help` examples are written for runbooks: every command has some, the topology commands show
// the positional form, and the forms operators copy (the card's failover, dry runs, --json into
// jq) are there. docs/commands.md is rendered from the same fields (generated.test.ts).

import { describe, expect, it } from 'vitest';
import { loadCommandClasses } from './commands';

type Example = string | { description: string; command: string };

const commandOf = (example: Example) => (typeof example === 'string' ? example : example.command).replace(/<%= config\.bin %>/g, 'rctl');

describe('command examples', () => {
  it('every visible command has at least one, each described and running the command', async () => {
    const commands = await loadCommandClasses();
    const visible = Object.entries(commands).filter(([, command]) => !command.hidden);
    expect(visible.length).toBeGreaterThanOrEqual(14);
    for (const [id, command] of visible) {
      const examples = (command.examples ?? []) as Example[];
      expect(examples.length, id).toBeGreaterThanOrEqual(1);
      for (const example of examples) {
        expect(typeof example === 'object' && example.description.length > 0, `${id}: ${JSON.stringify(example)}`).toBe(true);
        expect(commandOf(example), id).toContain(`rctl ${id.split(':').join(' ')}`);
      }
    }
  });

  it('every command that takes a topology shows it as the first argument in one example', async () => {
    const commands = await loadCommandClasses();
    for (const [id, command] of Object.entries(commands)) {
      // discover writes a topology file rather than reading one.
      if (command.hidden || !command.baseFlags?.topology || id === 'discover') continue;
      const words = id.split(':');
      const positional = ((command.examples ?? []) as Example[]).map(commandOf).some((line) => {
        const rest = line.split(' ').slice(1 + words.length);
        return /\.ya?ml$/.test(rest[0] ?? '');
      });
      expect(positional, id).toBe(true);
    }
  });

  it('has the runbook forms: the card’s failover, dry runs, and --json piped into jq', async () => {
    const all = Object.values(await loadCommandClasses()).flatMap((command) => ((command.examples ?? []) as Example[]).map(commandOf));
    expect(all).toContain('rctl failover --promote 10.0.0.17');
    for (const id of ['failover', 'promote', 'restart', 'upgrade', 'replica add']) expect(all.some((line) => line.startsWith(`rctl ${id} `) && line.includes('--dry-run')), id).toBe(true);
    for (const id of ['status', 'check', 'failover', 'restart', 'upgrade', 'backup', 'up', 'replicaof']) {
      expect(all.some((line) => line.startsWith(`rctl ${id} `) && /--json \| jq /.test(line)), id).toBe(true);
    }
  });
});
