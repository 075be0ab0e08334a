// `rctl server [CONFIG_FILE] [--directive value ...]`: runs the bundled node in the foreground,
// with redis-server's argument convention, start-up log and exit behaviour.

import { Server, ListenError, REDIS_COMPAT_VERSION, RCTL_NODE_VERSION } from './server';
import { loadConfigFromArgv, ConfigArgumentError } from './config-loader';
import { ConfigFileError } from './config';
import { fileSink, stdoutSink } from './log';
import { writeFileSync, unlinkSync } from 'node:fs';

export { startServer } from './index';

/** Runs until SHUTDOWN or a signal. Sets process.exitCode; never calls process.exit while work is pending. */
export async function runFromArgv(argv: string[]): Promise<void> {
  let loaded;
  try {
    loaded = loadConfigFromArgv(argv);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      process.stderr.write(error.report(REDIS_COMPAT_VERSION));
    } else if (error instanceof ConfigArgumentError) {
      process.stderr.write(error.message + '\n');
    } else {
      throw error;
    }
    process.exitCode = 1;
    return;
  }
  const { store, configFile } = loaded;
  const dir = store.get('dir');
  if (dir !== '') {
    try {
      process.chdir(dir);
    } catch (error) {
      process.stderr.write(`Can't chdir to '${dir}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (error as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
  }
  const logfile = store.get('logfile');
  const sink = logfile === '' ? stdoutSink : fileSink(logfile);
  const server = new Server({ config: store, configFile, logSink: sink });
  const log = server.logger;
  log.role = 'C';
  log.warning('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.warning(`Redis version=${REDIS_COMPAT_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started (rctl node ${RCTL_NODE_VERSION})`);
  log.warning(configFile ? 'Configuration loaded' : 'Warning: no config file specified, using the default config. In order to specify a config file use rctl server /path/to/redis.conf');
  log.role = 'M';
  try {
    await server.listen();
  } catch (error) {
    if (error instanceof ListenError) {
      log.warning(error.message);
      process.stderr.write(`rctl server: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  log.notice(`Running mode=standalone, port=${server.port}.`);
  log.warning('Server initialized');
  const pidfile = store.get('pidfile');
  if (pidfile !== '') writeFileSync(pidfile, `${process.pid}\n`);
  log.notice('Ready to accept connections');

  const onSignal = (signal: string) => {
    log.warning(`Received ${signal} scheduling shutdown...`);
    void server.shutdown({ save: null });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  await new Promise<void>((resolve) => server.once('shutdown', resolve));
  if (pidfile !== '') {
    try {
      unlinkSync(pidfile);
    } catch {
      // already gone
    }
  }
  process.exitCode = 0;
  // Timers of a stopped server are unref'd; nothing else keeps the loop alive.
}
