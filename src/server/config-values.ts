// Value-level pieces of the config registry shared by config.ts and the accepted-only table.

export class ConfigValueError extends Error {}

/** Parses a memory value as Redis's memtoull: 1k=1000, 1kb=1024, up to gb. Null when invalid. */
export function parseMemory(text: string): number | null {
  const match = /^(-?\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(text);
  if (!match) return null;
  const units: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  const value = Number(match[1]) * units[(match[2] ?? '').toLowerCase()];
  return Number.isFinite(value) && value >= 0 ? value : null;
}
