// Key flags that depend on the arguments. A command whose key spec says VARIABLE_FLAGS has its
// keys' flags worked out by its own procedure in Redis 7.0 (setGetKeys, bitfieldGetKeys), which
// COMMAND GETKEYSANDFLAGS reports instead of the spec's flags.

/** SET: GET makes it read the old value (RW access update); otherwise it only overwrites (OW update). */
function setKeyFlags(args: readonly string[]): string[] {
  for (let i = 3; i < args.length; i++) if (args[i].toLowerCase() === 'get') return ['RW', 'access', 'update'];
  return ['OW', 'update'];
}

/** BITFIELD: read-only while it only has GET (and OVERFLOW) operations; anything else writes. */
function bitfieldKeyFlags(args: readonly string[]): string[] {
  let readonly = true;
  for (let i = 2; i < args.length; i++) {
    const remaining = args.length - i - 1;
    const op = args[i].toLowerCase();
    if (op === 'get' && remaining >= 2) i += 2;
    else if (op === 'overflow' && remaining >= 1) i += 1;
    else {
      // SET / INCRBY, or a syntax error: Redis assumes the worst.
      readonly = false;
      break;
    }
  }
  return readonly ? ['RO', 'access'] : ['RW', 'access', 'update'];
}

/** The flags of the key at index 1 for a command with variable key flags, or null for any other command. */
export function variableKeyFlags(commandName: string, args: readonly string[]): string[] | null {
  if (commandName === 'set') return setKeyFlags(args);
  if (commandName === 'bitfield') return bitfieldKeyFlags(args);
  return null;
}
