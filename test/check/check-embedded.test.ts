// `rctl check` against bundled nodes launched by `rctl up` (launch: embedded).

import { describe } from 'vitest';
import { checkScenarios } from './scenarios';

describe('rctl check on bundled nodes', () => checkScenarios('embedded'));
