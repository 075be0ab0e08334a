// `npm run schemas` / `npm run docs`: writes the files scripts/generated-files.ts renders. That
// module is TypeScript, so it is bundled first (Node 20 runs no .ts); the command classes come
// from the built dist/commands.js, which `npm run docs` builds before calling this.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const kind = process.argv[2];
if (kind !== 'schemas' && kind !== 'docs') {
  process.stderr.write('usage: node scripts/generate.mjs schemas|docs\n');
  process.exit(2);
}
const bundle = join(root, 'dist', 'generate.js');
await build({
  entryPoints: [join(root, 'scripts', 'generated-files.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['@oclif/core'],
});
const require = createRequire(import.meta.url);
const { generatedFiles } = require(bundle);
const commands = kind === 'docs' ? require(join(root, 'dist', 'commands.js')).COMMANDS : {};
for (const [path, text] of generatedFiles(root, commands, kind)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  process.stdout.write(`wrote ${path}\n`);
}
