// Questions on a terminal: confirmation for destructive actions (--yes, else a prompt on a TTY,
// else a refusal) and the choice of a failover candidate.
// Without a TTY nothing ever prompts.

import type { Candidate } from '../cluster/failover/index';
import { ConfirmationRequiredError } from '../errors';

export interface ConfirmContext {
  yes: boolean;
  /** stdin and stderr are terminals. */
  interactive: boolean;
}

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

async function ask(question: string): Promise<boolean> {
  // Loaded only when a question is actually asked: it is the heaviest module of the CLI.
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm({ message: question, default: false }, { output: process.stderr });
  } catch {
    // Ctrl-C at the prompt is a "no".
    return false;
  }
}

/** true to go ahead; false when declined or when there is no TTY to ask on (the caller refuses). */
export async function confirmOrDecline(question: string, context: ConfirmContext): Promise<boolean> {
  if (context.yes) return true;
  if (!context.interactive) return false;
  return ask(question);
}

/** Like confirmOrDecline, but without a TTY it is a usage error naming --yes (exit 2). */
export async function confirmOrRequireYes(what: string, question: string, context: ConfirmContext): Promise<boolean> {
  if (context.yes) return true;
  if (!context.interactive) throw new ConfirmationRequiredError(what);
  return ask(question);
}

/** On a terminal: a list of candidates with their lag, the best preselected. */
export async function chooseCandidate(ranked: Candidate[], beforePrompt: () => void): Promise<Candidate> {
  if (ranked.length === 1) return ranked[0];
  beforePrompt();
  const { select } = await import('@inquirer/prompts');
  const name = await select(
    {
      message: 'Promote which replica?',
      choices: ranked.map((c, i) => ({
        name: `${c.node.name} (${c.node.address})  lag ${c.lagBytes} B, offset ${c.offset}, priority ${c.priority}${i === 0 ? '  (best)' : ''}`,
        value: c.node.name,
      })),
      default: ranked[0].node.name,
    },
    { output: process.stderr },
  );
  return ranked.find((c) => c.node.name === name) ?? ranked[0];
}
