// `rctl server [CONFIG_FILE] [--directive value ...]`: runs the bundled node in the foreground,
// with redis-server's argument convention, start-up log and exit behaviour.

import { Server, ListenError } from './server';
import { REDIS_COMPAT_VERSION, RCTL_NODE_VERSION } from './version';
import { loadConfigFromArgv, ConfigArgumentError } from './config-loader';
import { ConfigFileError } from './config';
import { fileSink, stdoutSink, type LogSink } from './log';
import { StartupLoadError } from './persistence/persistence';
import { AofLoadError } from './persistence/aof';
import { appendFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { PROC_TITLE_NAME, renderProcTitle } from './proc-title';

export { startServer } from './index';

/** After a shutdown the process exits by itself once idle; this bounds the wait if some handle lingers. */
const EXIT_GRACE_MS = 2000;

/** Runs until SHUTDOWN or a signal. Sets process.exitCode; never calls process.exit while work is pending. */
export async function runFromArgv(argv: string[]): Promise<void> {
  // redis-server answers -v / --version before reading any config; rctl upgrade reads it too.
  if (argv.length === 1 && (argv[0] === '-v' || argv[0] === '--version')) {
    process.stdout.write(`Redis server v=${REDIS_COMPAT_VERSION} sha=00000000:0 malloc=libc bits=64 build=rctl-node-${RCTL_NODE_VERSION}\n`);
    return;
  }
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
      // Redis works in dir from here on: the node's paths resolve against the absolute dir,
      // which is also what CONFIG GET dir and CONFIG REWRITE report. Left relative, the
      // persistence paths would resolve it again against the new cwd (./sub/sub).
      store.setValidated('dir', process.cwd());
    } catch (error) {
      process.stderr.write(`Can't chdir to '${dir}': ${strerror(error as NodeJS.ErrnoException)}\n`);
      process.exitCode = 1;
      return;
    }
  }
  const logfile = store.get('logfile');
  if (logfile !== '') {
    // Redis test-opens the log file after reading the config and refuses to start without it.
    try {
      appendFileSync(logfile, '');
    } catch (error) {
      process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_COMPAT_VERSION}) ***\nCan't open the log file: ${strerror(error as NodeJS.ErrnoException)}\n`);
      process.exitCode = 1;
      return;
    }
  }
  const sink = logfile === '' ? stdoutSink : fileSink(logfile);
  const server = new Server({ config: store, configFile, logSink: sink });
  const log = server.logger;
  log.role = 'C';
  log.warning('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.warning(`Redis version=${REDIS_COMPAT_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started (rctl node ${RCTL_NODE_VERSION})`);
  // Like redis-server: the warning only when started with no arguments at all.
  log.warning(argv.length > 0 ? 'Configuration loaded' : 'Warning: no config file specified, using the default config. In order to specify a config file use rctl server /path/to/redis.conf');
  log.role = 'M';
  try {
    await server.listen();
  } catch (error) {
    if (error instanceof ListenError) {
      log.warning(`Warning: ${error.message}`);
      log.warning(`Failed listening on port ${store.getInt('port')} (TCP), aborting.`);
      process.stderr.write(`rctl server: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  applyProcTitle(server);
  if (!store.getBool('set-proc-title') && argv.some((arg) => /^--(requirepass|masterauth)$/i.test(arg))) {
    log.warning('A password given on the command line stays visible to every user of this machine (ps) with set-proc-title no: put it in the config file instead.');
  }
  store.onChange('proc-title-template', () => applyProcTitle(server));
  log.notice(`Running mode=standalone, port=${server.port}.`);
  log.warning('Server initialized');
  try {
    await server.start();
  } catch (error) {
    if (error instanceof StartupLoadError || error instanceof AofLoadError) {
      log.warning(error.message);
      process.stderr.write(`rctl server: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const pidfile = store.get('pidfile');
  if (pidfile !== '') {
    try {
      writeFileSync(pidfile, `${process.pid}\n`);
    } catch (error) {
      // Redis carries on without a pid file, only logging why.
      log.warning(`Failed to write PID file: ${strerror(error as NodeJS.ErrnoException)}`);
    }
  }
  log.notice('Ready to accept connections');

  if (pidfile !== '') {
    // Registered last so it runs after any final save, as in Redis's shutdown sequence.
    server.shutdownHooks.push(() => {
      log.notice('Removing the pid file.');
      try {
        unlinkSync(pidfile);
      } catch {
        // already gone
      }
    });
  }

  const onSignal = (signal: 'SIGTERM' | 'SIGINT') => {
    // A second Ctrl+C means "now": Redis exits at once with status 1.
    if (signal === 'SIGINT' && server.isStopping) {
      logFromSignalHandler(sink, 'You insist... exiting now.');
      process.exit(1);
    }
    logFromSignalHandler(sink, `Received ${signal} scheduling shutdown...`);
    server.shutdown({ save: null }).catch(() => {
      // Logged by the server; like Redis it keeps running when the final save failed.
      log.warning('SIGTERM received but errors trying to shut down the server, check the logs for more information');
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  await new Promise<void>((resolve) => server.once('shutdown', resolve));
  process.exitCode = 0;
  // Timers of a stopped server are unref'd, so the loop normally drains and the process exits now;
  // this unref'd timer only fires if something still holds the loop open.
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
}

/**
 * Redis logs signals from the handler with a reduced format, "pid:signal-handler (unixtime) message"
 * (serverLogFromHandler); log parsers expect that line as it is.
 */
function logFromSignalHandler(sink: LogSink, message: string): void {
  // Always written: these are warnings, the highest level.
  sink.write(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${message}\n`);
}

/** The C library's wording for common errno codes, as Redis prints them. */
function strerror(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EROFS':
      return 'Read-only file system';
    default:
      return error.message;
  }
}

/** set-proc-title: `ps` shows the node's address instead of its arguments (which may hold a password). */
function applyProcTitle(server: Server): void {
  const config = server.config;
  if (!config.getBool('set-proc-title')) return;
  const bind = config.get('bind').split(' ').filter(Boolean)[0]?.replace(/^-/, '') ?? '*';
  process.title = renderProcTitle(config.get('proc-title-template'), {
    title: PROC_TITLE_NAME,
    'listen-addr': `${bind === '0.0.0.0' ? '*' : bind}:${server.port}`,
    'server-mode': '',
    port: String(server.port),
    'tls-port': String(config.getInt('tls-port')),
    unixsocket: config.get('unixsocket'),
    'config-file': server.configFile ?? '',
  });
}
