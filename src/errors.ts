// Typed errors of the rctl CLI, each carrying a code of the documented list and an exit code of
// the one table (src/exit-codes.ts).
// A command never picks an exit code itself: it throws one of these, or returns a result whose
// health decides between 0 and 3. The renderer (src/ui/error-output.ts) prints `message` on one
// line followed by `suggestion`, and never a stack trace unless DEBUG is set. Every code is listed,
// with its meaning, in src/output/error-codes.ts.

import { ExitCode, type ExitCodeValue } from './exit-codes';
import type { ErrorCode } from './output/error-codes';

export { EXIT_CODE_TABLE, ExitCode, exitCodeHelp, type ExitCodeValue } from './exit-codes';

export class RctlError extends Error {
  constructor(
    /** Stable identifier for scripts (appears in --json output). */
    readonly code: ErrorCode,
    message: string,
    readonly exitCode: ExitCodeValue,
    /** What the operator can do about it; printed after the message. */
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { code: ErrorCode; message: string; exitCode: ExitCodeValue; suggestion: string | null } {
    return { code: this.code, message: this.message, exitCode: this.exitCode, suggestion: this.suggestion ?? null };
  }
}

/** Exit 2: the topology file, a flag, or an argument is wrong. */
export class BadInputError extends RctlError {
  constructor(code: ErrorCode, message: string, suggestion?: string) {
    super(code, message, ExitCode.BadInput, suggestion);
  }
}

/** One problem in a topology file, located for `file:line:col path: message`. */
export interface TopologyIssue {
  file: string;
  line: number;
  col: number;
  /** Field path such as `nodes[1].port`; empty for the document itself. */
  path: string;
  message: string;
}

export function formatTopologyIssue(issue: TopologyIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}${issue.path ? ' ' + issue.path : ''}: ${issue.message}`;
}

/** Exit 2: the topology file does not parse or validate. Shows the first issue; --json carries all. */
export class TopologyError extends BadInputError {
  constructor(
    code: 'TOPOLOGY_YAML' | 'TOPOLOGY_INVALID' | 'TOPOLOGY_PASSWORD',
    readonly issues: TopologyIssue[],
  ) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    super(code, formatTopologyIssue(issues[0]) + more);
  }

  override toJSON() {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Exit 4: a node could not be reached, refused, timed out, answered wrongly or a wait expired. */
export class NodeFailureError extends RctlError {
  constructor(code: ErrorCode, message: string, suggestion?: string) {
    super(code, message, ExitCode.Failed, suggestion);
  }
}

/** Exit 5: the action would destroy data and was not confirmed. */
export class RefusedError extends RctlError {
  constructor(code: ErrorCode, message: string, suggestion?: string) {
    super(code, message, ExitCode.Refused, suggestion);
  }
}

/** Exit 2: confirmation needed but there is no TTY to ask on. */
export class ConfirmationRequiredError extends BadInputError {
  constructor(what: string) {
    super('CONFIRMATION_REQUIRED', `${what} needs confirmation and there is no terminal to ask on`, 'pass --yes to confirm');
  }
}
