// The link is blackholed during a diskless full sync (bytes and closes dropped): the master
// finishes sending into nothing and waits for an ACK that never comes. See
// harness/full-sync-stall.ts for what must happen.

import { fullSyncScenario } from './harness/full-sync-stall';

fullSyncScenario('blackhole');
