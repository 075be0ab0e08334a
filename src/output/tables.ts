// The exit-code and error-code tables as the README and docs/errors.md show them, rendered from
// the one source of each (EXIT_CODE_TABLE, ERROR_CODES), and the marker comments that fence a
// generated block in a hand-written file.

import { EXIT_CODE_TABLE } from '../errors';
import { ERROR_CODES, type ErrorCode } from './error-codes';

export function exitCodeMarkdown(): string {
  return ['| Exit | Meaning |', '| ---: | --- |', ...EXIT_CODE_TABLE.map(({ code, meaning }) => `| ${code} | ${escapeCell(meaning)} |`)].join('\n');
}

/** Grouped by exit code, in the order of the exit-code table. */
export function errorCodeMarkdown(): string {
  const rows: string[] = ['| Code | Exit | Meaning |', '| --- | ---: | --- |'];
  for (const { code: exitCode } of EXIT_CODE_TABLE) {
    for (const [code, entry] of Object.entries(ERROR_CODES) as Array<[ErrorCode, (typeof ERROR_CODES)[ErrorCode]]>) {
      if (entry.exitCode === exitCode) rows.push(`| \`${code}\` | ${exitCode} | ${escapeCell(entry.meaning)} |`);
    }
  }
  return rows.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export const GENERATED_BLOCKS = {
  'exit-codes': exitCodeMarkdown,
  'error-codes': errorCodeMarkdown,
} as const;

export type GeneratedBlock = keyof typeof GENERATED_BLOCKS;

const begin = (name: string) => `<!-- generated:${name} (npm run docs) -->`;
const end = (name: string) => `<!-- /generated:${name} -->`;

/** `text` with every generated block it contains rendered afresh; blocks it lacks are not added. */
export function refreshGeneratedBlocks(text: string): string {
  let result = text;
  for (const [name, render] of Object.entries(GENERATED_BLOCKS)) {
    const start = result.indexOf(begin(name));
    if (start === -1) continue;
    const stop = result.indexOf(end(name), start);
    if (stop === -1) throw new Error(`${begin(name)} has no closing ${end(name)}`);
    result = result.slice(0, start) + `${begin(name)}\n${render()}\n` + result.slice(stop);
  }
  return result;
}

export function generatedBlocksIn(text: string): GeneratedBlock[] {
  return (Object.keys(GENERATED_BLOCKS) as GeneratedBlock[]).filter((name) => text.includes(begin(name)));
}

/** The empty pair of markers to paste into a document; `npm run docs` fills it. */
export function blockMarkers(name: GeneratedBlock): string {
  return `${begin(name)}\n${end(name)}`;
}
