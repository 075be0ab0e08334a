// Commands of the client group.

import type { CommandSpec } from './table';

export const clientCommands: CommandSpec[] = [];
