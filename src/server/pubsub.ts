// Channel and pattern subscriptions, and message delivery to subscribers.

import type { ReplyBuffer } from './resp/reply';
import { globMatch } from './glob';

function bulk(text: string): string {
  return '$' + text.length + '\r\n' + text + '\r\n';
}

/** A client as pub/sub sees it: its subscriptions, and where its messages go. */
export interface Subscriber {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly reply: ReplyBuffer;
  /** Writes at once, outside of a command's reply. */
  sendNow(encoded: string): void;
}

export class PubSub {
  readonly channels = new Map<string, Set<Subscriber>>();
  readonly patterns = new Map<string, Set<Subscriber>>();

  subscribe(client: Subscriber, channel: string): boolean {
    if (client.channels.has(channel)) return false;
    client.channels.add(channel);
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(client);
    return true;
  }

  unsubscribe(client: Subscriber, channel: string): boolean {
    if (!client.channels.delete(channel)) return false;
    const set = this.channels.get(channel);
    set?.delete(client);
    if (set && set.size === 0) this.channels.delete(channel);
    return true;
  }

  psubscribe(client: Subscriber, pattern: string): boolean {
    if (client.patterns.has(pattern)) return false;
    client.patterns.add(pattern);
    let set = this.patterns.get(pattern);
    if (!set) this.patterns.set(pattern, (set = new Set()));
    set.add(client);
    return true;
  }

  punsubscribe(client: Subscriber, pattern: string): boolean {
    if (!client.patterns.delete(pattern)) return false;
    const set = this.patterns.get(pattern);
    set?.delete(client);
    if (set && set.size === 0) this.patterns.delete(pattern);
    return true;
  }

  /** Drops every subscription of a closing client. */
  removeClient(client: Subscriber): void {
    for (const channel of [...client.channels]) this.unsubscribe(client, channel);
    for (const pattern of [...client.patterns]) this.punsubscribe(client, pattern);
  }

  /** Delivers a message; returns the number of receivers, as PUBLISH replies. */
  publish(channel: string, message: string, sender: Subscriber | null): number {
    let receivers = 0;
    const direct = this.channels.get(channel);
    if (direct) {
      for (const client of direct) {
        deliver(client, sender, (resp) => (resp === 3 ? '>3\r\n' : '*3\r\n') + bulk('message') + bulk(channel) + bulk(message));
        receivers++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const client of clients) {
        deliver(client, sender, (resp) => (resp === 3 ? '>4\r\n' : '*4\r\n') + bulk('pmessage') + bulk(pattern) + bulk(channel) + bulk(message));
        receivers++;
      }
    }
    return receivers;
  }
}

/** The sender's own messages join its reply buffer so they keep their order with its replies. */
function deliver(client: Subscriber, sender: Subscriber | null, encode: (resp: 2 | 3) => string): void {
  const encoded = encode(client.reply.resp);
  // A push, delivered even under CLIENT REPLY OFF/SKIP (a subscriber is never a master link).
  if (client === sender) client.reply.push(encoded);
  else client.sendNow(encoded);
}
