// An authenticated conversation with one node. Every failure becomes a one-line NodeFailureError
// (exit 4) that names the node, its address and what to do; the password never appears in any.

import { NodeFailureError } from '../errors';
import type { TlsFiles } from '../topology/model';
import type { Secret } from '../topology/secret';
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
  /** Where the password came from, for the wrong-password hint. */
  passwordSource?: string | null;
}

// Redis 7's reply when AUTH is sent to a node without a password (6.x and 7.x), and Redis 5's.
const AUTH_WITHOUT_PASSWORD = /called without any password configured|no password is set/i;
export const ERR_NO_CONFIG_FILE = 'ERR The server is running without a config file';

export class NodeSession {
  /** The node had no password when we connected (AUTH was not needed). */
  passwordless = false;

  private constructor(
    readonly target: NodeTarget,
    private readonly connection: Connection,
    private readonly options: SessionOptions,
  ) {}

  static async open(target: NodeTarget, options: SessionOptions): Promise<NodeSession> {
    let connection: Connection;
    try {
      connection = await Connection.open(target.host, target.port, options.timeoutMs, target.tls);
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
    return parseInfo(reply);
  }

  async facts(): Promise<ReplicationFacts> {
    return replicationFacts(await this.info());
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
