// Commands of the hashes group.

import type { CommandSpec } from './table';

export const hashesCommands: CommandSpec[] = [];
