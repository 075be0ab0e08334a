// A password asked on the terminal, input hidden: for commands that meet a node needing a
// password before any file names one (rctl discover). The value goes straight into a Secret.

import { Secret } from '../topology/secret';

/** null when the prompt was interrupted (Ctrl-C) or left empty. */
export async function askPassword(message: string): Promise<Secret | null> {
  // Loaded only when asked: it is the heaviest module of the CLI.
  const { password } = await import('@inquirer/prompts');
  try {
    const value = await password({ message, mask: false }, { output: process.stderr });
    return value === '' ? null : new Secret(value);
  } catch {
    return null;
  }
}
