// Commands of the keys group.

import type { CommandSpec } from './table';

export const keysCommands: CommandSpec[] = [];
