// The node's ACL: its users (the default one mirroring requirepass), authentication, the
// permission check the dispatcher runs before each command, the ACL log, and the ACL file.

import { readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import type { CommandTable, CompiledCommand } from '../commands/table';
import type { ConfigStore } from '../config';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { checkCommand, type Denial } from './check';
import { AclLog, type AclLogContext } from './log';
import { channelAllowedBy, RULE_ERROR_TEXT } from './selector';
import { AclUser, hasSpaces, mergeSelectorArguments } from './user';
import { CommandUniverse } from './universe';

/** What the ACL needs of a connected client. */
export interface AclClient {
  user: string;
  authenticated: boolean;
  closeAfterReply: boolean;
  readonly multi: unknown[] | null;
  /** EXEC is running the queued commands: Redis still counts the client as in MULTI. */
  readonly executingMulti: boolean;
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly shardChannels: Set<string>;
  describe(): string;
  close(): void;
}

export const ERR_NOPERM_KEY = 'NOPERM this user has no permissions to access one of the keys used as arguments';
export const ERR_NOPERM_CHANNEL = 'NOPERM this user has no permissions to access one of the channels used as arguments';
export const errNopermCommand = (name: string) => `NOPERM this user has no permissions to run the '${name}' command`;

/** Byte order, as Redis's radix tree lists users. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class Acl {
  readonly universe: CommandUniverse;
  private users = new Map<string, AclUser>();
  readonly log: AclLog;

  constructor(
    private readonly table: CommandTable,
    private readonly config: ConfigStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly clients: () => Iterable<AclClient>,
  ) {
    this.universe = new CommandUniverse(table);
    this.log = new AclLog(() => config.getInt('acllog-max-len'));
    this.users.set('default', this.createDefaultUser());
    this.setDefaultPassword(config.get('requirepass'));
  }

  /** A command as the dispatcher resolves it (a container's subcommand from the second argument). */
  resolveCommand(args: readonly string[]): CompiledCommand | undefined {
    const cmd = this.table.get(args[0].toLowerCase());
    if (cmd?.subcommands && args.length >= 2) return cmd.subcommands[args[1].toLowerCase()] as CompiledCommand | undefined;
    return cmd;
  }

  /** ACLLoadUsersAtStartup: the config file's `user` lines, then the ACL file; Redis's reason to abort, or null. */
  loadAtStartup(): string | null {
    const aclfile = this.config.get('aclfile');
    const lines = this.config.aclUsers;
    if (aclfile !== '' && lines.length > 0) {
      return 'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.';
    }
    try {
      this.loadConfiguredUsers(lines);
    } catch (error) {
      this.logger.warning((error as Error).message);
      return 'Critical error while loading ACLs. Exiting.';
    }
    if (aclfile !== '') {
      const errors = this.loadFile(aclfile);
      if (errors !== null) return `Aborting Redis startup because of ACL errors: ${errors}`;
    }
    return null;
  }

  private allChannelsByDefault = (): boolean => this.config.get('acl-pubsub-default') === 'allchannels';

  private newUser(name: string): AclUser {
    return new AclUser(name, this.universe, this.allChannelsByDefault);
  }

  private createDefaultUser(): AclUser {
    const user = this.newUser('default');
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(op);
    return user;
  }

  get defaultUser(): AclUser {
    return this.users.get('default')!;
  }

  getUser(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** Names in Redis's order. */
  userNames(): string[] {
    return [...this.users.keys()].sort(byName);
  }

  /** ACLUpdateDefaultUserPassword: requirepass sets (or, empty, clears) the default user's password. */
  setDefaultPassword(password: string): void {
    const user = this.defaultUser;
    user.apply('resetpass');
    user.apply(password === '' ? 'nopass' : '>' + password);
  }

  /** A new connection starts authenticated when the default user needs no password. */
  newClientAuthenticated(): boolean {
    const user = this.defaultUser;
    return user.nopass && !user.disabled;
  }

  /** AUTH <password> is refused outright while the default user has nopass. */
  defaultUserHasNoPassword(): boolean {
    return this.defaultUser.nopass;
  }

  /** AUTH / HELLO AUTH: on success the client becomes that user; a failure is logged. */
  authenticate(client: AclClient, username: string, password: string, commandName: string): boolean {
    const user = this.users.get(username);
    if (user && !user.disabled && user.passwordMatches(password)) {
      client.authenticated = true;
      client.user = username;
      return true;
    }
    this.addLogEntry(client, 'auth', commandName, username);
    return false;
  }

  /** The dispatcher's check: null when the command may run, else the error to reply (logged). */
  check(client: AclClient, cmd: CompiledCommand, args: string[], context: AclLogContext): string | null {
    const user = this.users.get(client.user) ?? this.defaultUser;
    const denial = checkCommand(user, this.universe, cmd, args);
    if (!denial) return null;
    this.addLogEntry(client, denial.reason, denial.reason === 'command' ? cmd.name : args[denial.argIndex], user.name, context);
    return denialError(denial, cmd.name);
  }

  /**
   * A script's command, checked for the user running the script: the denial's reason (logged with
   * context lua when `log`), or null. redis.acl_check_cmd asks without logging.
   */
  checkForScript(client: AclClient, cmd: CompiledCommand, args: string[], log: boolean): Denial['reason'] | null {
    const user = this.users.get(client.user) ?? this.defaultUser;
    const denial = checkCommand(user, this.universe, cmd, args);
    if (!denial) return null;
    if (log) this.addLogEntry(client, denial.reason, denial.reason === 'command' ? cmd.name : args[denial.argIndex], user.name, 'lua');
    return denial.reason;
  }

  /** EXEC's check of a queued command: null, or the NOPERM error for that command's slot (logged as multi). */
  recheckQueued(client: AclClient, cmd: CompiledCommand, args: string[]): string | null {
    const user = this.users.get(client.user) ?? this.defaultUser;
    const denial = checkCommand(user, this.universe, cmd, args);
    if (!denial) return null;
    this.addLogEntry(client, denial.reason, denial.reason === 'command' ? cmd.name : args[denial.argIndex], user.name, 'multi');
    return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${EXEC_DENIAL_REASON[denial.reason]}`;
  }

  /** ACL DRYRUN's verdict: null or the verbose text. */
  dryRun(user: AclUser, cmd: CompiledCommand, args: string[]): string | null {
    const denial = checkCommand(user, this.universe, cmd, args);
    if (!denial) return null;
    if (denial.reason === 'command') return `This user has no permissions to run the '${cmd.name}' command`;
    return `This user has no permissions to access the '${args[denial.argIndex]}' ${denial.reason}`;
  }

  addLogEntry(client: AclClient, reason: 'command' | 'key' | 'channel' | 'auth', object: string, username: string, context?: AclLogContext): void {
    this.log.add({
      reason,
      context: context ?? (client.multi || client.executingMulti ? 'multi' : 'toplevel'),
      object,
      username,
      ctime: this.clock.now(),
      clientInfo: client.describe(),
    });
  }

  // --- ACL SETUSER / DELUSER ----------------------------------------------------------------

  /** ACLStringSetUser: all rules or none; the error text (without "ERR ") when one fails. */
  setUser(name: string, ops: readonly string[], current: AclClient | null): string | null {
    const merged = mergeSelectorArguments(ops);
    if ('unmatched' in merged) return `Unmatched parenthesis in acl selector starting at '${ops[merged.unmatched]}'.`;
    const existing = this.users.get(name);
    const staged = existing ? existing.cloneAs(name) : this.newUser(name);
    for (const op of merged.rules) {
      const error = staged.apply(op);
      if (error) return `Error in ACL SETUSER modifier '${op}': ${RULE_ERROR_TEXT[error]}`;
    }
    if (existing) this.killPubSubClientsIfNeeded(staged, existing, current);
    this.users.set(name, staged);
    return null;
  }

  /** Subscribers of the user whose channels the new rules no longer grant are disconnected. */
  private killPubSubClientsIfNeeded(next: AclUser, original: AclUser, current: AclClient | null): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming = next.selectors.flatMap((s) => s.channels);
    const superset = original.selectors.every((s) => !s.allChannels && s.channels.every((c) => upcoming.includes(c)));
    if (superset) return;
    for (const client of this.clients()) {
      if (client.user !== original.name) continue;
      const violates =
        [...client.patterns].some((p) => !channelAllowedBy(upcoming, p, true)) ||
        [...client.channels].some((c) => !channelAllowedBy(upcoming, c, false)) ||
        [...client.shardChannels].some((c) => !channelAllowedBy(upcoming, c, false));
      if (violates) this.disconnect(client, current);
    }
  }

  private disconnect(client: AclClient, current: AclClient | null): void {
    if (client === current) client.closeAfterReply = true;
    else client.close();
  }

  /** ACL DELUSER: the number deleted; their clients are disconnected. */
  deleteUsers(names: readonly string[], current: AclClient | null): number {
    let deleted = 0;
    for (const name of names) {
      if (!this.users.delete(name)) continue;
      deleted++;
      this.killClientsOf(name, current);
    }
    return deleted;
  }

  private killClientsOf(name: string, current: AclClient | null): void {
    for (const client of this.clients()) {
      if (client.user !== name) continue;
      if (client === current) {
        // As Redis: the reply still goes out, then the connection closes, no longer authenticated.
        client.user = 'default';
        client.authenticated = false;
      }
      this.disconnect(client, current);
    }
  }

  // --- config file users and the ACL file ----------------------------------------------------

  /** Checks a `user` line's rules (ACLAppendUserForLoading); the offending argument and why, or null. */
  validateUserLine(args: readonly string[]): { arg: string; reason: string } | null {
    const merged = mergeSelectorArguments(args.slice(1));
    if ('unmatched' in merged) return { arg: args[1 + merged.unmatched], reason: 'Syntax error' };
    const fake = this.newUser(args[0]);
    for (const op of merged.rules) {
      const error = fake.apply(op);
      if (error && error !== 'unknown') return { arg: op, reason: RULE_ERROR_TEXT[error] };
    }
    return null;
  }

  /** ACLLoadConfiguredUsers: `user` lines of the config file, applied at start-up. Throws on a bad rule. */
  loadConfiguredUsers(lines: ReadonlyArray<readonly string[]>): void {
    for (const [name, ...rules] of lines) {
      if (hasSpaces(name)) throw new Error('Spaces not allowed in ACL usernames');
      let user = this.users.get(name);
      if (user) user.apply('reset');
      else this.users.set(name, (user = this.newUser(name)));
      const merged = mergeSelectorArguments(rules);
      for (const op of 'rules' in merged ? merged.rules : rules) {
        const error = user.apply(op);
        // Unlike Redis, a failing <password rule is not written to the log verbatim.
        const shown = op[0] === '<' ? '<(redacted)' : op;
        if (error) throw new Error(`Error loading ACL rule '${shown}' for the user named '${name}': ${RULE_ERROR_TEXT[error]}`);
      }
      if (user.disabled) {
        this.logger.notice(`The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
      }
    }
  }

  /** ACLLoadFromFile: null when loaded, else Redis's one-line description of every problem (nothing changes then). */
  loadFile(filename: string, current: AclClient | null = null): string | null {
    let text: string;
    try {
      text = readFileSync(filename, 'latin1');
    } catch (error) {
      return `Error loading ACLs, opening file '${filename}': ${strerror(error)}`;
    }
    const loaded = new Map<string, AclUser>();
    let errors = '';
    text.split('\n').forEach((rawLine, i) => {
      const linenum = i + 1;
      const line = rawLine.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '') return;
      const argv = line.split(' ').filter((s) => s !== '');
      if (argv.length === 0) return;
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
        return;
      }
      const name = argv[1];
      if (hasSpaces(name)) {
        errors += `'${filename}:${linenum}: username '${name}' contains invalid characters. `;
        return;
      }
      if (loaded.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        return;
      }
      const user = this.newUser(name);
      loaded.set(name, user);
      const merged = mergeSelectorArguments(argv.slice(2));
      if ('unmatched' in merged) {
        errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
        return;
      }
      let syntaxError = false;
      for (const op of merged.rules) {
        const error = user.apply(op.replace(/^[\t\r\n]+|[\t\r\n]+$/g, ''));
        if (!error) continue;
        if (error === 'unknown') errors += `${filename}:${linenum}: Error in applying operation '${op}': ${RULE_ERROR_TEXT[error]}. `;
        else if (!syntaxError) {
          errors += `${filename}:${linenum}: ${RULE_ERROR_TEXT[error]}. `;
          syntaxError = true;
        }
      }
    });
    if (errors !== '') return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    if (!loaded.has('default')) loaded.set('default', this.createDefaultUser());
    const previous = this.users;
    this.users = loaded;
    // Redis 7.0 frees every previous user, disconnecting the clients authenticated with them.
    for (const client of this.clients()) {
      if (client.user !== 'default' && previous.has(client.user)) this.disconnect(client, current);
    }
    return null;
  }

  /** CONFIG REWRITE's `user` lines; null when an aclfile holds the users instead. */
  configRewriteLines(): string[] | null {
    if (this.config.get('aclfile') !== '') return null;
    return this.userNames().map((name) => `user ${name} ${this.users.get(name)!.describe()}`);
  }

  /** ACLSaveToFile: writes every user's description through a temporary file. */
  saveFile(filename: string): boolean {
    const text = this.userNames().map((name) => `user ${name} ${this.users.get(name)!.describe()}\n`).join('');
    const temp = `${filename}.tmp-${process.pid}-${this.clock.now()}`;
    try {
      writeFileSync(temp, text, { encoding: 'latin1', mode: 0o644 });
      renameSync(temp, filename);
      return true;
    } catch (error) {
      this.logger.warning(`Writing ACL file for ACL SAVE: ${strerror(error)}`);
      try {
        unlinkSync(temp);
      } catch {
        // nothing to remove
      }
      return false;
    }
  }
}

const EXEC_DENIAL_REASON = {
  command: 'no permission to execute the command or subcommand',
  key: 'no permission to touch the specified keys',
  channel: 'no permission to access one of the channels used as arguments',
} as const;

function denialError(denial: Denial, commandName: string): string {
  if (denial.reason === 'command') return errNopermCommand(commandName);
  return denial.reason === 'key' ? ERR_NOPERM_KEY : ERR_NOPERM_CHANNEL;
}

function strerror(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (error as Error).message;
}
