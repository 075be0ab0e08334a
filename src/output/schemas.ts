// What every command prints under --json, as zod schemas: the contract scripts rely on. Objects
// are strict, so a key added to a result type without its schema fails the CLI contract test, and
// the type assertions at the end fail compilation when a schema and its TypeScript type drift
// apart in either direction. `npm run schemas` writes them as JSON Schemas to schemas/.

import { z } from 'zod';
import type { RollingJson } from '../cluster/rolling/types';
import type { BackupResult } from '../cluster/backup';
import type { CheckReport } from '../cluster/check/model';
import type { DiscoverResult } from '../cluster/discover/index';
import type { FailoverError } from '../cluster/failover/execute';
import type { DryRunJson, FailoverJson } from '../cluster/failover/index';
import type { ReplicaofResult } from '../cluster/replicaof';
import type { ReplicaAddResult } from '../cluster/replica/add';
import type { ReplicaRemoveResult } from '../cluster/replica/remove';
import type { StatusReport } from '../cluster/status';
import type { RctlError, TopologyError } from '../errors';
import { ERROR_CODE_LIST } from './error-codes';
import type { DownJson, ServerJson, UpJson } from './results';

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

export const nodeStatusSchema = z
  .strictObject({
    name: z.string(),
    address: z.string().describe('host:port as written in the topology'),
    reachable: z.boolean(),
    role: z.enum(['master', 'replica']).nullable(),
    linkStatus: z.enum(['up', 'down']).nullable(),
    master: nullableString.describe("the node a replica follows: its name when it is in the topology, else host:port"),
    offset: nullableNumber,
    lagBytes: nullableNumber,
    keys: nullableNumber,
    connectedReplicas: nullableNumber,
    replid: nullableString,
    replid2: nullableString,
    version: nullableString.describe('INFO redis_version; the bundled node reports the Redis version it emulates'),
    error: nullableString.describe('why the node is not healthy; null when fine'),
  })
  .meta({ id: 'NodeStatus' });

const sentinelReportSchema = z
  .strictObject({
    masterName: z.string(),
    master: nullableString.describe('the node a quorum of sentinels names as master; null when no quorum agrees'),
    quorum: z.number(),
    agreeing: z.number().describe('how many sentinels name that master'),
    error: nullableString,
    sentinels: z.array(
      z.strictObject({
        name: z.string(),
        address: z.string(),
        reachable: z.boolean(),
        master: nullableString,
        flags: z.array(z.string()),
        epoch: nullableNumber,
        otherSentinels: nullableNumber,
        replicas: nullableNumber,
        quorumReachable: z.boolean().nullable(),
        error: nullableString,
      }),
    ),
  })
  .describe('Sentinel-managed sets only: the sentinels\' view');

export const statusSchema = z
  .strictObject({
    topology: z.string(),
    master: z.string().describe("the declared master's name"),
    healthy: z.boolean(),
    nodes: z.array(nodeStatusSchema),
    sentinel: sentinelReportSchema.optional(),
  })
  .describe('rctl status --json (exit 0 healthy, 3 not)');

export const upSchema = z
  .strictObject({
    topology: z.string(),
    file: z.string().describe('absolute path of the topology file'),
    changed: z.boolean(),
    actions: z.array(z.strictObject({ node: z.string(), action: z.string(), detail: z.string() })),
    warnings: z.array(z.string()),
    status: statusSchema,
  })
  .describe('rctl up --json');

const stopResultSchema = z.strictObject({
  name: z.string(),
  address: z.string(),
  outcome: z.enum(['stopped', 'terminated', 'killed', 'not running', 'external']),
  pid: nullableNumber,
  note: nullableString,
  purged: z.boolean(),
});

export const downSchema = z
  .strictObject({
    topology: z.string(),
    file: z.string(),
    nodes: z.array(stopResultSchema),
    sentinels: z.array(stopResultSchema).optional(),
  })
  .describe('rctl down --json');

export const replicaofSchema = z
  .strictObject({
    node: z.string(),
    address: z.string(),
    master: nullableString.describe('the new master, or null for "no one"'),
    changed: z.boolean(),
    actions: z.array(z.string()),
    warnings: z.array(z.string()),
    role: z.enum(['master', 'replica']).nullable(),
    linkStatus: z.enum(['up', 'down']).nullable(),
  })
  .describe('rctl replicaof --json');

const upActionSchema = z.strictObject({ node: z.string(), action: z.string(), detail: z.string() });
const launchSchema = z.enum(['external', 'embedded', 'redis-server']);

