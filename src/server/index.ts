// Library entry point of the bundled node: start one in-process, get its address and a close().

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ListenError } from './server';
import { configFromObject, loadConfigFromArgv } from './config-loader';
import type { Clock } from './clock';
import type { LogSink } from './log';

export interface StartServerOptions {
  /** Directives as in redis.conf, e.g. { port: 0, requirepass: 'x', save: '' }. port 0 picks a free port. */
  config?: Record<string, string | number | boolean>;
  /** Alternatively: redis-server style arguments, `[file] --name value ...`. */
  argv?: string[];
  clock?: Clock;
  logSink?: LogSink | null;
  keepLog?: boolean;
}

export interface RunningServer {
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  let config;
  let configFile: string | undefined;
  if (options.argv) {
    const loaded = loadConfigFromArgv(options.argv);
    config = loaded.store;
    configFile = loaded.configFile;
  } else {
    // An in-process node never reads or writes the caller's working directory unless told to.
    config = configFromObject({ bind: '127.0.0.1', port: 0, save: '', dir: options.config?.dir ?? mkdtempSync(join(tmpdir(), 'rctl-node-')), ...options.config });
  }
  const server = new Server({ config, configFile, clock: options.clock, logSink: options.logSink, keepLog: options.keepLog });
  await server.listen();
  await server.start();
  const host = config.get('bind').split(' ')[0].replace(/^-/, '') || '127.0.0.1';
  return {
    host: host === '*' ? '127.0.0.1' : host,
    port: server.port,
    server,
    close: () => server.stop(),
  };
}

export { Server, ListenError };
