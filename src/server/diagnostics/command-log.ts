// What the node records about each command that ran, after it ran (Redis 7.0's call()): a SLOWLOG
// entry when it was slow, a latency sample past latency-monitor-threshold, and a MONITOR line unless it is an admin command or marked skip_monitor.
// Secrets are replaced by "(redacted)" in both, as Redis redacts them in the client's argv.

import { commandFlags } from '../command-docs';
import { findDirective } from '../config';
import type { CommandContext } from '../context';
import type { CompiledCommand } from '../commands/table';
import { recordLatency } from './latency-histogram';

const REDACTED = '(redacted)';

interface LogPolicy {
  slowlog: boolean;
  monitor: boolean;
  /** The latency monitor's event for this command. */
  latencyEvent: 'fast-command' | 'command';
}

const policies = new WeakMap<CompiledCommand, LogPolicy>();

function policyOf(cmd: CompiledCommand): LogPolicy {
  let policy = policies.get(cmd);
  if (!policy) {
    const flags = commandFlags(cmd);
    policy = {
      slowlog: !flags.includes('skip_slowlog'),
      monitor: !flags.includes('skip_monitor') && !flags.includes('admin'),
      latencyEvent: flags.includes('fast') ? 'fast-command' : 'command',
    };
    policies.set(cmd, policy);
  }
  return policy;
}

/** The arguments as logs may show them: passwords (AUTH, HELLO AUTH, ACL SETUSER, CONFIG SET of a secret) redacted. */
export function redactedArgs(cmd: CompiledCommand, args: readonly string[]): readonly string[] {
  if (cmd.name === 'auth') return args.map((arg, i) => (i === 0 ? arg : REDACTED));
  // ACL SETUSER: the user name and every rule, as Redis redacts them (a rule may be >password).
  if (cmd.name === 'acl|setuser') return args.map((arg, i) => (i < 2 ? arg : REDACTED));
  if (cmd.name === 'hello') {
    const out = [...args];
    for (let j = 2; j < out.length; j++) {
      const remaining = out.length - 1 - j;
      const option = out[j].toLowerCase();
      if (option === 'auth' && remaining >= 2) {
        out[j + 1] = REDACTED;
        out[j + 2] = REDACTED;
        j += 2;
      } else if (option === 'setname' && remaining >= 1) {
        j += 1;
      }
    }
    return out;
  }
  if (cmd.name === 'config|set') {
    const out = [...args];
    for (let i = 2; i + 1 < out.length; i += 2) if (findDirective(out[i])?.secret) out[i + 1] = REDACTED;
    return out;
  }
  return args;
}

/** The settings read for every command, re-read only when the configuration changed. */
interface Thresholds {
  generation: number;
  latencyTracking: boolean;
  latencyMs: number;
  slowlogUsec: number;
  slowlogMaxLength: number;
}

const thresholdsByConfig = new WeakMap<object, Thresholds>();

function thresholdsOf(config: CommandContext['server']['config']): Thresholds {
  let cached = thresholdsByConfig.get(config);
  if (cached?.generation !== config.generation) {
    cached = {
      generation: config.generation,
      latencyTracking: config.getBool('latency-tracking'),
      latencyMs: config.getInt('latency-monitor-threshold'),
      slowlogUsec: config.getInt('slowlog-log-slower-than'),
      slowlogMaxLength: config.getInt('slowlog-max-len'),
    };
    thresholdsByConfig.set(config, cached);
  }
  return cached;
}

/** Called once a command ran: the latency monitor, SLOWLOG and MONITOR. A command left blocked is not logged. */
export function recordCommand(client: CommandContext, cmd: CompiledCommand, args: readonly string[], durationUsec: number): void {
  const server = client.server;
  const policy = policyOf(cmd);
  const thresholds = thresholdsOf(server.config);
  if (thresholds.latencyMs > 0 && durationUsec >= thresholds.latencyMs * 1000) {
    server.latency.sampleIfNeeded(policy.latencyEvent, Math.floor(durationUsec / 1000), thresholds.latencyMs, server.clock.now());
  }
  if (thresholds.latencyTracking) recordLatency(cmd, durationUsec * 1000);
  if (policy.slowlog && thresholds.slowlogUsec >= 0 && !client.blocked) {
    if (durationUsec >= thresholds.slowlogUsec) server.slowlog.add(redactedArgs(cmd, args), durationUsec, server.clock.now(), client.address, client.name);
    server.slowlog.trim(thresholds.slowlogMaxLength);
  }
  if (policy.monitor && server.monitors.count > 0 && !server.loading) {
    server.monitors.feed(client, client.dbIndex, client.address, redactedArgs(cmd, args), Math.floor((performance.timeOrigin + performance.now()) * 1000));
  }
}
