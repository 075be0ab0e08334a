import { Args, Command } from '@oclif/core';
import type { CompletionCommand, CompletionFlag, CompletionValue } from '../src/ui/completion-script';

/** Positionals that name a node of the topology, by command id and argument key. */
const NODE_ARGUMENTS: Record<string, string[]> = {
  promote: ['node'],
  replicaof: ['node', 'master'],
  'replica:remove': ['name'],
};

interface FlagInfo {
  type: 'boolean' | 'option';
  char?: string;
  helpValue?: string | string[];
  options?: readonly string[];
  hidden?: boolean;
}

interface ArgInfo {
  options?: readonly string[];
  hidden?: boolean;
}

function flagValue(name: string, flag: FlagInfo): CompletionValue | null {
  if (flag.type === 'boolean') return null;
  if (flag.options && flag.options.length > 0) return { kind: 'words', words: [...flag.options] };
  const helpValue = String(flag.helpValue ?? '');
  if (helpValue === 'NODE' || helpValue === 'NAME') return { kind: 'node' };
  if (name === 'topology' || helpValue === 'FILE' || helpValue.startsWith('BINARY')) return { kind: 'file' };
  return { kind: 'none' };
}

/** The registry as the completion script sees it: visible commands, their flags and positionals. */
export function completionCommands(commands: ReadonlyArray<{ id: string; hidden?: boolean; flags?: Record<string, FlagInfo>; args?: Record<string, ArgInfo> }>): CompletionCommand[] {
  return commands
    .filter((command) => !command.hidden)
    .map((command) => {
      const flags: CompletionFlag[] = Object.entries(command.flags ?? {})
        .filter(([, flag]) => !flag.hidden)
        .map(([name, flag]) => ({ name, ...(flag.char ? { char: flag.char } : {}), value: flagValue(name, flag) }));
      const args = Object.entries(command.args ?? {}).filter(([, arg]) => !arg.hidden);
      const nodeArgs = NODE_ARGUMENTS[command.id] ?? [];
      const positionals = args.map(([key, arg]): CompletionValue => {
        if (key === 'topology') return { kind: 'file' };
        if (arg.options && arg.options.length > 0) return { kind: 'words', words: [...arg.options] };
        return nodeArgs.includes(key) ? { kind: 'node' } : { kind: 'none' };
      });
      const readsTopology = 'topology' in (command.flags ?? {});
      return { words: command.id.split(':'), flags, positionals, leadingTopology: readsTopology && !args.some(([key]) => key === 'topology') && args.length > 0 };
    })
    .sort((a, b) => a.words.join(' ').localeCompare(b.words.join(' ')));
}

export default class CompletionCommandClass extends Command {
  static override summary = 'Print the bash or zsh completion script: commands, flags, node names.';
  static override description = `Completes command names, flags, the values of flags with a fixed set (--launch), files for TOPOLOGY and -t, and node names (promote NODE, replicaof NODE MASTER, --promote, --from, --node) read from the topology on the line (TOPOLOGY.yml or -t FILE), else the current one. Node names cost one \`rctl completion nodes\` run per TAB.

Install for bash: add \`eval "$(rctl completion bash)"\` to ~/.bashrc, or write the script once into a file bash-completion loads: \`rctl completion bash > ~/.local/share/bash-completion/completions/rctl\`.

Install for zsh: add \`eval "$(rctl completion zsh)"\` to ~/.zshrc (it runs the bash functions through zsh's bashcompinit).

Regenerate after upgrading rctl: the script lists the commands and flags of the rctl that printed it.`;
  static override examples = [
    { description: 'bash with bash-completion: install once, loaded on demand', command: '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/rctl' },
    { description: 'bash without bash-completion', command: `echo 'eval "$(<%= config.bin %> completion bash)"' >> ~/.bashrc` },
    { description: 'zsh', command: `echo 'eval "$(<%= config.bin %> completion zsh)"' >> ~/.zshrc` },
  ];

  static override args = {
    shell: Args.string({ name: 'SHELL', description: 'the shell to complete in', required: true, options: ['bash', 'zsh'] }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(CompletionCommandClass);
    const { renderCompletionScript } = await import('../src/ui/completion-script');
    process.stdout.write(renderCompletionScript(args.shell as 'bash' | 'zsh', completionCommands(this.config.commands as never), this.config.bin));
  }
}
