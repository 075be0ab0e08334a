// The command classes by id, listed from commands/ the way scripts/build.mjs lists them, for tests
// that render from them without the build.

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandClassLike } from '../../scripts/command-reference';

const commandsDir = join(__dirname, '..', '..', 'commands');

function commandFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => !entry.startsWith('_'))
    .flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return commandFiles(full);
      return entry.endsWith('.ts') ? [full] : [];
    });
}

export async function loadCommandClasses(): Promise<Record<string, CommandClassLike>> {
  const commands: Record<string, CommandClassLike> = {};
  for (const file of commandFiles(commandsDir)) {
    const id = relative(commandsDir, file).replace(/\.ts$/, '').split('/').join(':');
    commands[id] = ((await import(file)) as { default: CommandClassLike }).default;
  }
  return commands;
}
