// The generated files and blocks (schemas/, docs/commands.md, the code tables in README.md and
// docs/errors.md, package.json's root help) match what their sources render now.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeHelp } from '../../src/errors';
import { generatedBlocksIn } from '../../src/output/tables';
import { generatedFiles } from '../../scripts/generated-files';
import { loadCommandClasses } from './commands';

const root = join(__dirname, '..', '..');
const onDisk = (path: string) => readFileSync(join(root, path), 'utf8');

describe('generated files are up to date', () => {
  it('schemas/ holds the JSON Schemas of src/output/schemas.ts (npm run schemas)', () => {
    for (const [path, text] of generatedFiles(root, {}, 'schemas')) expect(onDisk(path), `${path} is stale: run npm run schemas`).toBe(text);
  });

  it('docs/commands.md, the README and docs/errors.md tables and package.json match their sources (npm run docs)', async () => {
    for (const [path, text] of generatedFiles(root, await loadCommandClasses(), 'docs')) expect(onDisk(path), `${path} is stale: run npm run docs`).toBe(text);
  });

  it('the README and docs/errors.md carry both the exit-code and the error-code table', () => {
    expect(generatedBlocksIn(onDisk('README.md'))).toEqual(['exit-codes', 'error-codes']);
    expect(generatedBlocksIn(onDisk('docs/errors.md'))).toEqual(['exit-codes', 'error-codes']);
  });

  it('the root help (package.json oclif.description) ends with the exit-code table of src/errors.ts', () => {
    const description: string = JSON.parse(onDisk('package.json')).oclif.description;
    expect(description.endsWith(`\n\n${exitCodeHelp()}`)).toBe(true);
  });
});