export const replicaAddSchema = z
  .strictObject({
    topology: z.string(),
    file: z.string().describe('absolute path of the topology file'),
    node: z.string(),
    address: z.string(),
    launch: launchSchema,
    master: z.string().describe('the master it replicates: the current one (after failovers, under Sentinel)'),
    dryRun: z.boolean(),
    declared: z.boolean().describe('the file gained the entry in this run; false when a rerun found it declared'),
    changed: z.boolean(),
    actions: z.array(upActionSchema).describe('done, or with --dry-run planned'),
    warnings: z.array(z.string()),
    status: statusSchema.nullable().describe('the whole set afterwards; null with --dry-run'),
  })
  .describe('rctl replica add --json');

export const replicaRemoveSchema = z
  .strictObject({
    topology: z.string(),
    file: z.string(),
    node: z.string(),
    address: z.string(),
    launch: launchSchema,
    master: z.string(),
    detached: z
      .enum(['stopped', 'terminated', 'killed', 'not running', 'fenced', 'unreachable'])
      .describe('a launched node: how it stopped; fenced: detached, writes refused, keys kept; unreachable: not detached'),
    actions: z.array(upActionSchema),
    warnings: z.array(z.string()),
    status: statusSchema,
  })
  .describe('rctl replica remove --json');

const findingSchema = z
  .strictObject({
    severity: z.enum(['error', 'warn', 'info']),
    node: z.string().describe("the node's name; under Sentinel, a sentinel's (sentinel-1, ...) or sentinels for the set of them"),
    code: z.string().describe('stable identifier of the finding, e.g. MASTER_NO_PERSISTENCE'),
    reason: z.string(),
    fix: z.string().describe('the exact command that fixes it; passwords appear as <password>'),
  })
  .meta({ id: 'Finding' });

export const checkSchema = z
  .strictObject({
    topology: z.string(),
    clean: z.boolean(),
    findings: z.array(findingSchema),
    notices: z.array(findingSchema),
    writeRate: z.strictObject({ node: z.string(), bytesPerSecond: z.number(), sampleMs: z.number() }).nullable(),
  })
  .describe('rctl check --json (exit 0 clean, 3 findings)');

const failoverMode = z.enum(['graceful', 'forced']);
const failoverStepSchema = z.strictObject({ step: z.string(), node: z.string(), ms: z.number(), ok: z.boolean() }).meta({ id: 'FailoverStep' });

export const failoverDoneSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    mode: failoverMode,
    steps: z.array(failoverStepSchema),
    fullResyncs: z.number(),
    partialResyncs: z.number(),
    writesPausedMs: z.number(),
    readsPausedMs: z.number(),
    durationMs: z.number(),
    sentinel: z
      .strictObject({
        masterName: z.string(),
        asked: z.array(z.string()).describe('the sentinels sent SENTINEL FAILOVER, in order'),
        steerMs: z.number().describe('from the first priority change until the sentinel itself chose the candidate'),
        promotedMs: z.number().nullable().describe('from the first SENTINEL FAILOVER until the candidate answered as a master'),
        agreedMs: z.number().nullable().describe('from the first SENTINEL FAILOVER until every answering sentinel named the new master'),
        priorities: z.array(z.strictObject({ node: z.string(), priority: z.number(), steeredTo: z.number() })),
      })
      .optional()
      .describe('on a Sentinel-managed set: how the sentinels made the switch'),
  })
  .describe('rctl failover --json and rctl promote --json: the switch that was made');

export const failoverDryRunSchema = z
  .strictObject({
    dryRun: z.literal(true),
    from: z.string(),
    to: z.string(),
    mode: failoverMode,
    candidates: z.array(z.strictObject({ name: z.string(), priority: z.number(), offset: z.number(), lagBytes: z.number() })),
    warnings: z.array(z.string()),
    plan: z.array(z.strictObject({ step: z.string(), node: z.string(), command: z.string().describe('the exact commands, the password shown as <password>') })),
  })
  .describe('rctl failover --dry-run --json: the plan, nothing changed');

const launchChoiceSchema = z
  .strictObject({
    launch: z.enum(['embedded', 'redis-server']),
    redisServer: z.string().optional(),
    version: z.string().describe('the Redis version it runs (the bundled node: the version it emulates)'),
    bundled: z.boolean(),
  })
  .meta({ id: 'LaunchChoice' });

