// Commands of the zsets group.

import type { CommandSpec } from './table';

export const zsetsCommands: CommandSpec[] = [];
