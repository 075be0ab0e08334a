// The `#!lua` first line of a script or a function library (eval.c evalExtractShebangFlags):
// EVAL accepts `flags=`; FUNCTION LOAD takes `name=` (functions.ts reads that one).

import { splitConfigArgs } from '../../formats/redis-conf';

export interface ScriptFlags {
  /** No shebang: Redis 6 semantics (the script may write, and is checked per command). */
  compatMode: boolean;
  noWrites: boolean;
  allowOom: boolean;
  allowStale: boolean;
  noCluster: boolean;
  allowCrossSlotKeys: boolean;
}

export const COMPAT_FLAGS: ScriptFlags = Object.freeze({ compatMode: true, noWrites: false, allowOom: false, allowStale: false, noCluster: false, allowCrossSlotKeys: false });

const FLAG_NAMES: Record<string, keyof ScriptFlags> = {
  'no-writes': 'noWrites',
  'allow-oom': 'allowOom',
  'allow-stale': 'allowStale',
  'no-cluster': 'noCluster',
  'allow-cross-slot-keys': 'allowCrossSlotKeys',
};

/** The flag names FUNCTION LIST shows, in Redis's order. */
export function flagNames(flags: ScriptFlags): string[] {
  return Object.entries(FLAG_NAMES).filter(([, key]) => flags[key]).map(([name]) => name);
}

/** Parses one flag name; null when Redis does not know it. */
export function flagFromName(name: string): keyof ScriptFlags | null {
  return FLAG_NAMES[name] ?? null;
}

export type ShebangResult = { ok: true; flags: ScriptFlags; shebangLength: number } | { ok: false; error: string };

/** The flags of an EVAL body and how long its shebang line is (the body keeps the newline, so line numbers hold). */
export function parseEvalShebang(body: string): ShebangResult {
  if (!body.startsWith('#!')) return { ok: true, flags: COMPAT_FLAGS, shebangLength: 0 };
  const end = body.indexOf('\n');
  if (end === -1) return { ok: false, error: 'ERR Invalid script shebang' };
  const parts = splitConfigArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return { ok: false, error: 'ERR Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { ok: false, error: `ERR Unexpected engine in script shebang: ${parts[0]}` };
  const flags: ScriptFlags = { ...COMPAT_FLAGS, compatMode: false };
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return { ok: false, error: `ERR Unknown lua shebang option: ${part}` };
    const list = part.slice(6);
    if (list === '') continue;
    for (const name of list.split(',')) {
      const key = flagFromName(name);
      if (key === null) return { ok: false, error: `ERR Unexpected flag in script shebang: ${name}` };
      flags[key] = true;
    }
  }
  return { ok: true, flags, shebangLength: end };
}
