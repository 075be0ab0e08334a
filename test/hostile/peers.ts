// Peers that are not well-behaved Redis nodes, for checking that rctl never hangs on them:
// - drip: answers every command with the start of a long bulk reply, then one byte every 100 ms;
// - silent: accepts, reads, never answers;
// - half-closed: sends FIN after the first command and keeps the socket open, never answering;
// - flood: answers with an endless stream of bytes of a reply that never ends.

import { createServer, type Server, type Socket } from 'node:net';

export type PeerKind = 'drip' | 'silent' | 'half-closed' | 'flood';

export interface HostilePeer {
  kind: PeerKind;
  port: number;
  close(): Promise<void>;
}

export async function startHostilePeer(kind: PeerKind, host = '127.0.0.1'): Promise<HostilePeer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let answering = false;
    socket.on('data', () => {
      if (answering) return;
      answering = true;
      if (kind === 'drip') {
        socket.write('$100000\r\n');
        const timer = setInterval(() => socket.write('x'), 100);
        timers.add(timer);
        socket.on('close', () => clearInterval(timer));
      } else if (kind === 'half-closed') {
        socket.end();
      } else if (kind === 'flood') {
        socket.write('$999999999999\r\n');
        const chunk = Buffer.alloc(64 * 1024, 'y');
        const pump = () => {
          while (!socket.destroyed && socket.write(chunk));
        };
        socket.on('drain', pump);
        pump();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    kind,
    port,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
