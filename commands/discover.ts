import { Args, Flags } from '@oclif/core';
import type { DiscoverResult } from '../src/cluster/discover/index';
import { EXIT_CODES_HELP, RctlCommand, secondsFlag } from './_shared/base-command';

export default class DiscoverCommand extends RctlCommand {
  static override summary = 'Write the topology file of a running set, read from any of its nodes (or from its sentinels).';
  static override description = `Connects to HOST:PORT and follows the replication links: a replica's master_host/master_port up, a master's (or a chained replica's) replicas from INFO replication down, until every node named has been read (at most --max-nodes). Each node is recorded with its role, its replica-priority (CONFIG GET, else INFO's field) and its version, under a name made from its host (redis-127-0-0-17; with the port when two nodes share a host): the same set gives the same names from any node, and the names can be edited. The file has launch: external (rctl never starts or stops these nodes) and a comment on every field; it is checked with rctl's own loader before it is written, and becomes the default topology, so a bare \`rctl status\` reads it.

With --sentinel HOST:PORT --master-name NAME the set is found through Sentinel (SENTINEL MASTER, REPLICAS, SENTINELS) and the file gets a sentinel: section with the sentinels' addresses and settings (launch: external).

Passwords: a node that needs one is asked for it on a terminal (input hidden), or it comes from --password-env VAR or --password-file FILE, never from the command line. The file names the variable or the file, never the password (a typed password is named as $REDISCLI_AUTH, the variable redis-cli reads), unless --write-password, which writes it into the file with mode 0600. Sentinels have their own --sentinel-password-env / --sentinel-password-file.

Nodes that INFO names but that do not answer are listed and left out of the file, with a warning, unless confirmed at the terminal prompt or --include-unreachable; an unreachable master stops the discovery (exit 4, DISCOVER_NO_MASTER) unless written with --include-unreachable. A node whose chain of masters leads to another master is reported as outside the set, not written. A chained replica is written as a replica, with a warning: rctl has every replica follow the master.

An existing file is never overwritten without --force (exit 5, DISCOVER_OUT_EXISTS). A refused password exits 4 (AUTH_WRONGPASS), a node needing one without a terminal to ask on exits 4 (AUTH_REQUIRED). TLS: --tls-ca, --tls-cert and --tls-key together (the file's tls: section). --dry-run prints the file instead of writing it. --json prints what was discovered.

${EXIT_CODES_HELP}`;
  static override examples = [
    { description: 'Onboard a running set from one of its replicas (the password from an environment variable)', command: '<%= config.bin %> discover 10.0.0.17:6379 --password-env REDIS_PASSWORD --out seed.yml' },
    { description: 'From the master, replacing a file written before', command: '<%= config.bin %> discover 10.0.0.58:6379 --out seed.yml --force' },
    { description: 'Through the sentinels: writes the sentinel section too', command: '<%= config.bin %> discover --sentinel 10.0.0.11:26379 --master-name seed-master --password-env REDIS_PASSWORD --sentinel-password-env SENTINEL_PASSWORD' },
    { description: 'See what would be written, without writing it', command: '<%= config.bin %> discover 10.0.0.17:6379 --password-file /etc/redis/password --dry-run' },
    { description: 'Nodes named by INFO that did not answer (left out of the file)', command: "<%= config.bin %> discover 10.0.0.17:6379 --password-env REDIS_PASSWORD --json | jq '.nodes[] | select(.included | not)'" },
  ];

  static override args = {
    address: Args.string({ name: 'HOST:PORT', description: 'any node of the set ([::1]:PORT for IPv6); not with --sentinel', required: false }),
  };

  static override flags = {
    out: Flags.string({ char: 'o', description: 'the topology file to write', default: 'redis-set.yml', helpValue: 'FILE' }),
    name: Flags.string({ description: "the topology's name (default: the sentinels' master name, else the file's base name)", helpValue: 'NAME' }),
    force: Flags.boolean({ description: 'replace an existing --out file', default: false }),
    'dry-run': Flags.boolean({ description: 'print the file instead of writing it', default: false }),
    'password-env': Flags.string({ description: "the nodes' password is in this environment variable (the file names it)", helpValue: 'VAR' }),
    'password-file': Flags.string({ description: "the nodes' password is in this file (the file names it)", helpValue: 'FILE' }),
    'write-password': Flags.boolean({ description: 'write the password itself into the file, which is then mode 0600', default: false }),
    sentinel: Flags.string({ description: 'discover through this sentinel (with --master-name)', helpValue: 'HOST:PORT', dependsOn: ['master-name'] }),
    'master-name': Flags.string({ description: 'the name the sentinels monitor the master under', helpValue: 'NAME', dependsOn: ['sentinel'] }),
    'sentinel-password-env': Flags.string({ description: "the sentinels' own password is in this environment variable", helpValue: 'VAR', dependsOn: ['sentinel'] }),
    'sentinel-password-file': Flags.string({ description: "the sentinels' own password is in this file", helpValue: 'FILE', dependsOn: ['sentinel'] }),
    'include-unreachable': Flags.boolean({ description: 'write nodes (and sentinels) that are named but do not answer', default: false }),
    'tls-ca': Flags.string({ description: 'reach the nodes over TLS: the CA of their certificates (with --tls-cert, --tls-key)', helpValue: 'FILE', dependsOn: ['tls-cert', 'tls-key'] }),
    'tls-cert': Flags.string({ description: 'the certificate rctl presents', helpValue: 'FILE', dependsOn: ['tls-ca', 'tls-key'] }),
    'tls-key': Flags.string({ description: 'its private key', helpValue: 'FILE', dependsOn: ['tls-ca', 'tls-cert'] }),
    timeout: secondsFlag({ description: 'connect and reply timeout per node', default: 2 }),
    'max-nodes': Flags.integer({ description: 'stop the walk after this many nodes', default: 64, min: 1 }),
  };

