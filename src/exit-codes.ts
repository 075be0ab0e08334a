// The ONE table of exit codes every command uses, below everything else: the errors and the
// documented list of error codes (src/output/error-codes.ts) both refer to it.

export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  BadInput: 2,
  Unhealthy: 3,
  Failed: 4,
  Refused: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The documented table, in the order shown by `rctl --help` and the README. */
export const EXIT_CODE_TABLE: ReadonlyArray<{ code: ExitCodeValue; meaning: string }> = [
  { code: ExitCode.Ok, meaning: 'ok (status: healthy)' },
  { code: ExitCode.Unexpected, meaning: 'unexpected error (rerun with DEBUG=1 for the stack)' },
  { code: ExitCode.BadInput, meaning: 'bad input: topology file, flags, arguments, --yes needed' },
  { code: ExitCode.Unhealthy, meaning: 'unhealthy: node unreachable, link down, role drift' },
  { code: ExitCode.Failed, meaning: 'failed or timed out: refused, no reply, not Redis, auth, loading' },
  { code: ExitCode.Refused, meaning: 'refused for safety: would destroy data (confirm, or --yes)' },
];

export function exitCodeHelp(): string {
  return 'EXIT CODES\n' + EXIT_CODE_TABLE.map(({ code, meaning }) => `  ${code}  ${meaning}`).join('\n');
}
