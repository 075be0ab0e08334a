import { Command } from '@oclif/core';

export default class ServerCommand extends Command {
  static override summary = 'Run the bundled Redis-compatible node in the foreground.';
  static override description = `Takes redis-server's arguments: an optional config file in redis.conf syntax, then --directive value overrides.
Logs in Redis's format to stdout, or to the logfile directive. Stops on SIGTERM, SIGINT or SHUTDOWN.`;
  static override examples = ['<%= config.bin %> server --port 7001', '<%= config.bin %> server ./node.conf --port 7002 --replicaof 127.0.0.1 7001'];
  static override strict = false;
  static override enableJsonFlag = true;

  async run(): Promise<{ exitCode: number }> {
    const { runFromArgv } = await import('../src/server/main');
    await runFromArgv(this.argv.filter((arg) => arg !== '--json'));
    return { exitCode: Number(process.exitCode ?? 0) };
  }
}
