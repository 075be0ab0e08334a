// The client redis.call runs commands on (Redis's lua_client): no socket, replies kept for the
// script to read, the caller's database and user. Blocking commands answer at once, as inside
// MULTI (Redis's CLIENT_DENY_BLOCKING), and it never appears in CLIENT LIST.

import type { CommandContext, QueuedCommand, ServerContext } from '../context';
import type { Db } from '../keyspace/db';
import { ReplyBuffer } from '../resp/reply';

export class ScriptClient implements CommandContext {
  readonly id = 0;
  readonly address = '';
  readonly localAddress = '';
  readonly localPort = 0;
  readonly reply = new ReplyBuffer();
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  readonly watched = new Set<string>();
  readonly watchDirty = false;
  readonly isMasterLink = false;
  readonly isReplica = false;
  readonly isLocal = true;
  readonly isScript = true;
  scriptCaller: CommandContext | null = null;
  scriptKeys: readonly string[] = [];
  readonly closed = false;
  dbIndex = 0;
  name = '';
  user = 'default';
  authenticated = true;
  closeAfterReply = false;
  replyMode: 'on' | 'off' | 'skip' = 'on';
  blocked = false;
  noEvict = false;
  multi: QueuedCommand[] | null = null;
  executingMulti = true;
  multiError = false;

  constructor(readonly server: ServerContext) {}

  get db(): Db {
    return this.server.dbs[this.dbIndex];
  }

  get inPubSub(): boolean {
    return false;
  }

  describe(): string {
    return `id=0 addr= laddr= fd=-1 name= flags=N db=${this.dbIndex} cmd=lua user=${this.user}`;
  }

  close(): void {}
  sendNow(): void {}
  flush(): void {}
  unblock(): void {}

  /** The one reply the last command wrote. */
  takeReply(): string {
    const chunks = this.reply.take();
    return chunks.length === 1 ? chunks[0] : chunks.join('');
  }
}
