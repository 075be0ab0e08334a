// `rctl check` against real redis-server nodes launched by `rctl up`.

import { describeWithRedis } from '../helpers/redis-server';
import { checkScenarios } from './scenarios';

describeWithRedis('rctl check on redis-server nodes', () => checkScenarios('redis-server'));
