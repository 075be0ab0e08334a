// Every file (or part of a file) rendered from code rather than written by hand: the JSON Schemas,
// the command reference, the exit- and error-code tables in the README and docs/errors.md, and the
// exit codes in package.json's oclif.description (the root `rctl --help`). scripts/generate.mjs
// writes them; test/output/generated.test.ts fails when a checked-in copy is stale.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeHelp } from '../src/errors';
import { renderJsonSchemas } from '../src/output/json-schemas';
import { refreshGeneratedBlocks } from '../src/output/tables';
import { renderCommandReference, type CommandClassLike } from './command-reference';

export type GeneratedKind = 'schemas' | 'docs';

/** Documents that hold generated blocks between marker comments. */
export const DOCUMENTS_WITH_BLOCKS = ['README.md', 'docs/errors.md'];

/** The root help: the package's one-line description, then the exit-code table. */
export function rootHelp(currentDescription: string): string {
  const intro = currentDescription.split('\n\nEXIT CODES')[0];
  return `${intro}\n\n${exitCodeHelp()}`;
}

/** Repository-relative path to the content it should have. */
export function generatedFiles(root: string, commands: Record<string, CommandClassLike>, kind: GeneratedKind): Map<string, string> {
  const files = new Map<string, string>();
  if (kind === 'schemas') {
    for (const [name, text] of renderJsonSchemas()) files.set(`schemas/${name}`, text);
    return files;
  }
  files.set('docs/commands.md', renderCommandReference(commands));
  for (const document of DOCUMENTS_WITH_BLOCKS) files.set(document, refreshGeneratedBlocks(readFileSync(join(root, document), 'utf8')));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  pkg.oclif.description = rootHelp(pkg.oclif.description);
  files.set('package.json', JSON.stringify(pkg, null, 2) + '\n');
  return files;
}
