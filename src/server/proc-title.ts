// The process title, as redis-server sets it (set-proc-title, proc-title-template): what `ps`
// shows becomes "rctl-server 127.0.0.1:7001" instead of the command line, so a password given as
// `--requirepass` is visible only for the moment between exec and start-up. On Linux, Node
// writes the title over the argv memory that /proc/<pid>/cmdline reads.

const VARIABLES = ['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file'] as const;
type Variable = (typeof VARIABLES)[number];

export const PROC_TITLE_NAME = 'rctl-server';

/** Redis's rule: only {known} variables, balanced braces, and a non-empty result. */
export function isValidProcTitleTemplate(template: string): boolean {
  const withoutVariables = template.replace(/\{([a-z-]+)\}/g, (whole, name: string) => ((VARIABLES as readonly string[]).includes(name) ? '' : whole));
  return !/[{}]/.test(withoutVariables) && template.trim() !== '';
}

export function renderProcTitle(template: string, values: Record<Variable, string>): string {
  return template.replace(/\{([a-z-]+)\}/g, (_, name: Variable) => values[name] ?? '').replace(/\s+/g, ' ').trim();
}
