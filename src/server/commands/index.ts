// Registers every command group in the table. One module per group.

import type { CommandTable } from './table';
import type { Acl } from '../acl/acl';
import { connectionCommands } from './connection';
import { transactionCommands } from './transactions';
import { keysCommands } from './keys';
import { stringsCommands } from './strings';
import { bitmapsCommands } from './bitmaps';
import { hashesCommands } from './hashes';
import { listsCommands } from './lists';
import { blockingPopsCommands } from './blocking-pops';
import { setsCommands } from './sets';
import { zsetsCommands } from './zsets';
import { hyperloglogCommands } from './hyperloglog';
import { streamsCommands } from './streams';
import { streamReadCommands } from './streams-read';
import { streamGroupCommands } from './stream-groups';
import { streamInfoCommands } from './stream-info';
import { pubsubCommands } from './pubsub';
import { clientCommands } from './client';
import { serverCommands } from './server';
import { replicationCommands } from './replication';
import { persistenceCommands } from './persistence';
import { diagnosticsCommands } from './diagnostics';
import { geoCommands } from './geo';
import { sortCommands } from './sort';
import { aclCommands } from './acl';

/** `acl` is read when an ACL command runs: the ACL itself is built from the registered table. */
export function registerAllCommands(table: CommandTable, acl: () => Acl): void {
  table.register(connectionCommands);
  table.register(transactionCommands(table));
  table.register(keysCommands);
  table.register(stringsCommands);
  table.register(bitmapsCommands);
  table.register(hashesCommands);
  table.register(listsCommands);
  table.register(blockingPopsCommands);
  table.register(setsCommands);
  table.register(zsetsCommands);
  table.register(hyperloglogCommands);
  table.register(streamsCommands);
  table.register(streamReadCommands);
  table.register(streamGroupCommands);
  table.register(streamInfoCommands);
  table.register(pubsubCommands);
  table.register(clientCommands);
  table.register(serverCommands(table));
  table.register(replicationCommands);
  table.register(persistenceCommands);
  table.register(diagnosticsCommands(table));
  table.register(geoCommands);
  table.register(sortCommands);
  table.register(aclCommands(acl));
}
