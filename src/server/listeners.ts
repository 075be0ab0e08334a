// Listener changes at run time (CONFIG SET port / bind / tls-port) and the Unix socket listener.
// As in Redis, new listeners are opened first and the old ones closed only once every required
// address is bound, so a failing change leaves the node listening where it was. Connected clients
// stay connected either way.

import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Server as TlsServer, createServer as createTlsServer } from 'node:tls';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { ConfigStore } from './config';
import type { Logger } from './log';
import { tlsServerOptions } from './tls';

/** What the listener code needs from the server. */
export interface ListenerHost {
  readonly config: ConfigStore;
  readonly logger: Logger;
  readonly netServers: NetServer[];
  acceptConnection(socket: Socket): void;
}

export interface ListenerChange {
  port: number;
  bind: string;
  tlsPort: number;
}

/** Redis's answers when a change cannot be applied. */
export const ERR_LISTEN_PORT = 'Unable to listen on this port. Check server logs.';
export const ERR_LISTEN_BIND = 'Failed to bind to specified addresses.';
export const ERR_LISTEN_TLS = 'Unable to update TLS configuration. Check server logs.';

function bindTargets(bind: string): Array<{ host: string; optional: boolean }> {
  const entries = bind.split(' ').filter(Boolean);
  return (entries.length > 0 ? entries : ['127.0.0.1']).map((entry) => {
    const optional = entry.startsWith('-');
    let host = optional ? entry.slice(1) : entry;
    if (host === '*') host = '0.0.0.0';
    if (host === '::*') host = '::';
    return { host, optional };
  });
}

function listenWith(listener: NetServer, options: { host?: string; port?: number; path?: string }, logger: Logger): Promise<NetServer> {
  return new Promise((resolvePromise, rejectPromise) => {
    listener.once('error', rejectPromise);
    listener.listen({ ...options, backlog: 511, exclusive: true }, () => {
      listener.off('error', rejectPromise);
      listener.on('error', (error) => logger.warning(`Accept error: ${error.message}`));
      resolvePromise(listener);
    });
  });
}

/** Opens one listener per bind address; throws (after closing what it opened) when a required one fails. */
async function openOn(bind: string, open: (host: string) => Promise<NetServer>, logger: Logger): Promise<NetServer[]> {
  const opened: NetServer[] = [];
  for (const { host, optional } of bindTargets(bind)) {
    try {
      opened.push(await open(host));
    } catch (error) {
      if (optional) continue;
      logger.warning(`Failed listening on ${host}: ${(error as Error).message}`);
      await closeAll(opened);
      throw error;
    }
  }
  return opened;
}

function closeAll(listeners: NetServer[]): Promise<void> {
  return Promise.all(listeners.map((l) => new Promise<void>((done) => l.close(() => done())))).then(() => undefined);
}

function openTcp(host: ListenerHost, bind: string, port: number): Promise<NetServer[]> {
  return openOn(
    bind,
    (address) => {
      // Paused like the start-up listeners, so the socket can move to the shared read buffer.
      const listener = createServer({ noDelay: true, pauseOnConnect: true }, (socket) => host.acceptConnection(socket));
      return listenWith(listener, { host: address, port }, host.logger);
    },
    host.logger,
  );
}

function openTls(host: ListenerHost, bind: string, port: number): Promise<NetServer[]> {
  const options = tlsServerOptions(host.config);
  return openOn(
    bind,
    (address) => {
      const listener = createTlsServer(options, (socket) => host.acceptConnection(socket));
      listener.on('tlsClientError', (error) => host.logger.verbose(`Error accepting a client connection: ${error.message}`));
      return listenWith(listener, { host: address, port }, host.logger);
    },
    host.logger,
  );
}

/**
 * Applies a change of port, bind or tls-port. Returns null when applied, or Redis's error text
 * (naming the directive that failed) with the old listeners untouched.
 */