const rollingNodePlanSchema = z
  .strictObject({
    name: z.string(),
    address: z.string(),
    turnRole: z.enum(['replica', 'old master']),
    method: z.enum(['launched', 'exec']),
    commands: z.array(z.string()).describe('what rctl runs for it, in order'),
    versionBefore: z.string().nullable(),
    versionAfter: z.string().nullable(),
    reenableAof: z.boolean().describe('appendonly yes: started once with --appendonly no on its RDB, its AOF rebuilt afterwards'),
    expectedResync: z.enum(['partial', 'full']),
    reason: z.string(),
    skip: z.string().nullable().describe('why it is skipped (done by an interrupted run, already on the target), or null'),
  })
  .meta({ id: 'RollingNodePlan' });

export const rollingSchema = z
  .strictObject({
    kind: z.enum(['restart', 'upgrade']),
    dryRun: z.boolean(),
    masterBefore: z.string(),
    masterAfter: z.string(),
    target: launchChoiceSchema.nullable(),
    plan: z.array(rollingNodePlanSchema),
    nodes: z.array(
      z.strictObject({
        name: z.string(),
        address: z.string(),
        skipped: z.boolean(),
        ms: z.number().describe('from stopping it until it was linked and caught up again'),
        downMs: z.number().describe('from the stop until it accepted connections again'),
        resync: z.enum(['partial', 'full', 'none']),
        versionBefore: z.string().nullable(),
        versionAfter: z.string().nullable(),
      }),
    ),
    switchover: failoverDoneSchema.nullable(),
    fullResyncs: z.number(),
    partialResyncs: z.number(),
    writesPausedMs: z.number(),
    durationMs: z.number(),
    warnings: z.array(z.string()),
    backlog: z
      .strictObject({ writeRate: z.number().describe('bytes per second on the master'), raisedTo: z.number().nullable().describe('the repl-backlog-size every node ran with, put back at the end; null: unchanged') })
      .nullable(),
  })
  .describe('rctl restart --json and rctl upgrade --json (with --dry-run: the plan, nodes empty)');

export const failoverSchema = z.union([failoverDoneSchema, failoverDryRunSchema]).describe('rctl failover / rctl promote --json');

export const backupSchema = z
  .strictObject({
    topology: z.string(),
    file: z.string().describe('absolute path of the RDB; the sidecar is this path + .json'),
    source: z.strictObject({
      name: z.string(),
      address: z.string(),
      role: z.enum(['master', 'replica']).nullable(),
      version: nullableString.describe('INFO redis_version of the source'),
      master: z.string().describe('the master at the time of the backup'),
    }),
    replid: z.string().describe('the replication id the snapshot belongs to (+FULLRESYNC)'),
    offset: z.number().describe('the replication offset the snapshot stands at (+FULLRESYNC)'),
    transfer: z.enum(['disk', 'diskless']),
    startedAt: z.string(),
    finishedAt: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    rdbVersion: z.number(),
    keys: z.strictObject({ total: z.number(), expires: z.number(), perDb: z.record(z.string(), z.number()).describe('keys per database number') }),
    verifiers: z.array(
      z.strictObject({
        name: z.enum(['rctl-reader', 'redis-check-rdb']),
        verdict: z.enum(['ok', 'failed', 'skipped']),
        detail: z.string(),
        path: nullableString.describe('the redis-check-rdb that ran'),
      }),
    ),
  })
  .describe('rctl backup --json, and the sidecar <file>.json');

export const discoverSchema = z
  .strictObject({
    topology: z.string().describe('the name field of the file'),
    file: nullableString.describe('absolute path of the file written; null with --dry-run'),
    written: z.boolean(),
    master: z.string().describe("the master's name in the file"),
    auth: nullableString.describe('how the file names the password (passwordEnv VAR, passwordFile FILE, or password written in it); null: no auth section. Never the password'),
    nodes: z.array(
      z.strictObject({
        name: z.string().describe('derived from the host (and the port when a host has several nodes); stable across runs'),
        address: z.string(),
        role: z.enum(['master', 'replica']),
        reachable: z.boolean(),
        included: z.boolean().describe('written to the file: every reachable node; an unreachable one only when confirmed or --include-unreachable'),
        follows: nullableString.describe("a replica's master_host:master_port"),
        linkStatus: z.enum(['up', 'down']).nullable(),
        priority: nullableNumber.describe('replica-priority'),
        version: nullableString.describe('INFO redis_version'),
        bundled: z.boolean().describe("rctl's bundled node"),
        namedBy: z.array(z.string()).describe('addresses of the nodes (or the sentinel) that named it; empty for the address given'),
        error: nullableString.describe('why it did not answer'),
      }),
    ),
    outside: z.array(z.strictObject({ address: z.string(), reason: z.string() })).describe('nodes met on the walk that belong to another set'),
    sentinel: z
      .strictObject({
        masterName: z.string(),
        quorum: z.number(),
        nodes: z.array(z.strictObject({ address: z.string(), reachable: z.boolean(), included: z.boolean(), error: nullableString })),
      })
      .nullable()
      .describe('with --sentinel: the sentinels found'),
    warnings: z.array(z.string()),
  })
  .describe('rctl discover --json');

