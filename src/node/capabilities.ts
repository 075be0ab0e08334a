// What a node's Redis version can do, read once from INFO server (redis_version; the bundled node
// reports the version it emulates, 7.0.15, plus rctl_node_version). Every command rctl sends that
// differs between versions is chosen from here, never by a version check elsewhere:
//
// | since | what                                                                                   |
// |-------|----------------------------------------------------------------------------------------|
// | 5.0   | REPLICAOF, the replica-* config names, PSYNC2 (4.0), RDB 9; the oldest version managed |
// | 6.0   | a connection stays authenticated across CONFIG SET requirepass (ACL's default user)    |
// | 6.2   | CLIENT PAUSE ms WRITE (reads go on) and CLIENT UNPAUSE; FAILOVER                        |
// | 7.0   | CONFIG SET / CONFIG GET with several parameters in one call (atomic); RDB 10           |
// | 7.2   | RDB 11 (sets as listpacks)                                                             |
// | 7.4   | RDB 12                                                                                 |
//
// Before 6.2, CLIENT PAUSE holds every command of every client, reads and rctl's own included,
// and a pause can be neither ended nor shortened: the failover sizes it to the switch instead.

export const OLDEST_SUPPORTED = '5.0';
export const NEWEST_TESTED = '7.2';

export interface Capabilities {
  /** redis_version as the node reports it. */
  version: string;
  major: number;
  minor: number;
  /** The bundled node (it reports rctl_node_version): it emulates `version`. */
  bundled: boolean;
  /** 5.0 or newer: rctl manages it. */
  supported: boolean;
  /** Newer than the newest version rctl was tested with (its 7.2 behaviour is assumed). */
  untested: boolean;
  /** CONFIG SET name value [name value ...], applied atomically (7.0). */
  configSetMany: boolean;
  /** CLIENT PAUSE ms WRITE and CLIENT UNPAUSE (6.2); before, a pause holds reads too and runs to its end. */
  pauseWritesOnly: boolean;
  /**
   * A connection opened while the node had no password stays authenticated once requirepass is
   * set (6.0: the default user was nopass when it connected); before 6.0 it gets -NOAUTH.
   */
  keepsAuthWhenPasswordSet: boolean;
  /** The FAILOVER command (6.2). */
  failoverCommand: boolean;
  /** The RDB format version it writes. null: not known to rctl. */
  rdbVersion: number | null;
  /** The newest RDB format it loads: a full sync from a master writing a newer one fails. */
  rdbReadMax: number | null;
}

/** The bundled node writes RDB 10 (7.0's) and reads up to 11 (src/server/rdb/constants.ts, RDB_MAX_READ_VERSION). */
export const BUNDLED_RDB_READ_MAX = 11;

/** [major, minor, patch] of a version text such as "6.2.16", or null. */
export function parseVersion(text: string): [number, number, number] | null {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

/** Negative when a < b, 0 when equal or unparsable, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) return 0;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

function atLeast(version: [number, number, number], major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** The RDB version each release line writes (rdb.h RDB_VERSION). */
function rdbVersionOf(version: [number, number, number]): number | null {
  if (!atLeast(version, 5, 0)) return null;
  if (!atLeast(version, 7, 0)) return 9;
  if (!atLeast(version, 7, 2)) return 10;
  if (!atLeast(version, 7, 4)) return 11;
  if (version[0] === 7) return 12;
  return null;
}

/** Capabilities of a version text; `bundled` marks the bundled node. Unparsable text is treated as unsupported. */
export function capabilitiesOfVersion(text: string, bundled = false): Capabilities {
  const parsed = parseVersion(text) ?? [0, 0, 0];
  const newest = parseVersion(NEWEST_TESTED) as [number, number, number];
  return {
    version: text,
    major: parsed[0],
    minor: parsed[1],
    bundled,
    supported: atLeast(parsed, 5, 0),
    untested: parsed[0] > newest[0] || (parsed[0] === newest[0] && parsed[1] > newest[1]),
    configSetMany: atLeast(parsed, 7, 0),
    pauseWritesOnly: atLeast(parsed, 6, 2),
    keepsAuthWhenPasswordSet: atLeast(parsed, 6, 0),
    failoverCommand: atLeast(parsed, 6, 2),
    rdbVersion: rdbVersionOf(parsed),
    rdbReadMax: bundled ? BUNDLED_RDB_READ_MAX : rdbVersionOf(parsed),
  };
}

/** From INFO (any section set that includes server), or null when it carries no redis_version. */
export function capabilitiesOf(info: ReadonlyMap<string, string>): Capabilities | null {
  const version = info.get('redis_version');
  if (version === undefined) return null;
  return capabilitiesOfVersion(version, info.has('rctl_node_version'));
}

/** "Redis 6.2.16", or "the bundled node (Redis 7.0.15)". */
export function describeVersion(capabilities: Capabilities): string {
  return capabilities.bundled ? `the bundled node (Redis ${capabilities.version})` : `Redis ${capabilities.version}`;
}

// --- the commands that differ --------------------------------------------------------------

export type Command = Array<string | number>;

/**
 * The commands that set several parameters together: one CONFIG SET on 7.0+ (atomic: all or
 * none), else one CONFIG SET each inside MULTI/EXEC, so that no other client's command runs
 * between them (a failed one does not undo the others: every reply is checked).
 */
export function configSetCommands(capabilities: Capabilities, settings: ReadonlyArray<readonly [string, string]>): { commands: Command[]; transaction: boolean } {
  if (settings.length === 0) return { commands: [], transaction: false };
  if (settings.length === 1) return { commands: [['CONFIG', 'SET', settings[0][0], settings[0][1]]], transaction: false };
  if (capabilities.configSetMany) return { commands: [['CONFIG', 'SET', ...settings.flatMap(([name, value]) => [name, value])]], transaction: false };
  return { commands: settings.map(([name, value]) => ['CONFIG', 'SET', name, value]), transaction: true };
}

/** The same as text for plans and fix commands: `MULTI; CONFIG SET a 1; CONFIG SET b 2; EXEC` before 7.0. */
export function describeConfigSet(capabilities: Capabilities, settings: ReadonlyArray<readonly [string, string]>): string {
  const { commands, transaction } = configSetCommands(capabilities, settings);
  const text = commands.map((command) => command.join(' '));
  return transaction ? ['MULTI', ...text, 'EXEC'].join('; ') : text.join('; ');
}

/**
 * The pause a graceful failover holds the old master's writes with. From 6.2: writes only, ended
 * early with CLIENT UNPAUSE. Before: every command, and it runs to its deadline.
 */
export function pauseCommand(capabilities: Capabilities, ms: number): Command {
  return capabilities.pauseWritesOnly ? ['CLIENT', 'PAUSE', ms, 'WRITE'] : ['CLIENT', 'PAUSE', ms];
}

/** CLIENT UNPAUSE where it exists (6.2); before, a pause only ends at its deadline. */
export function unpauseCommand(capabilities: Capabilities): Command | null {
  return capabilities.pauseWritesOnly ? ['CLIENT', 'UNPAUSE'] : null;
}

/** Bytes a command adds to the replication stream (its RESP array form), as a master propagates it. */
export function propagatedBytes(command: ReadonlyArray<string>): number {
  let bytes = `*${command.length}\r\n`.length;
  for (const arg of command) {
    const length = Buffer.byteLength(arg);
    bytes += `$${length}\r\n`.length + length + 2;
  }
  return bytes;
}
