// The network freezes during a diskless full sync (both directions stall, closes held): see
// harness/full-sync-stall.ts for what must happen.

import { fullSyncScenario } from './harness/full-sync-stall';

fullSyncScenario('freeze');
