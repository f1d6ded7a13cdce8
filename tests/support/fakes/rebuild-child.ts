// Child process of the SIGKILL test: opens a local data dir and rebuilds a projection, killing itself (SIGKILL, no
// cleanup of any kind) right after replay batch N is checkpointed.
// Usage: node --import ./scripts/ts-loader.mjs tests/support/fakes/rebuild-child.ts <dataDir> <projection> <fromMs> <nowMs> <killAfterBatches> <batchSize>

import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';

const [dataDir, projection, from, now, killAfter, batchSize] = process.argv.slice(2);
const local = await openLocalEventlake({ dataDir: dataDir!, now: () => Number(now), restoreDelayMs: 0 });
const coordinator = new RebuildCoordinator(local, local.projections);
const plan = await coordinator.plan({ projection: projection!, from: Number(from) });
await coordinator.rebuild(plan, {
  batchSize: Number(batchSize),
  onBatch: (n) => {
    if (n >= Number(killAfter)) {
      process.stdout.write(`killing after batch ${n}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
process.stdout.write('finished without being killed\n');
await local.close();
