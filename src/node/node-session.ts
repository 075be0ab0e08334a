// An authenticated conversation with one node. Every failure becomes a one-line NodeFailureError
// (exit 4) that names the node, its address and what to do; the password never appears in any.

import type { Socket } from 'node:net';
import { NodeFailureError } from '../errors';
import type { TlsFiles } from '../topology/model';
import type { Secret } from '../topology/secret';
import { capabilitiesOf, configSetCommands, describeVersion, OLDEST_SUPPORTED, type Capabilities, type Command } from './capabilities';
import { Connection, TransportError, formatSeconds } from './connection';
import { parseInfo, replicationFacts, type InfoFields, type ReplicationFacts } from './info';
import { ReplyError, type RespValue } from './resp';

export interface NodeTarget {
  name: string;
  host: string;
  port: number;
  address: string;
  /** Present: the node is reached over TLS (topology nodes carry their topology's tls). */
  tls?: TlsFiles;
}

export interface SessionOptions {
  password: Secret | null;
  /** Connect and per-reply limit. */
  timeoutMs: number;
  /**
   * Date.now() by which the connect, AUTH and every command must be done, until endDeadline():
   * observations (status, check, dry runs) read each node within --timeout, whatever it sends.
   */
  deadline?: number;
  /** Where the password came from, for the wrong-password hint. */
  passwordSource?: string | null;
}

// Redis 7's reply when AUTH is sent to a node without a password (6.x and 7.x), and Redis 5's.
const AUTH_WITHOUT_PASSWORD = /called without any password configured|no password is set/i;
export const ERR_NO_CONFIG_FILE = 'ERR The server is running without a config file';

export class NodeSession {
  /** The node had no password when we connected (AUTH was not needed). */
  passwordless = false;
  /** Learnt from the first INFO that carries the server section (see capabilities()). */
  private known: Capabilities | null = null;

  private constructor(
    readonly target: NodeTarget,
    private readonly connection: Connection,
    private readonly options: SessionOptions,
  ) {}

  static async open(target: NodeTarget, options: SessionOptions): Promise<NodeSession> {
    let connection: Connection;
    try {
      connection = await Connection.open(target.host, target.port, options.timeoutMs, target.tls, options.deadline ?? null);
    } catch (error) {
      throw transportFailure(target, error);
    }
    const session = new NodeSession(target, connection, options);
    try {
      await session.authenticate();
    } catch (error) {
      connection.close();
      throw error;
    }
    return session;
  }

  /** The connection failed (closed by the node, a reply timed out): only a new session can go on. */
  get broken(): boolean {
    return this.connection.broken;
  }

  /** The observation is over: later commands (a failover's steps) get the per-reply limit only. */
  endDeadline(): void {
    this.connection.setOverallDeadline(null);
  }

  /** Raw call: error replies come back as ReplyError values; transport failures throw. */
  async call(args: ReadonlyArray<string | number>): Promise<RespValue> {
    try {
      return await this.connection.call(args);
    } catch (error) {
      throw transportFailure(this.target, error);
    }
  }

  /** Call that throws a NodeFailureError on an error reply. `what` names the step in messages. */
  async expect(args: ReadonlyArray<string | number>, what: string): Promise<RespValue> {
    const reply = await this.call(args);
    if (reply instanceof ReplyError) throw this.replyFailure(reply, what);
    return reply;
  }

  async info(section?: string): Promise<InfoFields> {
    const reply = await this.expect(section ? ['INFO', section] : ['INFO'], 'INFO');
    if (typeof reply !== 'string') throw this.unexpected('INFO', reply);
    const fields = parseInfo(reply);
    this.known ??= capabilitiesOf(fields);
    return fields;
  }

  /** What the node's version can do: from the INFO already read, else one INFO server. */
  async capabilities(): Promise<Capabilities> {
    if (!this.known) await this.info('server');
    if (!this.known) throw new NodeFailureError('NODE_COMMAND_FAILED', `${this.target.name} (${this.target.address}): INFO server shows no redis_version`, 'check that the node is a Redis server');
    return this.known;
  }

