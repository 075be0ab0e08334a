// The plan in words: every step, the node and the exact commands it sends, for --dry-run and the
// confirmation prompt. The password is shown as <password>.

import { capabilitiesOfVersion, describeConfigSet, unpauseCommand, type Capabilities } from '../../node/capabilities';
import { DISCONNECT_CLIENTS, DISCONNECT_SUBSCRIBERS, planHold, START_ACTIVE_EXPIRE, STOP_ACTIVE_EXPIRE } from './pause';
import { fenceSettings, pauseLiftSettings, quietPingSettings, readOnlySettings, restoreSettings, switchedSettings } from './switch-settings';
import type { FailoverPlan } from './plan';
import { fileMasterOf } from './roles';
import type { PlannedStep } from './types';
import { rolesPath } from '../../state/roles';
import type { TopologyState } from '../../state/topology-state';

export const PASSWORD_PLACEHOLDER = '<password>';

export interface DescribeOptions {
  state: TopologyState;
  timeoutMs: number;
  waitMs: number;
  /** --connect-timeout: caps a pause that holds rctl's own commands (before 6.2). */
  replyTimeoutMs?: number;
}

const seconds = (ms: number) => `${ms / 1000}s`;

// A node whose version could not be read is described as Redis 7.0 would be driven.
const FALLBACK = capabilitiesOfVersion('7.0.0');

