// The topology file's schema. Shape checks live here (zod); rules that span several nodes
// (one master, unique names and addresses, where launching is allowed) live in rules.ts.

// zod/mini: the tree-shakable build keeps the CLI's start-up fast (the classic build adds ~35 ms).
import * as z from 'zod/mini';

export const LAUNCH_MODES = ['external', 'embedded', 'redis-server'] as const;
export type LaunchMode = (typeof LAUNCH_MODES)[number];

export const ROLES = ['master', 'replica'] as const;
export type Role = (typeof ROLES)[number];

export const SENTINEL_LAUNCH_MODES = ['external', 'redis-sentinel'] as const;
export type SentinelLaunchMode = (typeof SENTINEL_LAUNCH_MODES)[number];

export const TOP_LEVEL_KEYS = ['name', 'auth', 'tls', 'launch', 'redisServer', 'sentinel', 'nodes'] as const;
export const SENTINEL_KEYS = ['masterName', 'quorum', 'launch', 'redisSentinel', 'downAfterMs', 'failoverTimeoutMs', 'parallelSyncs', 'auth', 'nodes'] as const;
export const SENTINEL_NODE_KEYS = ['host', 'port'] as const;
export const AUTH_KEYS = ['password', 'passwordEnv', 'passwordFile'] as const;
export const TLS_KEYS = ['ca', 'cert', 'key'] as const;
export const NODE_KEYS = ['name', 'host', 'port', 'role', 'priority', 'launch', 'redisServer'] as const;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_RULE = 'expected a name of letters, digits, ".", "_" or "-" (at most 64, not starting with a punctuation mark)';
const PORT_RULE = 'expected an integer 1-65535';
const PRIORITY_RULE = 'expected an integer 0-2147483647 (replica-priority)';

const nameField = z.string().check(z.regex(NAME_PATTERN, { error: NAME_RULE }));
/** The redis-server executable of `launch: redis-server` nodes: a path (relative to the file) or a command on PATH. */
const redisServerField = z.string().check(z.minLength(1, { error: 'expected the path of a redis-server executable' }));
const launchField = z.enum(LAUNCH_MODES);
const portField = z.int({ error: PORT_RULE }).check(z.minimum(1, { error: PORT_RULE }), z.maximum(65535, { error: PORT_RULE }));

export const authSchema = z.strictObject({
  password: z.optional(z.string().check(z.minLength(1, { error: 'expected a non-empty password' }))),
  passwordEnv: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }))),
  passwordFile: z.optional(z.string().check(z.minLength(1, { error: 'expected a file path' }))),
});

const tlsFileField = z.string().check(z.minLength(1, { error: 'expected a file path' }));

/** Paths relative to the topology file, like auth.passwordFile; all three are needed (Redis's tls-auth-clients). */
export const tlsSchema = z.strictObject({
  ca: tlsFileField,
  cert: tlsFileField,
  key: tlsFileField,
});

export const nodeSchema = z.strictObject({
  name: nameField,
  host: z.string().check(z.minLength(1, { error: 'expected a host name or IP address' })),
  port: portField,
  role: z.enum(ROLES),
  priority: z.optional(z.int({ error: PRIORITY_RULE }).check(z.minimum(0, { error: PRIORITY_RULE }), z.maximum(2147483647, { error: PRIORITY_RULE }))),
  launch: z.optional(launchField),
  redisServer: z.optional(redisServerField),
});

/** A positive integer below 2^31: what Sentinel's own parsers accept for counts and milliseconds. */
function positiveInt(rule: string) {
  return z.int({ error: rule }).check(z.minimum(1, { error: rule }), z.maximum(2147483647, { error: rule }));
}

export const sentinelNodeSchema = z.strictObject({
  host: z.string().check(z.minLength(1, { error: 'expected a host name or IP address' })),
  port: portField,
});

/** The Sentinels that watch the set; they, not the file's roles, say who the master is. */
export const sentinelSchema = z.strictObject({
  masterName: nameField,
  quorum: positiveInt('expected an integer 1 or more (the sentinels that must agree the master is down)'),
  launch: z._default(z.enum(SENTINEL_LAUNCH_MODES), 'external'),
  /** The redis-sentinel executable of `launch: redis-sentinel`: a path (relative to the file) or a command on PATH. */
  redisSentinel: z.optional(z.string().check(z.minLength(1, { error: 'expected the path of a redis-sentinel executable' }))),
  downAfterMs: z.optional(positiveInt('expected a number of milliseconds, 1 or more (down-after-milliseconds)')),
  failoverTimeoutMs: z.optional(positiveInt('expected a number of milliseconds, 1 or more (failover-timeout)')),
  parallelSyncs: z.optional(positiveInt('expected an integer 1 or more (parallel-syncs)')),
  auth: z.optional(authSchema),
  nodes: z.array(sentinelNodeSchema).check(z.minLength(1, { error: 'expected at least one sentinel' })),
});

export const topologySchema = z.strictObject({
  name: nameField,
  auth: z.optional(authSchema),
  tls: z.optional(tlsSchema),
  launch: z._default(launchField, 'external'),
  redisServer: z.optional(redisServerField),
  sentinel: z.optional(sentinelSchema),
  nodes: z.array(nodeSchema).check(z.minLength(1, { error: 'expected at least one node' })),
});

export type TopologyInput = z.infer<typeof topologySchema>;
export type NodeInput = z.infer<typeof nodeSchema>;
export type SentinelInput = z.infer<typeof sentinelSchema>;

/** Allowed keys of the object at a path, for "did you mean" on unknown keys. */
export function knownKeysAt(path: ReadonlyArray<string | number>): readonly string[] {
  if (path.length === 0) return TOP_LEVEL_KEYS;
  if (path.length === 1 && path[0] === 'auth') return AUTH_KEYS;
  if (path.length === 1 && path[0] === 'tls') return TLS_KEYS;
  if (path.length === 2 && path[0] === 'nodes') return NODE_KEYS;
  if (path[0] === 'sentinel') {
    if (path.length === 1) return SENTINEL_KEYS;
    if (path.length === 2 && path[1] === 'auth') return AUTH_KEYS;
    if (path.length === 3 && path[1] === 'nodes') return SENTINEL_NODE_KEYS;
  }
  return [];
}