  async run(): Promise<DiscoverResult> {
    const { args, flags } = await this.parse(DiscoverCommand);
    const { resolve, relative } = await import('node:path');
    const { BadInputError } = await import('../src/errors');
    const { discover } = await import('../src/cluster/discover/index');
    const { credentialsFromFlags, inlined, promptedCredentials } = await import('../src/cluster/discover/credentials');
    const { parseAddress } = await import('../src/topology/address');
    const { rctlHome } = await import('../src/state/home');
    const { isInteractive, confirmOrDecline } = await import('../src/ui/confirm');
    const { askPassword } = await import('../src/ui/password-prompt');
    const { renderDiscovery, discoveryOutcome } = await import('../src/ui/discover-report');

    if (flags.sentinel && args.address) throw new BadInputError('USAGE', 'give HOST:PORT or --sentinel, not both', 'with --sentinel, the sentinel names the nodes');
    if (!flags.sentinel && !args.address) throw new BadInputError('USAGE', 'discover needs the HOST:PORT of a node of the set (or --sentinel HOST:PORT --master-name NAME)', 'e.g. `rctl discover 10.0.0.17:6379`');
    if (flags.sentinel && flags['tls-ca']) throw new BadInputError('USAGE', 'sentinels over TLS are not supported yet: --tls-* with --sentinel', 'discover from a node instead');
    const example = 'e.g. `rctl discover 10.0.0.17:6379`';
    const seed = args.address ? parseAddress(args.address, example) : null;
    const cwd = process.cwd();
    const context = { env: process.env, cwd };
    const credentials = inlined(credentialsFromFlags({ env: flags['password-env'], file: flags['password-file'] }, { env: '--password-env', file: '--password-file' }, context), flags['write-password']);
    const sentinelCredentials = flags.sentinel
      ? inlined(credentialsFromFlags({ env: flags['sentinel-password-env'], file: flags['sentinel-password-file'] }, { env: '--sentinel-password-env', file: '--sentinel-password-file' }, context), flags['write-password'])
      : null;
    const interactive = isInteractive();
    const reporter = this.reporter();
    const out = resolve(cwd, flags.out);

    const { result, text } = await discover({
      seed,
      sentinel: flags.sentinel ? { address: parseAddress(flags.sentinel, example), masterName: flags['master-name'] as string, credentials: sentinelCredentials ?? credentials } : null,
      credentials,
      askPassword: interactive
        ? async (what) => {
            reporter.suspend();
            const secret = await askPassword(`Password of ${what}:`);
            if (!secret) throw new BadInputError('DISCOVER_PASSWORD', `no password given for ${what}`, 'pass --password-env VAR or --password-file FILE');
            return promptedCredentials(secret, flags['write-password']);
          }
        : null,
      confirmUnreachable: interactive ? (question) => confirmOrDecline(question, { yes: false, interactive: true }) : null,
      includeUnreachable: flags['include-unreachable'],
      name: flags.name ?? null,
      out,
      force: flags.force,
      dryRun: flags['dry-run'],
      tls: flags['tls-ca'] ? { ca: resolve(cwd, flags['tls-ca']), cert: resolve(cwd, flags['tls-cert'] as string), key: resolve(cwd, flags['tls-key'] as string) } : null,
      timeoutMs: Math.max(1, Math.round(flags.timeout * 1000)),
      maxNodes: flags['max-nodes'],
      command: ['rctl', 'discover', ...this.argv].join(' '),
      home: rctlHome(),
      env: process.env,
      reporter,
    });
    this.finishProgress();
    for (const warning of result.warnings) reporter.warn(warning);
    if (flags['dry-run'] && !this.jsonEnabled()) {
      process.stdout.write(text);
      return result;
    }
    this.log(renderDiscovery(result, this.charset()));
    const shown = relative(cwd, out).startsWith('..') ? out : relative(cwd, out);
    for (const line of discoveryOutcome(result, shown)) this.log(line);
    return result;
  }
}
