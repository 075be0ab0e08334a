// A node that could not be read is a finding of its own (the others are still checked); when no
// node can be read at all, check fails instead (exit 4), like up does.

import { rctlUpFix } from '../fixes';
import type { CheckContext, Finding } from '../model';

export function reachabilityRule(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const reading of context.readings) {
    if (reading.error) {
      findings.push({
        severity: 'error',
        node: reading.node.name,
        code: 'NODE_UNREACHABLE',
        reason: `cannot be checked: ${reading.error.message}`,
        // rctl starts the nodes it launches; an external node is the operator's to start or fix.
        fix: reading.node.launch !== 'external' ? rctlUpFix(context.topology) : (reading.error.suggestion ?? `check ${reading.node.address}`),
      });
    } else if (reading.configError) {
      findings.push({
        severity: 'warn',
        node: reading.node.name,
        code: 'CONFIG_UNREADABLE',
        reason: `CONFIG GET failed, so its configuration was not checked: ${reading.configError}`,
        fix: 'allow CONFIG GET for the connection rctl uses (rename-command or ACL)',
      });
    }
  }
  return findings;
}
