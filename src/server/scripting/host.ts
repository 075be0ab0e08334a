// What the scripting engine needs from the node, and the script hash every part agrees on.

import { createHash } from 'node:crypto';
import type { Logger } from '../log';
import type { ScriptClient } from './script-client';
import type { ScriptCallHost } from './redis-call';
import type { RedisRandom } from './redis-random';

export interface EngineHost extends ScriptCallHost {
  readonly logger: Logger;
  readonly config: ScriptCallHost['config'] & { getInt(name: string): number };
  readonly propagation: ScriptCallHost['propagation'] & { begin(): void; end(): void };
  /** The node's clock, in ms: a script's keys expire as of its start (Redis's script time snapshot). */
  now(): number;
  /** A bug in JS code Lua called: logged and counted (INFO internal_errors). */
  onInternalError(error: unknown): void;
  /** math.random's sequence, one per node. */
  readonly random: RedisRandom;
  /** The ServerContext the script's client runs commands against. */
  readonly context: ConstructorParameters<typeof ScriptClient>[0];
}

/** The SHA-1 a script is cached and called by (EVALSHA), over its bytes. */
export function sha1Hex(text: string): string {
  return createHash('sha1').update(Buffer.from(text, 'latin1')).digest('hex');
}
