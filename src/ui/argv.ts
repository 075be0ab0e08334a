// Argument tweaks oclif's parser cannot express.

/** `--watch` takes an optional number of seconds: insert the default when none follows. */
export function defaultWatchValue(argv: string[], seconds = '2'): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    out.push(argv[i]);
    if ((argv[i] === '--watch' || argv[i] === '-w') && !/^\d+(\.\d+)?$/.test(argv[i + 1] ?? '')) out.push(seconds);
  }
  return out;
}
