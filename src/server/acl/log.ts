// ACL LOG: recent denials (command, key, channel) and failed AUTHs, similar ones within a minute
// folded into one entry with a count, as Redis's addACLLogEntry does.

export type AclDenial = 'command' | 'key' | 'channel' | 'auth';
export type AclLogContext = 'toplevel' | 'multi' | 'lua' | 'module';

export interface AclLogEntry {
  count: number;
  reason: AclDenial;
  context: AclLogContext;
  object: string;
  username: string;
  /** Last update, in milliseconds. */
  ctime: number;
  clientInfo: string;
}

const GROUPING_MAX_DELTA_MS = 60000;
/** Only this many recent entries are compared for folding. */
const GROUPING_SCAN = 10;

export class AclLog {
  /** Newest first. */
  entries: AclLogEntry[] = [];

  constructor(private readonly maxLen: () => number) {}

  add(entry: Omit<AclLogEntry, 'count'>): void {
    const scan = Math.min(GROUPING_SCAN, this.entries.length);
    for (let i = 0; i < scan; i++) {
      const current = this.entries[i];
      if (
        current.reason === entry.reason &&
        current.context === entry.context &&
        Math.abs(current.ctime - entry.ctime) <= GROUPING_MAX_DELTA_MS &&
        current.object === entry.object &&
        current.username === entry.username
      ) {
        this.entries.splice(i, 1);
        this.entries.unshift(current);
        current.clientInfo = entry.clientInfo;
        current.ctime = entry.ctime;
        current.count++;
        return;
      }
    }
    this.entries.unshift({ ...entry, count: 1 });
    const max = this.maxLen();
    if (this.entries.length > max) this.entries.length = Math.max(0, max);
  }

  reset(): void {
    this.entries = [];
  }
}
