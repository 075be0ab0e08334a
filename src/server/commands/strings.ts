// Commands of the strings group.

import type { CommandSpec } from './table';

export const stringsCommands: CommandSpec[] = [];
