// Keyspace notifications (notify-keyspace-events), as Redis 7.0's notify.c publishes them: for each
// event of an enabled class, "__keyspace@<db>__:<key>" gets the event name (K) and
// "__keyevent@<db>__:<event>" gets the key (E). Events are not propagated: a replica publishes its
// own as it applies the master's stream.

import type { PubSub } from './pubsub';

/** The class bits, in Redis's order (server.h); the letters are those of the config string. */
export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g: DEL, EXPIRE, RENAME...
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m: left out of A on purpose (every read miss)
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n: left out of A (every key creation)
const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

export type NotifyClass = number;

const LETTERS: Record<string, number> = {
  A: NOTIFY_ALL,
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
};

/** The letters CONFIG GET prints for the classes of A when not all of them are on, in Redis's order. */
const CLASS_LETTERS: ReadonlyArray<[number, string]> = [
  [NOTIFY_GENERIC, 'g'],
  [NOTIFY_STRING, '$'],
  [NOTIFY_LIST, 'l'],
  [NOTIFY_SET, 's'],
  [NOTIFY_HASH, 'h'],
  [NOTIFY_ZSET, 'z'],
  [NOTIFY_EXPIRED, 'x'],
  [NOTIFY_EVICTED, 'e'],
  [NOTIFY_STREAM, 't'],
  [NOTIFY_MODULE, 'd'],
  [NOTIFY_NEW, 'n'],
];

export const ERR_INVALID_EVENT_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** The flags of a config string; null when a character names no class. */
export function parseNotifyFlags(classes: string): number | null {
  let flags = 0;
  for (const letter of classes) {
    const bits = LETTERS[letter];
    if (bits === undefined) return null;
    flags |= bits;
  }
  return flags;
}

/**
 * The canonical string of a set of flags. Redis prints A alone when all its classes are on, which
 * hides an n given with it (CONFIG GET "AnKE" shows "AKE" while new-key events stay on):
 * `keepNew` adds it back, for the value the node stores and rewrites.
 */
export function formatNotifyFlags(flags: number, keepNew = false): string {
  let text = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    text = 'A';
    if (keepNew && flags & NOTIFY_NEW) text += 'n';
  } else {
    for (const [bit, letter] of CLASS_LETTERS) if (flags & bit) text += letter;
  }
  if (flags & NOTIFY_KEYSPACE) text += 'K';
  if (flags & NOTIFY_KEYEVENT) text += 'E';
  if (flags & NOTIFY_KEY_MISS) text += 'm';
  return text;
}

export class KeyspaceEvents {
  private flags = 0;

  constructor(private readonly pubsub: PubSub) {}

  /** The canonical config string. */
  configure(classes: string): void {
    this.flags = parseNotifyFlags(classes) ?? 0;
  }

  /** Whether events of this class are published at all: lets hot paths skip building them. */
  enabled(type: NotifyClass): boolean {
    return (this.flags & type) !== 0 && (this.flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0;
  }

  notify(type: NotifyClass, event: string, key: string, db: number): void {
    if (!this.enabled(type)) return;
    if (this.flags & NOTIFY_KEYSPACE) this.pubsub.publish(`__keyspace@${db}__:${key}`, event, null);
    if (this.flags & NOTIFY_KEYEVENT) this.pubsub.publish(`__keyevent@${db}__:${event}`, key, null);
  }
}
