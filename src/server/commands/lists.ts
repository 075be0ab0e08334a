// Commands of the lists group.

import type { CommandSpec } from './table';

export const listsCommands: CommandSpec[] = [];