export const serverSchema = z.strictObject({ exitCode: z.number() }).describe('rctl server --json: printed once the node stopped');

const errorFields = {
  code: z.enum(ERROR_CODE_LIST).meta({ id: 'ErrorCode', description: 'stable identifier; see docs/errors.md' }),
  message: z.string(),
  exitCode: z.literal([0, 1, 2, 3, 4, 5]),
  suggestion: nullableString,
};
const plainErrorSchema = z.strictObject(errorFields);
const topologyErrorSchema = z.strictObject({
  ...errorFields,
  issues: z.array(z.strictObject({ file: z.string(), line: z.number(), col: z.number(), path: z.string(), message: z.string() })),
});
const failoverErrorSchema = z.strictObject({ ...errorFields, steps: z.array(failoverStepSchema).describe('the steps done before it stopped') });

export const errorSchema = z
  .strictObject({ error: z.union([plainErrorSchema, topologyErrorSchema, failoverErrorSchema]) })
  .describe('what every command prints under --json when it fails (exit 1, 2, 4 or 5)');

export type ErrorJson = z.infer<typeof errorSchema>;

/** The schemas/ files: one per command result, and the error every command may print instead. */
export const OUTPUT_SCHEMAS = {
  status: statusSchema,
  up: upSchema,
  down: downSchema,
  replicaof: replicaofSchema,
  'replica-add': replicaAddSchema,
  'replica-remove': replicaRemoveSchema,
  check: checkSchema,
  failover: failoverSchema,
  server: serverSchema,
  backup: backupSchema,
  discover: discoverSchema,
  restart: rollingSchema,
  upgrade: rollingSchema,
  error: errorSchema,
} as const;

export type OutputName = keyof typeof OUTPUT_SCHEMAS;

/** The schema a command's successful --json output follows (promote is failover's --promote form). */
export function resultSchemaOf(command: string): (typeof OUTPUT_SCHEMAS)[OutputName] | undefined {
  const name = command === 'promote' ? 'failover' : command.replace(/[: ]/g, '-');
  return name in OUTPUT_SCHEMAS && name !== 'error' ? OUTPUT_SCHEMAS[name as OutputName] : undefined;
}

// Compile-time: each schema describes exactly its command's result type. Identity rather than
// assignability both ways, which an extra optional key would pass.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type OutputContractChecks = [
  Holds<Same<z.infer<typeof statusSchema>, StatusReport>>,
  Holds<Same<z.infer<typeof upSchema>, UpJson>>,
  Holds<Same<z.infer<typeof downSchema>, DownJson>>,
  Holds<Same<z.infer<typeof replicaofSchema>, ReplicaofResult>>,
  Holds<Same<z.infer<typeof replicaAddSchema>, ReplicaAddResult>>,
  Holds<Same<z.infer<typeof replicaRemoveSchema>, ReplicaRemoveResult>>,
  Holds<Same<z.infer<typeof checkSchema>, CheckReport>>,
  Holds<Same<z.infer<typeof failoverDoneSchema>, FailoverJson>>,
  Holds<Same<z.infer<typeof failoverDryRunSchema>, DryRunJson>>,
  Holds<Same<z.infer<typeof serverSchema>, ServerJson>>,
  Holds<Same<z.infer<typeof backupSchema>, BackupResult>>,
  Holds<Same<z.infer<typeof discoverSchema>, DiscoverResult>>,
  Holds<Same<z.infer<typeof rollingSchema>, RollingJson>>,
  Holds<Same<z.infer<typeof plainErrorSchema>, ReturnType<RctlError['toJSON']>>>,
  Holds<Same<z.infer<typeof topologyErrorSchema>, ReturnType<TopologyError['toJSON']>>>,
  Holds<Same<z.infer<typeof failoverErrorSchema>, ReturnType<FailoverError['toJSON']>>>,
];
