// Child process of the dead-holder lease tests: opens a data dir as the CLI does, takes one lease there (an archive
// run's, or the rebuild lease of `balances`), says `ready`, and holds it until killed.
// Usage: node --import ./scripts/ts-loader.mjs lease-holder-child.ts <archive|rebuild> <dataDir>

import { say } from './say.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { ArchiveLease } from '../../../projections/archive-lease.ts';
import { RebuildLease } from '../../../projections/rebuild/rebuild-lease.ts';

const [kind, dataDir] = process.argv.slice(2);
const local = await openLocalEventlake({ dataDir: dataDir! });
await (kind === 'archive' ? ArchiveLease.acquire(local.checkpoints) : RebuildLease.acquire(local.checkpoints, 'balances'));
say('ready');
// Held until the parent kills it; a parent that never does ends it after a minute.
setTimeout(() => process.exit(3), 60_000);
