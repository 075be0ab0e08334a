// The base class of rctl's orchestration commands: shared flags, the typed-error renderer and
// helpers for stderr progress. It lives under commands/ because it is oclif-side code, which src/
// never imports; the build skips commands/_shared/ when it lists commands.

import { Args, Command, Flags } from '@oclif/core';
import { BadInputError, exitCodeHelp } from '../../src/errors';
import type { Topology } from '../../src/topology/model';
import { charsetOf, noColorRequested, stdoutCharsetOf, type Charset } from '../../src/ui/charset';
import { renderError } from '../../src/ui/error-output';
import { StderrProgress } from '../../src/ui/progress';
import { takeTopologyArgument, valueFlagsOf } from './topology-argument';

export const EXIT_CODES_HELP = exitCodeHelp();

/** The first positional of every command that reads a topology (see topology-argument.ts). */
export const TOPOLOGY_ARG = Args.string({ name: 'TOPOLOGY', description: 'topology file (default: -t FILE, $RCTL_TOPOLOGY, else the one last brought up)', required: false });

/** Seconds given on the command line (decimals allowed) to milliseconds. */
export function secondsFlag(options: { description: string; default: number; char?: 'w' }) {
  return Flags.custom<number>({
    description: options.description,
    default: options.default,
    helpValue: 'SECONDS',
    parse: async (input: string) => {
      const seconds = Number(input);
      if (!Number.isFinite(seconds) || seconds < 0 || input.trim() === '') {
        throw new BadInputError('USAGE', `expected a number of seconds, got "${input}"`);
      }
      return seconds;
    },
  })();
}

export abstract class RctlCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    topology: Flags.string({ char: 't', description: 'topology file (default: $RCTL_TOPOLOGY, else the one last brought up)', helpValue: 'FILE' }),
  };

  private progress: StderrProgress | null = null;
  private decidedCharset: Charset | null = null;
  private decidedStderrCharset: Charset | null = null;

  protected debugEnabled(): boolean {
    return Boolean(process.env.DEBUG);
  }

  /** The characters this run's stdout may use: ASCII unless it is a terminal, NO_COLOR unset. */
  protected charset(): Charset {
    this.decidedCharset ??= stdoutCharsetOf(process.env, Boolean(process.stdout.isTTY));
    return this.decidedCharset;
  }

  /** The characters of progress, prompts and errors on stderr: the locale decides, as always. */
  protected stderrCharset(): Charset {
    this.decidedStderrCharset ??= charsetOf(process.env);
    return this.decidedStderrCharset;
  }

  /** Whether output may move the cursor or redraw (a spinner, a redrawn table). */
  protected animated(stream: NodeJS.WriteStream): boolean {
    return Boolean(stream.isTTY) && !noColorRequested(process.env);
  }

  /** Progress on stderr; a spinner only on a TTY without NO_COLOR. */
  protected reporter(): StderrProgress {
    this.progress ??= new StderrProgress(process.stderr, this.stderrCharset(), this.animated(process.stderr));
    return this.progress;
  }

  protected finishProgress(failed = false): void {
    this.progress?.stop(failed);
  }

  /**
   * For commands with positionals of their own: a leading TOPOLOGY.yml/.yaml taken off argv, and
   * the rest for oclif's parser (which then sees only the command's own arguments).
   */
  protected leadingTopology(): { file?: string; argv: string[] } {
    const ctor = this.constructor as unknown as { baseFlags?: object; flags?: object };
    const flags = { ...ctor.baseFlags, ...ctor.flags } as Parameters<typeof valueFlagsOf>[0];
    const { file, rest } = takeTopologyArgument(this.argv, valueFlagsOf(flags));
    return { file, argv: rest };
  }

  protected describeTopology(topology: Topology): string {
    return `${topology.name} (${topology.displayFile})`;
  }

  override async catch(error: Error & { exitCode?: number }): Promise<void> {
    this.finishProgress(true);
    // A flag error already said what is wrong; oclif would add an "did not parse its arguments"
    // warning outside production (NODE_ENV=development or test).
    this.parsed = true;
    const rendered = renderError(error, this.debugEnabled(), this.stderrCharset());
    process.exitCode = rendered.exitCode;
    if (this.jsonEnabled()) this.logJson(rendered.json);
    process.stderr.write(rendered.stderr);
  }
}
