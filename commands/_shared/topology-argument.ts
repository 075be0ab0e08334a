// The topology as the first positional argument. Commands whose only positional is the topology
// take any word there; commands that also take nodes (promote NODE, replicaof NODE MASTER, replica
// add NAME HOST:PORT, replica remove NAME) recognise it only by its .yml or .yaml ending, so a
// node named in the first place is never read as a file. docs/usage.md states the rule.

/** The option flags of a command (those that consume the next word), by long name and by char. */
export interface ValueFlags {
  names: ReadonlySet<string>;
  chars: ReadonlySet<string>;
}

interface FlagShape {
  type: 'boolean' | 'option';
  char?: string;
}

export function valueFlagsOf(flags: Record<string, FlagShape>): ValueFlags {
  const names = new Set<string>();
  const chars = new Set<string>();
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type !== 'option') continue;
    names.add(name);
    if (flag.char) chars.add(flag.char);
  }
  return { names, chars };
}

export function isTopologyFileName(word: string): boolean {
  return /\.ya?ml$/i.test(word);
}

/**
 * Splits a leading topology file off argv: the first positional word (flag values and anything
 * after `--` are not positionals) when it ends in .yml/.yaml. The rest goes to oclif's parser.
 */
export function takeTopologyArgument(argv: readonly string[], valueFlags: ValueFlags): { file?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') break;
    if (word.startsWith('--')) {
      if (!word.includes('=') && valueFlags.names.has(word.slice(2))) i++;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      // -tFILE carries its value; -t FILE takes the next word.
      if (word.length === 2 && valueFlags.chars.has(word[1])) i++;
      continue;
    }
    if (!isTopologyFileName(word)) break;
    return { file: word, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: [...argv] };
}
