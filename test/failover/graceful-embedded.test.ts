// Graceful failovers on bundled nodes (launch: embedded); the cases are in graceful-suite.ts.
import { describe } from 'vitest';
import { gracefulSuite } from './graceful-suite';

describe('rctl failover, graceful, on bundled nodes', () => gracefulSuite('embedded', { terminal: true }));
