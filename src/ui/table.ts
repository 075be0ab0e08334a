// Every table rctl prints comes from here, so borders and marks follow the charset of the run.
// Tables are never coloured: cli-table3's default red headings and grey borders come from
// @colors/colors, which ignores NO_COLOR and colours pipes whenever TERM is set.

import Table from 'cli-table3';
import { symbolsOf, type Charset } from './charset';

export type TableAlign = 'left' | 'center' | 'right';

export interface TableLayout {
  head: string[];
  colAligns?: TableAlign[];
  colWidths?: number[];
  wordWrap?: boolean;
}

const ASCII_BORDERS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+',
  right: '|', 'right-mid': '+', middle: '|',
};

export function createTable(charset: Charset, layout: TableLayout): Table.Table {
  return new Table({
    head: layout.head,
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    ...(charset === 'ascii' ? { chars: ASCII_BORDERS } : {}),
    truncate: symbolsOf(charset).ellipsis,
    ...(layout.colAligns ? { colAligns: layout.colAligns } : {}),
    ...(layout.colWidths ? { colWidths: layout.colWidths } : {}),
    ...(layout.wordWrap !== undefined ? { wordWrap: layout.wordWrap } : {}),
  });
}
