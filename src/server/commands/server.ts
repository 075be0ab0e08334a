// Commands of the server group.

import type { CommandSpec } from './table';

export const serverCommands: CommandSpec[] = [];
