// Child process of the rebuild figure: plan → rebuild → verify against the log on a data dir, then report its own
// wall time and peak RSS as one JSON line (a child, so the peak is the rebuild's alone).

import { openLocalEventlake } from '../adapters/local/open-local-eventlake.ts';
import { RebuildCoordinator } from '../projections/rebuild/coordinator.ts';

const [dataDir, projection = 'balances'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: rebuild-child.ts <dataDir> [projection]');

const t0 = performance.now();
const local = await openLocalEventlake({ dataDir, restoreDelayMs: 0 });
const coordinator = new RebuildCoordinator(local, local.projections);
const opened = performance.now();
const plan = await coordinator.plan({ projection, from: 0 });
const planned = performance.now();
const built = await coordinator.rebuild(plan, { restoreTier: 'Standard' });
const rebuilt = performance.now();
// A failing verification is reported, not thrown, so the figure still shows how far the rebuild got.
const check = await coordinator.verify(projection, built.generation, 'log').catch((error: unknown) => ({ passed: false, accounts: 0, reference: 'none', error: String(error) }));
const verified = performance.now();
await local.close();
process.stdout.write(`${JSON.stringify({
  wallMs: verified - opened, openMs: opened - t0, planMs: planned - opened, rebuildMs: rebuilt - planned, verifyMs: verified - rebuilt,
  phases: built.phases, events: plan.events.count, objects: plan.events.objects, tiers: plan.tiers,
  applied: built.checkpoint.applied, batches: built.checkpoint.batches, objectsRead: built.objectsRead, restored: built.rehydrated.objects - built.rehydrated.alreadyReadable,
  passed: check.passed, accounts: check.accounts, reference: check.reference, ...('error' in check ? { verifyError: check.error } : {}), peakRssBytes: process.resourceUsage().maxRSS * 1024,
})}\n`);
