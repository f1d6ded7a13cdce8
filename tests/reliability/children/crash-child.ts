// Child process of the crash tests: opens a data dir with fault plans on its ports and runs one workload, so a
// plan's SIGKILL lands at a named point (or the parent kills it at a random moment). It prints, synchronously so
// the lines survive the kill: `ready`, `acked <batch>` once an emit returned, and `done` at the end.
// Usage: node --import ./scripts/ts-loader.mjs crash-child.ts <ingest|stream|compact|rebuild> <dataDir> <plans JSON> [arg]
//   ingest  <batchSize>   emit the workload batch by batch (each emit indexes and dispatches)
//   stream  <batchSize>   emit the workload again and again until killed
//   compact               compact every hour partition
//   rebuild <projection>  rebuild a projection from an empty generation, in batches of 10

import { say } from './say.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { decorateWith, type FaultPlans } from '../../support/faults.ts';
import { batchesOf, compactAll, workloadEvents } from './workload.ts';

const [scenario, dataDir, plans, arg] = process.argv.slice(2);
const local = await openLocalEventlake({
  dataDir: dataDir!,
  decorate: decorateWith(JSON.parse(plans ?? '{}') as FaultPlans),
  dispatch: { baseDelayMs: 1, maxDelayMs: 5 },
});
say('ready');
const batches = batchesOf(workloadEvents(), Number(arg ?? 10));
if (scenario === 'ingest') {
  for (const [i, batch] of batches.entries()) {
    await local.lake.emit(batch);
    say(`acked ${i}`);
  }
} else if (scenario === 'stream') {
  for (;;) {
    for (const [i, batch] of batches.entries()) {
      await local.lake.emit(batch);
      say(`acked ${i}`);
    }
  }
} else if (scenario === 'compact') {
  await local.catchUp();
  await compactAll(local);
} else if (scenario === 'rebuild') {
  const coordinator = new RebuildCoordinator(local, local.projections);
  const plan = await coordinator.plan({ projection: arg!, from: 0 });
  await coordinator.rebuild(plan, { batchSize: 10 });
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
say('done');
await local.close();