  /** The capabilities, refusing a node older than rctl manages (exit 4), for commands that change nodes. */
  async supportedCapabilities(): Promise<Capabilities> {
    const capabilities = await this.capabilities();
    if (!capabilities.supported) {
      throw new NodeFailureError(
        'UNSUPPORTED_VERSION',
        `${this.target.name} (${this.target.address}) runs ${describeVersion(capabilities)}: rctl manages Redis ${OLDEST_SUPPORTED} and newer`,
        `upgrade ${this.target.name} to Redis ${OLDEST_SUPPORTED} or newer (replicas before their master)`,
      );
    }
    return capabilities;
  }

  /**
   * MULTI, the commands, EXEC, pipelined in one round trip: no other client's command runs between
   * them. Returns each command's reply (error replies as ReplyError values: a failed command does
   * not undo the others); throws when the transaction itself is refused.
   */
  async transaction(commands: ReadonlyArray<Command>, what: string): Promise<RespValue[]> {
    const replies = await Promise.all([this.call(['MULTI']), ...commands.map((command) => this.call(command)), this.call(['EXEC'])]);
    const exec = replies[replies.length - 1];
    // A command refused while queueing (unknown, wrong arity) aborts the whole EXEC: its own error says why.
    const queued = replies.slice(0, -1).find((reply) => reply instanceof ReplyError);
    if (queued instanceof ReplyError) throw this.replyFailure(queued, what);
    if (exec instanceof ReplyError) throw this.replyFailure(exec, what);
    if (!Array.isArray(exec) || exec.length !== commands.length) throw this.unexpected(`EXEC of ${what}`, exec);
    return exec;
  }

  /**
   * Sets parameters together, the way the node's version allows (capabilities.ts): throws with the
   * server's own error text, naming the parameter, when any is refused. The commands go out before
   * this returns, so a command sent right after it reaches the node after them; hence the version
   * must be known already.
   */
  configSet(settings: ReadonlyArray<readonly [string, string]>): Promise<void> {
    // Callers read INFO first (observation, inspection): a command queued behind this one relies on that.
    if (!this.known) return Promise.reject(new Error(`${this.target.name}: CONFIG SET before the node's version was read`));
    const { commands, transaction } = configSetCommands(this.known, settings);
    if (!transaction) {
      return Promise.all(commands.map((command) => this.expect(command, `CONFIG SET ${command.slice(2).filter((_, i) => i % 2 === 0).join(' ')}`))).then(() => undefined);
    }
    return this.transaction(commands, 'CONFIG SET').then((replies) => {
      replies.forEach((reply, i) => {
        if (reply instanceof ReplyError) throw this.replyFailure(reply, `CONFIG SET ${settings[i][0]}`);
      });
    });
  }

  /**
   * After CONFIG SET requirepass on a node that had no password: before 6.0 this connection is no
   * longer authenticated (capabilities.ts), so it authenticates with the new password.
   */
  async passwordWasSet(): Promise<void> {
    const password = this.options.password;
    if (!this.passwordless || !password) return;
    if (!(await this.capabilities()).keepsAuthWhenPasswordSet) await this.expect(['AUTH', password.reveal()], 'AUTH');
    this.passwordless = false;
  }

  async facts(): Promise<ReplicationFacts> {
    return replicationFacts(await this.info());
  }

  /**
   * The ACL user this node replicates as (masteruser, Redis 6.0+), or null: its masterauth is then
   * that user's password, which rctl must never overwrite with the default user's.
   */
  async replicationUser(): Promise<string | null> {
    const user = await this.configGet('masteruser');
    return user ? user : null;
  }

  /** CONFIG GET of several names, one call each, pipelined: several names in one call need 7.0. */
  async configGetMany<T extends string>(names: readonly T[]): Promise<Record<T, string | null>> {
    const values = await Promise.all(names.map((name) => this.configGet(name)));
    return Object.fromEntries(names.map((name, i) => [name, values[i]])) as Record<T, string | null>;
  }

  /** CONFIG GET name → value, or null when the node does not know the parameter. */
  async configGet(name: string): Promise<string | null> {
    const reply = await this.expect(['CONFIG', 'GET', name], `CONFIG GET ${name}`);
    if (!Array.isArray(reply)) throw this.unexpected(`CONFIG GET ${name}`, reply);
    for (let i = 0; i + 1 < reply.length; i += 2) {
      if (String(reply[i]).toLowerCase() === name.toLowerCase()) return typeof reply[i + 1] === 'string' ? (reply[i + 1] as string) : null;
    }
    return null;
  }

