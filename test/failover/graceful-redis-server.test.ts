// Graceful failovers on real redis-server (launch: redis-server); the cases are in graceful-suite.ts.
import { describeWithRedis } from '../helpers/redis-server';
import { gracefulSuite } from './graceful-suite';

describeWithRedis('rctl failover, graceful, on redis-server', () => gracefulSuite('redis-server'));
