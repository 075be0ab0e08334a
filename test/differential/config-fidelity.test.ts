// Every Redis 7.0 directive the node stores without acting on it: CONFIG GET shows Redis's
// default, CONFIG SET validates with Redis's wording, and hidden directives stay out of patterns.

import { describeDifferential, pairs } from '../helpers/differential';
import { ACCEPTED_ONLY_DIRECTIVES } from '../../src/server/config-accepted';

const visible = ACCEPTED_ONLY_DIRECTIVES.filter((d) => !d.hidden);
const hidden = ACCEPTED_ONLY_DIRECTIVES.filter((d) => d.hidden);

describeDifferential('config fidelity', [
  {
    name: 'defaults of the accepted-only directives, by name and alias',
    steps: [...visible, ...hidden].flatMap((d) => [['CONFIG', 'GET', d.name], ...(d.aliases ?? []).map((a) => ['CONFIG', 'GET', a])]),
  },
  {
    name: 'patterns cover the new directives and skip hidden ones',
    steps: ['cluster-*', 'tls-*', '*-delay', 'active-defrag-*', 'shutdown*', '*cpulist', 'syslog-*'].map((p) => pairs('CONFIG', 'GET', p)),
  },
  {
    name: 'maxmemory-clients takes bytes or a percentage',
    steps: [
      ['CONFIG', 'SET', 'maxmemory-clients', '10%'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
      ['CONFIG', 'SET', 'maxmemory-clients', 'abc'],
      ['CONFIG', 'SET', 'maxmemory-clients', '-5'],
      ['CONFIG', 'SET', 'maxmemory-clients', '1kb'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'maxmemory-clients', '0'],
    ],
  },
  {
    name: 'shutdown-on-sigint flags, enums, ranges and immutables',
    steps: [
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'NOW nosave'],
      ['CONFIG', 'GET', 'shutdown-on-sigint'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'save nosave'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'bad'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'default save'],
      ['CONFIG', 'GET', 'shutdown-on-sigint'],
      ['CONFIG', 'SET', 'shutdown-on-sigint', 'default'],
      ['CONFIG', 'SET', 'acl-pubsub-default', 'x'],
      ['CONFIG', 'SET', 'sanitize-dump-payload', 'maybe'],
      ['CONFIG', 'SET', 'syslog-facility', 'local1'],
      ['CONFIG', 'SET', 'socket-mark-id', '1'],
      ['CONFIG', 'SET', 'cluster-config-file', 'x.conf'],
      ['CONFIG', 'SET', 'active-defrag-cycle-min', '100'],
      ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '101'],
      ['CONFIG', 'SET', 'tracking-table-max-keys', '-1'],
      ['CONFIG', 'SET', 'key-load-delay', '-5'],
      ['CONFIG', 'GET', 'key-load-delay'],
      ['CONFIG', 'SET', 'key-load-delay', '0'],
      ['CONFIG', 'SET', 'cluster-slave-no-failover', 'yes'],
      ['CONFIG', 'GET', 'cluster-replica-no-failover'],
      ['CONFIG', 'SET', 'cluster-slave-no-failover', 'no'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.5'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'],
    ],
  },
]);
