// A scripted master for fuzzing replicas: it answers the Redis 7 replica handshake (PING, AUTH,
// REPLCONF, PSYNC/SYNC) like a real master, then hands the connection to the test, which decides
// what the replica receives. It also reports the replica's REPLCONF ACKs and whether the replica
// closed the connection, so a test can tell "the node dropped the link" from "it kept going".

import { createServer, type Server, type Socket } from 'node:net';

export interface SyncRequest {
  /** `?` for a replica with no history. */
  replid: string;
  offset: number;
  /** The replica's port, from REPLCONF listening-port (which node this is). */
  replicaPort: number;
}

export interface MasterSession {
  readonly socket: Socket;
  readonly request: SyncRequest;
  /** The next REPLCONF ACK (with its offset), or the replica closing, or nothing within timeoutMs. */
  nextSign(timeoutMs: number): Promise<Sign>;
  closedByReplica(): boolean;
}

export type Sign = { kind: 'ack'; offset: number } | { kind: 'closed' } | { kind: 'timeout' };

export class FakeMaster {
  readonly host = '127.0.0.1';
  port = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly onSync: (session: MasterSession) => void) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let input = Buffer.alloc(0);
    let replicaPort = 0;
    let session: (MasterSession & { signal(sign: Sign): void }) | null = null;
    let closed = false;
    socket.on('close', () => {
      closed = true;
      this.sockets.delete(socket);
      session?.signal({ kind: 'closed' });
    });
    socket.on('data', (chunk) => {
      input = Buffer.concat([input, chunk]);
      for (;;) {
        const parsed = parseCommand(input);
        if (!parsed) return;
        input = input.subarray(parsed.length);
        const [name = '', ...args] = parsed.args;
        switch (name.toUpperCase()) {
          case 'PING':
            if (!session) socket.write('+PONG\r\n');
            break;
          case 'AUTH':
            socket.write('+OK\r\n');
            break;
          case 'REPLCONF':
            if (args[0]?.toUpperCase() === 'ACK') session?.signal({ kind: 'ack', offset: Number(args[1]) });
            else {
              if (args[0]?.toLowerCase() === 'listening-port') replicaPort = Number(args[1]);
              socket.write('+OK\r\n');
            }
            break;
          case 'PSYNC':
          case 'SYNC': {
            const request = { replid: args[0] ?? '?', offset: Number(args[1] ?? -1), replicaPort };
            session = makeSession(socket, request, () => closed);
            this.onSync(session);
            break;
          }
          default:
            socket.write(`-ERR unknown command '${name}'\r\n`);
        }
      }
    });
  }
}

function makeSession(socket: Socket, request: SyncRequest, isClosed: () => boolean): MasterSession & { signal(sign: Sign): void } {
  let waiter: ((sign: Sign) => void) | null = null;
  return {
    socket,
    request,
    closedByReplica: isClosed,
    signal(sign) {
      const resolve = waiter;
      waiter = null;
      resolve?.(sign);
    },
    nextSign(timeoutMs) {
      if (isClosed()) return Promise.resolve({ kind: 'closed' });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiter = null;
          resolve({ kind: 'timeout' });
        }, timeoutMs);
        waiter = (sign) => {
          clearTimeout(timer);
          resolve(sign);
        };
      });
    },
  };
}

/** One RESP array of bulk strings (what replicas send), or null until it is complete. */
function parseCommand(input: Buffer): { args: string[]; length: number } | null {
  if (input.length === 0) return null;
  let pos = input.indexOf('\r\n');
  if (pos === -1) return null;
  if (input[0] !== 0x2a) {
    // Inline (or a bare newline): one line.
    return { args: input.toString('latin1', 0, pos).split(' ').filter(Boolean), length: pos + 2 };
  }
  const count = Number(input.toString('latin1', 1, pos));
  pos += 2;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    const end = input.indexOf('\r\n', pos);
    if (end === -1) return null;
    const length = Number(input.toString('latin1', pos + 1, end));
    if (input.length < end + 2 + length + 2) return null;
    args.push(input.toString('latin1', end + 2, end + 2 + length));
    pos = end + 2 + length + 2;
  }
  return { args, length: pos };
}
