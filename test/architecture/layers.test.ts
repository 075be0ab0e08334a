// The import structure of src/ and commands/, checked on every run: rctl's layers read bottom to
// top (a module never imports one above it), the bundled node stands apart, and no runtime import
// loop exists anywhere. A new import that breaks this fails here, naming both files.

import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');

/** rctl's layers, bottom first. A module may import its own layer and those below it. */
const RCTL_LAYERS: ReadonlyArray<{ name: string; paths: string[] }> = [
  // The error codes are the errors' own vocabulary: listed beside them, under everything.
  { name: 'foundation', paths: ['src/exit-codes.ts', 'src/errors.ts', 'src/output/error-codes.ts', 'src/output/tables.ts', 'src/formats/', 'src/topology/'] },
  { name: 'node (client)', paths: ['src/node/'] },
  { name: 'state (RCTL_HOME)', paths: ['src/state/'] },
  { name: 'launch (processes)', paths: ['src/launch/'] },
  { name: 'cluster (operations)', paths: ['src/cluster/'] },
  { name: 'output (JSON contracts)', paths: ['src/output/'] },
  { name: 'ui (rendering)', paths: ['src/ui/'] },
  { name: 'commands', paths: ['commands/'] },
];

/**
 * The few places rctl reads a file format through the bundled node's own parser rather than
 * keeping a second copy of it: what a relaunched node would load is decided by the same RDB
 * reader that loads it.
 */
const RCTL_USES_OF_THE_NODE: ReadonlyArray<{ from: string; to: string }> = [
  { from: 'src/launch/persisted-data.ts', to: 'src/server/rdb/reader.ts' },
  // A backup is verified by the loader that would restore it into the bundled node.
  { from: 'src/launch/rdb-verify.ts', to: 'src/server/rdb/reader.ts' },
  // The backup's rename is made durable the way the node makes its own dumps' renames durable.
  { from: 'src/cluster/backup.ts', to: 'src/server/persistence/directory-sync.ts' },
  // `rctl --version` names the Redis version the bundled node answers as, from the node's own constant.
  { from: 'commands/_shared/version-hook.ts', to: 'src/server/version.ts' },
];

interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function listSources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) listSources(path, out);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = join(dirname(from), specifier);
  for (const candidate of [base + '.ts', join(base, 'index.ts'), base]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return relative('.', candidate);
  }
  throw new Error(`${from}: cannot resolve import '${specifier}'`);
}

const STATIC_IMPORT = /^(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*'([^']+)'\s*\)/g;

/** `import { type A, type B }` brings in no value either. */
function onlyTypes(clause: string): boolean {
  const names = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!names) return false;
  const parts = names[1].split(',').map((part) => part.trim()).filter(Boolean);
  return parts.length > 0 && parts.every((part) => part.startsWith('type '));
}

function importsOf(file: string): { specifier: string; typeOnly: boolean; external: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: { specifier: string; typeOnly: boolean; external: boolean }[] = [];
  for (const match of text.matchAll(STATIC_IMPORT)) {
    found.push({ specifier: match[4], typeOnly: Boolean(match[2]) || onlyTypes(match[3]), external: !match[4].startsWith('.') });
  }
  for (const match of text.matchAll(DYNAMIC_IMPORT)) found.push({ specifier: match[1], typeOnly: false, external: !match[1].startsWith('.') });
  return found;
}

const files = [...listSources('src'), ...listSources('commands')];
const edges: ImportEdge[] = [];
const externalImports: { from: string; specifier: string }[] = [];
for (const file of files) {
  for (const found of importsOf(file)) {
    if (found.external) externalImports.push({ from: file, specifier: found.specifier });
    const target = resolveSpecifier(file, found.specifier);
    if (target) edges.push({ from: file, to: target, typeOnly: found.typeOnly });
  }
}

function rctlLayerOf(file: string): number {
  return RCTL_LAYERS.findIndex((layer) => layer.paths.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path)));
}

const isNode = (file: string) => file.startsWith('src/server/');

/** Strongly connected components of the runtime import graph with more than one file. */
function runtimeLoops(): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) if (!edge.typeOnly) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  let counter = 0;
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) loops.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return loops;
}

describe('import structure', () => {
  it('reads every import of src/ and commands/', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(files.length);
  });

  it("places every rctl file in one of rctl's layers", () => {
    const unplaced = files.filter((file) => !isNode(file) && rctlLayerOf(file) < 0);
    expect(unplaced).toEqual([]);
  });

  it('has no import running back up the layers', () => {
    const upward = edges
      .filter((edge) => !isNode(edge.from) && !isNode(edge.to))
      .filter((edge) => rctlLayerOf(edge.to) > rctlLayerOf(edge.from))
      .map((edge) => `${edge.from} (${RCTL_LAYERS[rctlLayerOf(edge.from)].name}) imports ${edge.to} (${RCTL_LAYERS[rctlLayerOf(edge.to)].name})`);
    expect(upward).toEqual([]);
  });

  it('keeps the bundled node apart: it imports nothing of rctl but the foundation, and rctl imports the node only where listed', () => {
    const crossing = edges
      .filter((edge) => isNode(edge.from) !== isNode(edge.to))
      .filter((edge) => !(isNode(edge.from) && rctlLayerOf(edge.to) === 0 && edge.to !== 'src/topology/' && !edge.to.startsWith('src/topology/')))
      .filter((edge) => !(edge.from.startsWith('commands/') && isNode(edge.to) && edge.to === 'src/server/main.ts'))
      .filter((edge) => !RCTL_USES_OF_THE_NODE.some((allowed) => allowed.from === edge.from && allowed.to === edge.to))
      .map((edge) => `${edge.from} imports ${edge.to}`);
    expect(crossing).toEqual([]);
  });

  it('keeps oclif out of src/ and src/ out of commands/', () => {
    const oclifInSrc = externalImports.filter((found) => found.from.startsWith('src/') && found.specifier.startsWith('@oclif/')).map((found) => found.from);
    const commandsInSrc = edges.filter((edge) => edge.from.startsWith('src/') && edge.to.startsWith('commands/')).map((edge) => `${edge.from} imports ${edge.to}`);
    expect([...oclifInSrc, ...commandsInSrc]).toEqual([]);
  });

  it('has no runtime import loop (type-only imports may point anywhere)', () => {
    expect(runtimeLoops()).toEqual([]);
  });
});