export async function changeListeners(host: ListenerHost, change: ListenerChange): Promise<{ directive: string; reason: string } | null> {
  const config = host.config;
  if (change.bind !== config.get('bind')) return changeBind(host, change);
  // Same addresses: a new port is bound before the old one closes (Redis's changeListenPort).
  const tcpChanged = change.port !== config.getInt('port');
  const tlsChanged = change.tlsPort !== config.getInt('tls-port');
  let tcp: NetServer[] | null = null;
  let tls: NetServer[] | null = null;
  if (tcpChanged) {
    try {
      tcp = change.port === 0 ? [] : await openTcp(host, change.bind, change.port);
    } catch {
      return change.bind !== config.get('bind') ? { directive: 'bind', reason: ERR_LISTEN_BIND } : { directive: 'port', reason: ERR_LISTEN_PORT };
    }
  }
  if (tlsChanged) {
    try {
      tls = change.tlsPort === 0 ? [] : await openTls(host, change.bind, change.tlsPort);
    } catch {
      if (tcp) await closeAll(tcp);
      return { directive: 'tls-port', reason: ERR_LISTEN_TLS };
    }
  }
  const isTls = (l: NetServer) => l instanceof TlsServer;
  const isUnix = (l: NetServer) => typeof l.address() === 'string';
  const retired = host.netServers.filter((l) => !isUnix(l) && ((tcp && !isTls(l)) || (tls && isTls(l))));
  const kept = host.netServers.filter((l) => !retired.includes(l));
  host.netServers.length = 0;
  host.netServers.push(...kept, ...(tcp ?? []), ...(tls ?? []));
  await closeAll(retired);
  return null;
}

/** Moves the TCP and TLS listeners to `openFresh`'s, keeping the Unix socket listener. */
function swapIn(host: ListenerHost, fresh: NetServer[]): NetServer[] {
  const isUnix = (l: NetServer) => typeof l.address() === 'string';
  const retired = host.netServers.filter((l) => !isUnix(l));
  const kept = host.netServers.filter(isUnix);
  host.netServers.length = 0;
  host.netServers.push(...kept, ...fresh);
  return retired;
}

async function openBoth(host: ListenerHost, bind: string, port: number, tlsPort: number): Promise<NetServer[]> {
  const tcp = port === 0 ? [] : await openTcp(host, bind, port);
  try {
    return [...tcp, ...(tlsPort === 0 ? [] : await openTls(host, bind, tlsPort))];
  } catch (error) {
    await closeAll(tcp);
    throw error;
  }
}

/**
 * A new bind list: as in Redis, the old listeners close first (the new list may share the port on
 * the same address), and on failure the old addresses are bound again.
 */
async function changeBind(host: ListenerHost, change: ListenerChange): Promise<{ directive: string; reason: string } | null> {
  await closeAll(swapIn(host, []));
  try {
    swapIn(host, await openBoth(host, change.bind, change.port, change.tlsPort));
    return null;
  } catch {
    const config = host.config;
    try {
      swapIn(host, await openBoth(host, config.get('bind'), config.getInt('port'), config.getInt('tls-port')));
    } catch (error) {
      host.logger.warning(`Failed to restore the old listeners: ${(error as Error).message}`);
    }
    return { directive: 'bind', reason: ERR_LISTEN_BIND };
  }
}

/**
 * The unixsocket listener: a stale socket file from an earlier run is removed first, as Redis
 * does, and unixsocketperm (octal) is applied once the file exists.
 */
export async function listenUnix(host: ListenerHost, path: string, perm: number): Promise<NetServer> {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // No file there: nothing to remove.
  }
  const listener = createServer({ pauseOnConnect: true }, (socket) => host.acceptConnection(socket));
  await listenWith(listener, { path }, host.logger);
  if (perm !== 0) chmodSync(path, parseInt(String(perm), 8));
  return listener;
}

/** Removes the socket file at shutdown (Node removes it on close, but not when the file was replaced). */
export function removeUnixSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
