// `--exec 'COMMAND'`: the operator's own restart (or upgrade) command for nodes rctl did not
// launch, run once per node with {name}, {host} and {port} filled in. rctl orchestrates and
// verifies; the command does the restart (ssh, systemctl, a container runtime...).

import { execa } from 'execa';
import { BadInputError, NodeFailureError } from '../errors';
import type { TopologyNode } from '../topology/model';

// `${VAR}` and brace expansions such as {a,b} are the shell's, not placeholders.
const PLACEHOLDER = /(?<!\$)\{([A-Za-z_]+)\}/g;
const KNOWN = new Set(['name', 'host', 'port']);
/** Values that need no quoting in sh; anything else is single-quoted. */
const SHELL_SAFE = /^[A-Za-z0-9_.:@%+=,/-]+$/;

/** Exit 2 for an empty template or a placeholder other than {name}, {host}, {port}. */
export function validateExecTemplate(template: string): void {
  if (template.trim() === '') throw new BadInputError('USAGE', '--exec is empty', "give the command that restarts one node, e.g. --exec 'ssh {host} sudo systemctl restart redis-server'");
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(match[1])) {
      throw new BadInputError('USAGE', `--exec: unknown placeholder {${match[1]}}`, 'the placeholders are {name}, {host} and {port}');
    }
  }
}

function shellQuote(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The template with the node's values, each quoted for sh where needed (IPv6 hosts lose their brackets). */
export function fillExecTemplate(template: string, node: Pick<TopologyNode, 'name' | 'host' | 'port'>): string {
  const values: Record<string, string> = { name: node.name, host: node.host.replace(/^\[(.*)\]$/, '$1'), port: String(node.port) };
  return template.replace(PLACEHOLDER, (_, key: string) => shellQuote(values[key]));
}

export interface ExecOutcome {
  command: string;
  ms: number;
}

/**
 * Runs the filled command with sh, stdin closed, at most `timeoutMs`. A non-zero exit, a signal
 * or the timeout is exit 4 EXEC_FAILED with the last line the command printed.
 */
export async function runExecTemplate(template: string, node: TopologyNode, timeoutMs: number): Promise<ExecOutcome> {
  const command = fillExecTemplate(template, node);
  const started = Date.now();
  const result = await execa(command, { shell: true, stdin: 'ignore', all: true, reject: false, timeout: timeoutMs, forceKillAfterDelay: 2000 });
  if (result.failed) {
    const lastLine = (result.all ?? '').trim().split('\n').at(-1)?.slice(0, 200) ?? '';
    const why = result.timedOut ? `did not finish within ${timeoutMs / 1000}s` : result.signal ? `ended on ${result.signal}` : `exited with code ${result.exitCode}`;
    throw new NodeFailureError('EXEC_FAILED', `${node.name}: \`${command}\` ${why}${lastLine ? `: ${lastLine}` : ''}`, 'fix the command (try it by hand on one node), then rerun: nodes already done are skipped');
  }
  return { command, ms: Date.now() - started };
}
