// `user` lines of the config file, checked while the file is read as Redis's
// ACLAppendUserForLoading does (unknown commands pass: they are reported at start-up).

import { AclUser, mergeSelectorArguments } from './user';
import { RULE_ERROR_TEXT } from './selector';
import { CommandUniverse } from './universe';

let universe: CommandUniverse | null = null;

/** args: the name then the rules. Redis's error text, or null. */
export function checkUserLine(args: readonly string[], earlier: ReadonlyArray<readonly string[]>): string | null {
  // Redis names the offending argument by its index among the merged rules, but reads it from the
  // whole line ("user", name, rules...): the quirk is kept so the message matches.
  const lineArg = (index: number) => (index === 0 ? 'user' : args[index - 1]);
  if (earlier.some((line) => line[0] === args[0])) {
    return `Error in user declaration '${lineArg(1)}': Duplicate user found. A user can only be defined once in config files`;
  }
  const merged = mergeSelectorArguments(args.slice(1));
  if ('unmatched' in merged) return `Error in user declaration '${lineArg(merged.unmatched)}': Syntax error`;
  universe ??= new CommandUniverse(null);
  const fake = new AclUser(args[0], universe, () => false);
  for (let j = 0; j < merged.rules.length; j++) {
    const error = fake.apply(merged.rules[j]);
    if (error && error !== 'unknown') return `Error in user declaration '${lineArg(j)}': ${RULE_ERROR_TEXT[error]}`;
  }
  return null;
}
