// The scenario runner of the blocking differential tests (blocking pops, XREAD, XREADGROUP):
// steps over several connections of one server, with every reply recorded in order.

import { RawConnection } from '../helpers/raw-connection';

/** A step on connection `c`: sent, then its reply is read and compared, unless it blocks. */
export interface Step {
  c: number;
  cmd: string[];
  /** The command waits: instead of a reply, wait until the server counts this many blocked clients. */
  blocks?: number;
}
/** Reads the next reply of connection `read` (a waiter served or timed out). */
export interface Read {
  read: number;
}
/** CLIENT UNBLOCK of connection `unblock`'s id, sent by connection `by`. */
export interface Unblock {
  unblock: number;
  by: number;
  reason?: 'TIMEOUT' | 'ERROR';
}
/** Connection `closed` must be closed by the server (after its last reply). */
export interface Closed {
  closed: number;
}
export type ScenarioStep = Step | Read | Unblock | Closed;

const CONNECTIONS = 4;

async function blockedClients(control: RawConnection): Promise<number> {
  const info = await control.command(['INFO', 'clients']);
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
}

async function untilBlocked(control: RawConnection, count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await blockedClients(control)) === count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never ${count} blocked clients`);
}

/** Runs a scenario on one server; returns the transcript of replies, in order. */
export async function play(host: string, port: number, steps: ScenarioStep[], resp3: boolean): Promise<string[]> {
  const conns = await Promise.all(Array.from({ length: CONNECTIONS + 1 }, () => RawConnection.open(host, port)));
  const control = conns[CONNECTIONS];
  const transcript: string[] = [];
  try {
    await control.command(['FLUSHALL']);
    const ids = await Promise.all(conns.map(async (conn) => /:(\d+)/.exec(await conn.command(['CLIENT', 'ID']))![1]));
    if (resp3) for (const conn of conns.slice(0, CONNECTIONS)) await conn.command(['HELLO', '3']);
    for (const step of steps) {
      if ('unblock' in step) {
        const cmd = ['CLIENT', 'UNBLOCK', ids[step.unblock], ...(step.reason ? [step.reason] : [])];
        transcript.push(`${step.by} CLIENT UNBLOCK <${step.unblock}> ${step.reason ?? ''} -> ${await conns[step.by].command(cmd)}`);
        continue;
      }
      if ('closed' in step) {
        transcript.push(`${step.closed} closed with ${JSON.stringify((await conns[step.closed].readUntilClose(3000)).toString('latin1'))}`);
        continue;
      }
      if ('read' in step) {
        transcript.push(`${step.read} <- ${(await conns[step.read].readReply(3000)).toString('latin1')}`);
        continue;
      }
      conns[step.c].send(step.cmd);
      if (step.blocks !== undefined) await untilBlocked(control, step.blocks);
      else transcript.push(`${step.c} ${step.cmd.join(' ')} -> ${(await conns[step.c].readReply(3000)).toString('latin1')}`);
    }
  } finally {
    for (const conn of conns) conn.close();
  }
  return transcript;
}

export interface Scenario {
  name: string;
  steps: ScenarioStep[];
  resp3?: boolean;
}

export const s = (c: number, ...cmd: string[]): Step => ({ c, cmd });
export const b = (c: number, blocks: number, ...cmd: string[]): Step => ({ c, cmd, blocks });
export const r = (read: number): Read => ({ read });

/** Client ids and INFO's buffer sizes differ between the servers; everything else must not. */
export function normalizeIds(transcript: string[]): string[] {
  return transcript.map((line) =>
    line
      .replace(/CLIENT ID -> :\d+/, 'CLIENT ID -> :<id>')
      .replace(/client_recent_max_input_buffer:\d+/, 'client_recent_max_input_buffer:N')
      .replace(/connected_clients:\d+/, 'connected_clients:N')
      .replace(/^(\d INFO clients -> )\$\d+/, '$1$N'),
  );
}
