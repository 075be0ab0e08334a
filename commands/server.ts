import { Command } from '@oclif/core';
import { join } from 'node:path';
import type { ServerJson } from '../src/output/results';

interface ServerEntry {
  runFromArgv(argv: string[]): Promise<void>;
}

/** The node is its own bundle (dist/server.js); loading it at run time keeps every other command's start-up small. */
function loadServerBundle(): ServerEntry {
  const bundle = join(__dirname, 'server.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle) as ServerEntry;
}

export default class ServerCommand extends Command {
  static override summary = 'Run the bundled Redis-compatible node in the foreground.';
  static override description = `Takes redis-server's arguments: an optional config file in redis.conf syntax, then --directive value overrides.
Logs in Redis's format to stdout, or to the logfile directive. Stops on SIGTERM, SIGINT or SHUTDOWN.`;
  static override examples = [
    { description: 'A standalone node in the foreground', command: '<%= config.bin %> server --port 7001' },
    { description: 'A replica of it, from a config file', command: '<%= config.bin %> server ./node.conf --port 7002 --replicaof 127.0.0.1 7001' },
    { description: 'The Redis version it answers as', command: '<%= config.bin %> server --version' },
  ];
  static override strict = false;
  static override enableJsonFlag = true;

  async run(): Promise<ServerJson> {
    await loadServerBundle().runFromArgv(this.argv.filter((arg) => arg !== '--json'));
    return { exitCode: Number(process.exitCode ?? 0) };
  }
}
