// The counters INFO stats, errorstats and CONFIG RESETSTAT read; the server and its clients add to them.

export interface ServerStats {
  startedAt: number;
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  rejectedCalls: number;
  netInputBytes: number;
  netOutputBytes: number;
  expiredKeys: number;
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  /** Handler exceptions caught by the client loop (bugs), logged with their stack. */
  internalErrors: number;
  /** Clients closed for client-query-buffer-limit / client-output-buffer-limit (INFO stats, as Redis 7.4 names them). */
  clientQueryBufferLimitDisconnections: number;
  clientOutputBufferLimitDisconnections: number;
  /** Error replies by error code prefix (ERR, WRONGTYPE...), for INFO errorstats. */
  errorsByCode: Map<string, number>;
  /** Error replies whose prefix arrived after errorsByCode reached Redis's 128-prefix cap. */
  errorsPastPrefixCap: number;
}

export function newStats(now: number): ServerStats {
  return {
    startedAt: now,
    connectionsReceived: 0,
    commandsProcessed: 0,
    rejectedConnections: 0,
    rejectedCalls: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    syncFull: 0,
    syncPartialOk: 0,
    syncPartialErr: 0,
    internalErrors: 0,
    clientQueryBufferLimitDisconnections: 0,
    clientOutputBufferLimitDisconnections: 0,
    errorsByCode: new Map(),
    errorsPastPrefixCap: 0,
  };
}
