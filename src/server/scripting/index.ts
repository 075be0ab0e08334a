// Scripting as the node sees it: EVAL's script cache and FUNCTION's libraries, each on its own Lua
// state as in Redis, and the one script that may be running (BUSY, SCRIPT KILL, FUNCTION KILL).

import type { CommandContext } from '../context';
import { ERR_BUSY_EVAL, ERR_BUSY_FUNCTION, type LuaEngine } from './engine';
import type { EngineHost } from './host';
import { EvalScripts, type RunPreconditions } from './eval-scripts';
import { FunctionLibraries } from './functions';

const ERR_NOTBUSY = 'NOTBUSY No scripts in execution right now.';
const ERR_UNKILLABLE_MASTER = 'UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.';
const ERR_UNKILLABLE_WRITES =
  'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';

export class Scripting {
  readonly evalScripts: EvalScripts;
  readonly functions: FunctionLibraries;

  constructor(host: EngineHost, node: RunPreconditions) {
    this.evalScripts = new EvalScripts(host, node);
    this.functions = new FunctionLibraries(host, node);
  }

  /** The engine running a script, if any. Read before every command and key lookup: no allocation. */
  private get runningEngine(): LuaEngine | null {
    const evalEngine = this.evalScripts.engineIfCreated;
    if (evalEngine?.running) return evalEngine;
    const functionEngine = this.functions.engineIfCreated;
    return functionEngine?.running ? functionEngine : null;
  }

  /** The -BUSY error for a command that may not run while a script is busy, else null. */
  busyError(): string | null {
    const engine = this.runningEngine;
    if (!engine?.busy) return null;
    return engine.runningMode === 'eval' ? ERR_BUSY_EVAL : ERR_BUSY_FUNCTION;
  }

  /** A client whose input must wait for the busy script (our master's link) is resumed after it. */
  deferUntilIdle(client: { processInput(): void }): boolean {
    const engine = this.runningEngine;
    if (!engine?.busy) return false;
    engine.deferUntilIdle(client);
    return true;
  }

  /** SCRIPT KILL (mode 'eval') or FUNCTION KILL (mode 'function'). */
  kill(client: CommandContext, mode: 'eval' | 'function'): void {
    const engine = this.runningEngine;
    if (!engine?.busy) return client.reply.error(ERR_NOTBUSY);
    if (engine.runningFromMaster) return client.reply.error(ERR_UNKILLABLE_MASTER);
    if (engine.wroteDirty) return client.reply.error(ERR_UNKILLABLE_WRITES);
    if (engine.runningMode !== mode) return client.reply.error(mode === 'eval' ? ERR_BUSY_FUNCTION : ERR_BUSY_EVAL);
    engine.kill();
    client.reply.ok();
  }

  /** While a script runs, the instant its keys' expiry is judged at; null otherwise. */
  timeSnapshot(): number | null {
    return this.evalScripts.engineIfCreated?.timeSnapshot ?? this.functions.engineIfCreated?.timeSnapshot ?? null;
  }

  /** INFO memory's scripting fields. */
  memoryStats(): { evalVm: number; functionsVm: number; evalScripts: number; cachedScripts: number; functions: number; libraries: number; functionsCode: number } {
    return {
      evalVm: this.evalScripts.engineIfCreated?.memoryBytes() ?? 0,
      functionsVm: this.functions.engineIfCreated?.memoryBytes() ?? 0,
      evalScripts: this.evalScripts.cacheBytes,
      cachedScripts: this.evalScripts.size,
      functions: this.functions.functions.size,
      libraries: this.functions.libraries.size,
      functionsCode: this.functions.codeBytes,
    };
  }

  /** What FUNCTION STATS shows of the running script: its name, command and duration. */
  runningScript(): { name: string; args: string[]; durationMs: number; mode: 'eval' | 'function' } | null {
    const engine = this.runningEngine;
    if (!engine) return null;
    return engine.describeRun();
  }
}
