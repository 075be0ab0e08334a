// `--exec 'COMMAND'`: the operator's own restart (or upgrade) command for nodes rctl did not
// launch, run once per node with {name}, {host} and {port} filled in. rctl orchestrates and
// verifies; the command does the restart (ssh, systemctl, a container runtime...).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function readOutput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export interface ExecOutcome {
  command: string;
  ms: number;
}

/**
 * Runs the filled command with sh, stdin closed, at most `timeoutMs` (then its whole process group is killed). A non-zero exit, a signal
 * or the timeout is exit 4 EXEC_FAILED with the last line the command printed.
 */
export async function runExecTemplate(template: string, node: TopologyNode, timeoutMs: number): Promise<ExecOutcome> {
  const command = fillExecTemplate(template, node);
  const started = Date.now();
  // Output goes to a file, not a pipe: a restart script that leaves a daemon behind (redis-server
  // started in the background) would hold a pipe open, and rctl would wait for that daemon.
  const dir = mkdtempSync(join(tmpdir(), 'rctl-exec-'));
  const outputFile = join(dir, 'output');
  try {
    // Its own process group, so a timeout stops what it started too (ssh, sleep...). The temp
    // path has no character sh would split.
    const script = `exec >${outputFile} 2>&1\n${command}`;
    const subprocess = execa(script, { shell: true, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', reject: false, timeout: timeoutMs, detached: true });
    const result = await subprocess;
    if (result.timedOut && subprocess.pid !== undefined) {
      try {
        process.kill(-subprocess.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
    if (result.failed) {
      const lastLine = readOutput(outputFile).trim().split('\n').at(-1)?.slice(0, 200) ?? '';
      const why = result.timedOut ? `did not finish within ${timeoutMs / 1000}s` : result.signal ? `ended on ${result.signal}` : `exited with code ${result.exitCode}`;
      throw new NodeFailureError('EXEC_FAILED', `${node.name}: \`${command}\` ${why}${lastLine ? `: ${lastLine}` : ''}`, 'fix the command (try it by hand on one node), then rerun: nodes already done are skipped');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { command, ms: Date.now() - started };
}
