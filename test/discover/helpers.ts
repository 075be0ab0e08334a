// A seed-like set brought up by `rctl up` (launch: redis-server, or the bundled node) on the
// seeds' hosts as loopback addresses, then discovered from a second file in the same sandbox.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type Sandbox } from '../cli/helpers';
import { freePort } from '../helpers/ports';

export const PASSWORD = '123456';
export const ENV = { SEED_PW: PASSWORD };
export const HOSTS = ['127.0.0.58', '127.0.0.17', '127.0.0.27'] as const;

/** Writes the launching topology (name `lab`) and brings it up; returns each host's port. */
export async function upSeedSet(box: Sandbox, launch: { launch: 'redis-server'; binary: string } | { launch: 'embedded' }): Promise<number[]> {
  const ports = [await freePort(HOSTS[0]), await freePort(HOSTS[1]), await freePort(HOSTS[2])];
  const file = box.topology(
    'lab.yml',
    [
      'name: lab',
      'auth: { passwordEnv: SEED_PW }',
      `launch: ${launch.launch}`,
      ...(launch.launch === 'redis-server' ? [`redisServer: ${launch.binary}`] : []),
      'nodes:',
      `  - { name: master, host: ${HOSTS[0]}, port: ${ports[0]}, role: master }`,
      `  - { name: slave1, host: ${HOSTS[1]}, port: ${ports[1]}, role: replica }`,
      `  - { name: slave2, host: ${HOSTS[2]}, port: ${ports[2]}, role: replica, priority: 50 }`,
      '',
    ].join('\n'),
  );
  const up = await box.run(['up', file], { env: ENV, timeoutMs: 120_000 });
  expect(up.code, up.stderr).toBe(0);
  return ports;
}

export function expectSeedFile(file: string, ports: number[]): void {
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain(PASSWORD);
  expect(text).toContain('passwordEnv: SEED_PW');
  expect(text).toContain('launch: external');
  HOSTS.forEach((host, i) => expect(text).toContain(`host: ${host}\n    port: ${ports[i]}`));
}
