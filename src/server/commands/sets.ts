// Commands of the sets group.

import type { CommandSpec } from './table';

export const setsCommands: CommandSpec[] = [];
