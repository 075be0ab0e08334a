// How a failover stops: the error it ends with, and how a node's failure is told apart (it
// refused, or it did not answer and the effect of what was sent is unknown).

import { ExitCode, RctlError } from '../../errors';
import { UNREACHABLE_CODES } from './inspect';
import type { FailoverStep } from './types';

// A command that went out without an answer (the node froze or the link broke): its effect is unknown.
const NO_ANSWER_CODES = new Set(['NODE_TIMEOUT', 'NODE_CLOSED']);

export function unanswered(error: unknown): error is RctlError {
  return error instanceof RctlError && NO_ANSWER_CODES.has(error.code);
}

/** The node answered, with an error: a refusal, as opposed to silence or a lost connection. */
export function refusedByNode(error: unknown): boolean {
  return error instanceof RctlError && !NO_ANSWER_CODES.has(error.code) && !UNREACHABLE_CODES.has(error.code);
}

/** A failover that stopped: exit 4 (or the cause's code), with the steps done so far for the report. */
export class FailoverError extends RctlError {
  constructor(
    code: RctlError['code'],
    message: string,
    readonly steps: FailoverStep[],
    suggestion?: string,
    exitCode: RctlError['exitCode'] = ExitCode.Failed,
  ) {
    super(code, message, exitCode, suggestion);
  }

  static wrap(error: unknown, steps: FailoverStep[], context: string): FailoverError {
    if (error instanceof FailoverError) return error;
    if (error instanceof RctlError) return new FailoverError(error.code, `${context}${error.message}`, steps, error.suggestion, error.exitCode);
    throw error;
  }

  override toJSON() {
    return { ...super.toJSON(), steps: this.steps };
  }
}

/**
 * A stage whose outcome cannot be known, although every node answered: the sentinels accepted a
 * failover that has not settled. Like a command that went unanswered, nothing may be undone.
 */
export class OutcomeUnknownError extends Error {}

/** Before 6.2: the demoted old master holds writes the candidate did not get before their link ended. */
export class TailLostError extends Error {
  constructor(
    readonly lagBytes: number,
    readonly takenBytes: number,
  ) {
    super(`the candidate is ${lagBytes} bytes short of the demoted master`);
  }
}
