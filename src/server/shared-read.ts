// Reads every plain TCP client into one shared buffer (net.Socket's `onread` option) instead of a
// fresh Buffer per read. It is the largest single saving per request at pipeline depth 1, where
// Node's stream layer costs more than the command itself. The parser copies whatever a read leaves
// unparsed, so the buffer is free again when the callback returns.
//
// Node only offers `onread` when a Socket is constructed, and the server constructs accepted sockets
// itself; so the accepted socket's handle is moved into a new Socket that reads this way. That uses
// the undocumented `_handle` field: when it is missing the caller keeps the socket as it is.

import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

const SHARED_READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface HandleOwner {
  _handle?: { readStart?: unknown } | null;
}

/** A socket reading into the shared buffer, or null when this socket cannot be moved (TLS, no handle). */
export function adoptWithSharedReadBuffer(accepted: Socket, onChunk: (chunk: Buffer) => void): Socket | null {
  if (accepted instanceof TLSSocket) return null;
  const owner = accepted as unknown as HandleOwner;
  const handle = owner._handle;
  if (!handle || typeof handle.readStart !== 'function') return null;
  owner._handle = null;
  accepted.destroy();
  const socket = new Socket({
    handle,
    onread: {
      buffer: SHARED_READ_BUFFER,
      callback: (bytes: number, buffer: Uint8Array) => {
        onChunk((buffer as Buffer).subarray(0, bytes));
        return true;
      },
    },
  } as unknown as ConstructorParameters<typeof Socket>[0]);
  socket.resume();
  return socket;
}
