// Commands of the pubsub group.

import type { CommandSpec } from './table';

export const pubsubCommands: CommandSpec[] = [];
