// Encoding of the replication stream: commands as RESP arrays, with SELECT whenever the
// target database changes, exactly the bytes Redis writes (offsets depend on it).

export function encodeCommand(args: readonly string[]): string {
  let out = '*' + args.length + '\r\n';
  for (const arg of args) out += '$' + arg.length + '\r\n' + arg + '\r\n';
  return out;
}

export function encodeSelect(db: number): string {
  return encodeCommand(['SELECT', String(db)]);
}
