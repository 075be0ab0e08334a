// MONITOR: every command the node runs, as one status line per command sent to each monitoring
// client ("+<unix seconds>.<µs> [<db> <ip:port>] "arg" "arg"..."), quoted as sdscatrepr does.

import { quoteConfigArg } from '../../formats/redis-conf';

export interface MonitoringClient {
  readonly closed: boolean;
  readonly reply: { raw(encoded: string): void };
  sendNow(encoded: string): void;
}

export class Monitors<Client extends MonitoringClient> {
  private readonly clients = new Set<Client>();

  get count(): number {
    return this.clients.size;
  }

  has(client: Client): boolean {
    return this.clients.has(client);
  }

  add(client: Client): void {
    this.clients.add(client);
  }

  remove(client: Client): void {
    this.clients.delete(client);
  }

  /**
   * Sends the line of one command to every monitor. `micros`: the wall clock in µs. A monitor that
   * ran the command itself gets the line after the command's reply, as it is queued behind it.
   */
  feed(sender: Client, db: number, peer: string, args: readonly string[], micros: number): void {
    if (this.clients.size === 0) return;
    const seconds = Math.floor(micros / 1e6);
    const fraction = String(micros - seconds * 1e6).padStart(6, '0');
    let line = `+${seconds}.${fraction} [${db} ${peer}]`;
    for (const arg of args) line += ' ' + quoteConfigArg(arg);
    line += '\r\n';
    for (const client of this.clients) {
      if (client === sender) client.reply.raw(line);
      else if (!client.closed) client.sendNow(line);
    }
  }
}