  close(): void {
    this.connection.close();
  }

  /** The authenticated socket, for a protocol past commands and replies (SYNC); the session is over. */
  detachSocket(): Socket {
    return this.connection.detach();
  }

  replyFailure(reply: ReplyError, what: string): NodeFailureError {
    const text = this.scrub(reply.text);
    const { name, address } = this.target;
    if (reply.prefix === 'LOADING') {
      return new NodeFailureError('NODE_LOADING', `${name} (${address}) is still loading its dataset (${text})`, 'retry when loading has finished');
    }
    if (reply.prefix === 'NOAUTH') {
      return new NodeFailureError('AUTH_REQUIRED', `${name} (${address}) requires a password (${text})`, 'add auth.password, auth.passwordEnv or auth.passwordFile to the topology');
    }
    if (reply.prefix === 'WRONGPASS') {
      return new NodeFailureError('AUTH_WRONGPASS', `${name} (${address}) rejected the password (${text})`, this.passwordHint());
    }
    return new NodeFailureError('NODE_COMMAND_FAILED', `${name} (${address}): ${what} failed: ${text}`);
  }

  private async authenticate(): Promise<void> {
    // PING first: it proves the peer speaks RESP before any password is sent to it.
    const ping = await this.call(['PING']);
    const needsAuth = ping instanceof ReplyError && ping.prefix === 'NOAUTH';
    if (ping instanceof ReplyError && !needsAuth && ping.prefix !== 'LOADING') throw this.replyFailure(ping, 'PING');
    const password = this.options.password;
    if (!password) {
      if (needsAuth) throw this.replyFailure(ping as ReplyError, 'PING');
      this.passwordless = true;
      return;
    }
    const auth = await this.call(['AUTH', password.reveal()]);
    if (auth instanceof ReplyError) {
      if (AUTH_WITHOUT_PASSWORD.test(auth.text)) {
        this.passwordless = true;
        return;
      }
      // Redis 5 and older say ERR invalid password instead of WRONGPASS.
      if (/invalid password/i.test(auth.text)) throw new NodeFailureError('AUTH_WRONGPASS', `${this.target.name} (${this.target.address}) rejected the password (${auth.text})`, this.passwordHint());
      throw this.replyFailure(auth, 'AUTH');
    }
  }

  private passwordHint(): string {
    const source = this.options.passwordSource;
    return source ? `check the password from ${source} in the topology` : 'check auth in the topology';
  }

  private scrub(text: string): string {
    const password = this.options.password?.reveal();
    return password && password.length > 0 ? text.split(password).join('[redacted]') : text;
  }

  private unexpected(what: string, reply: RespValue): NodeFailureError {
    return new NodeFailureError('NODE_COMMAND_FAILED', `${this.target.name} (${this.target.address}): unexpected reply to ${what}: ${JSON.stringify(reply).slice(0, 80)}`);
  }
}

export function transportFailure(target: NodeTarget, error: unknown): NodeFailureError {
  if (error instanceof NodeFailureError) return error;
  if (!(error instanceof TransportError)) throw error;
  const where = `${target.name} (${target.address})`;
  switch (error.failure) {
    case 'refused':
      return new NodeFailureError('NODE_REFUSED', `${where}: connection refused`, 'is the node running? `rctl up` starts embedded and redis-server nodes');
    case 'connect-timeout':
      return new NodeFailureError('NODE_UNREACHABLE', `${where}: unreachable, ${error.message}`, 'check the host and port, or raise --timeout');
    case 'unreachable':
      return new NodeFailureError('NODE_UNREACHABLE', `${where}: ${error.message}`, 'check the host and port');
    case 'reply-timeout':
      return new NodeFailureError('NODE_TIMEOUT', `${where}: connected but ${error.message} (frozen node, or not a Redis server)`, 'check the node, or raise --timeout');
    case 'protocol':
      return new NodeFailureError('NOT_REDIS', `${where}: not a Redis server (it answered ${JSON.stringify(error.preview ?? '')})`, 'check the port in the topology');
    case 'closed':
      return new NodeFailureError('NODE_CLOSED', `${where}: ${error.message}`, 'check the node log');
  }
}

export { formatSeconds };