export function plannedSteps(plan: FailoverPlan, options: DescribeOptions): PlannedStep[] {
  const { from, to, topology } = plan;
  const steps: PlannedStep[] = [];
  const add = (step: string, node: string, command: string) => steps.push({ step, node, command });
  const target = `${to.node.host} ${to.node.port}`;
  const master: Capabilities = from.capabilities ?? FALLBACK;
  const originalPing = from.settings['repl-ping-replica-period'];
  const hold = planHold(master, from.rttMs, to.rttMs, options.timeoutMs, options.replyTimeoutMs);
  const switched = switchedSettings(from.settings, hold.kind);
  const restore = describeConfigSet(master, restoreSettings(switched));
  const fence = describeConfigSet(master, [...fenceSettings(from.settings), ...(hold.kind === 'pause-writes' ? readOnlySettings(from.settings) : [])]);
  const unpause = unpauseCommand(master);

  if (plan.sentinel) {
    for (const steer of plan.sentinel.steering.filter((s) => s.steered !== s.original)) {
      const why = steer.state === to ? 'the best there is: the sentinels choose it' : 'the sentinels never choose it';
      add('steer', steer.state.node.name, `CONFIG SET replica-priority ${steer.steered}   (was ${steer.original}; ${why}; put back after the switch)`);
    }
    for (const sentinel of plan.sentinel.order) {
      add('sentinel choice', sentinel.name, `SENTINEL MASTER and SENTINEL REPLICAS ${plan.sentinel.set.masterName} every 200 ms until its own view would promote ${to.node.name} (Sentinel reads priorities from INFO every 10 s; at most ${seconds(options.waitMs)}; if no sentinel does, put the priorities back, exit 4)`);
    }
  }
  for (const state of plan.repoint) {
    if (topology.password && !state.masterauthOk) add('prepare', state.node.name, `CONFIG SET masterauth ${PASSWORD_PLACEHOLDER}`);
  }
  if (plan.masterLive) {
    const lift = hold.kind === 'pause-and-demote' ? pauseLiftSettings(from.settings) : [];
    add(
      'prepare',
      from.node.name,
      `${describeConfigSet(master, [...quietPingSettings(), ...lift])}   (no replication PING moves the offset during the switch; ${originalPing} is restored${lift.length > 0 ? `; with hz 100, taken at the next cron tick, ${Math.ceil(1000 / Math.max(1, Number(from.settings.hz)))} ms on, the pause lifts within 10 ms of its deadline` : ''})`,
    );
    const otherwise =
      plan.mode === 'graceful'
        ? `else roll back: ${restore}${unpause ? `; ${unpause.join(' ')}` : ''} on ${from.node.name}, exit 4`
        : 'else promote it anyway (--force)';
    if (hold.kind === 'pause-writes') {
      add('pause writes', from.node.name, hold.command.join(' '));
      add('catch up', to.node.name, `INFO replication on ${to.node.name} and ${from.node.name} every 2 ms until ${to.node.name}'s offset equals ${from.node.name}'s (at most ${seconds(options.timeoutMs)}; ${otherwise})`);
      add('fence', from.node.name, `${fence}   (it refuses writes for good, not only until the pause deadline: never two writable masters)`);
    } else {
      const settings = fenceSettings(from.settings).map(([name, value]) => `CONFIG SET ${name} ${value}`);
      add('pause and fence', from.node.name, `MULTI; ${[...settings, `${STOP_ACTIVE_EXPIRE.join(' ')} (where DEBUG is available)`, hold.command.join(' '), DISCONNECT_CLIENTS.join(' '), DISCONNECT_SUBSCRIBERS.join(' ')].join('; ')}; INFO replication; EXEC   (${hold.note})`);
      add('catch up', to.node.name, `INFO replication on ${to.node.name} every 2 ms until its offset reaches the one ${from.node.name} stopped at (at most ${seconds(options.timeoutMs)}; ${otherwise})`);
      const readOnly = readOnlySettings(from.settings).map(([name, value]) => `CONFIG SET ${name} ${value}; `);
      add('demote', from.node.name, `MULTI; ${readOnly.join('')}REPLICAOF ${target}; ${START_ACTIVE_EXPIRE.join(' ')}; EXEC; INFO replication   (queued behind the pause, it most likely runs before any client's command; ${to.node.name} must then hold every byte ${from.node.name} ended with, else roll back: REPLICAOF NO ONE and ${restore} on ${from.node.name}, exit 4)`);
    }
  }
  const rolesFile = rolesPath(options.state);
  const backToFile = to.node.name === fileMasterOf(plan) && plan.leftBehind.length === 0;
  add('record roles', to.node.name, `${backToFile ? `delete ${rolesFile} (${to.node.name} is the file's own master)` : `write ${rolesFile}: master ${to.node.name}`}   (before the promotion: a killed rctl leaves \`rctl up\` to finish the switch; put back on a rollback)`);
  const sentinel = plan.sentinel;
  const resume = () => {
    if (plan.masterLive) add('resume writes', from.node.name, unpause ? `${restore}; ${unpause.join(' ')}   (after its REPLICAOF: held writes get -READONLY)` : `${restore}   (a replica by then: writes get -READONLY)`);
  };
  if (sentinel) {
    const names = sentinel.order.map((s) => s.name);
    add('sentinel failover', names[0] ?? '-', `SENTINEL FAILOVER ${sentinel.set.masterName}, then INFO replication on ${to.node.name} every 5 ms until it is a master (at most ${seconds(options.waitMs)}; ${names.length > 1 ? `if ${names[0]} stops answering, ${names.slice(1).join(', then ')}` : 'no other sentinel to ask'}; refused or given up: roll back, exit 4)`);
    const others = plan.repoint.filter((state) => state !== from);
    for (const state of others) add('repoint', state.node.name, `REPLICAOF ${target}   (before the old master drops it; Sentinel's own REPLICAOF later finds it connected)`);
    if (plan.masterLive) {
      add('repoint', from.node.name, `REPLICAOF ${target}`);
      resume();
      add('disconnect clients', from.node.name, 'CLIENT KILL TYPE normal; CLIENT KILL TYPE pubsub   (as Sentinel does to a master it demotes: clients ask the sentinels again)');
    }
    add('sentinels agree', to.node.name, `SENTINEL GET-MASTER-ADDR-BY-NAME ${sentinel.set.masterName} on every sentinel every 50 ms until each that answers names ${to.node.name} and none is still failing over (at most ${seconds(options.waitMs)})`);
    for (const steer of sentinel.steering.filter((s) => s.steered !== s.original)) add('restore priority', steer.state.node.name, `CONFIG SET replica-priority ${steer.original}`);
  } else {
    add('promote', to.node.name, 'REPLICAOF NO ONE');
    for (const state of plan.repoint) add('repoint', state.node.name, `REPLICAOF ${target}`);
    resume();
  }
  for (const state of [to, ...plan.repoint]) {
    add('persist config', state.node.name, state.facts?.configFile ? 'CONFIG REWRITE' : '(none: it runs without a config file)');
  }
  for (const state of plan.repoint) add('link up', state.node.name, `INFO replication every 2 ms until master_link_status:up with ${to.node.name} (at most ${seconds(options.waitMs)})`);
  return steps;
}
