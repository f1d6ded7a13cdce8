// Child process of the archive lease signal test: takes a data dir's archive lease under the CLI's signal handling
// (as `eventlake archive run` does), says so, and waits to be interrupted.
// Usage: node --import ./scripts/ts-loader.mjs tests/support/fakes/archive-lease-child.ts <dataDir>

import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../../adapters/local/sqlite-checkpoint-store.ts';
import { releaseLeasesOnSignal } from '../../../cli/lease-signals.ts';
import { ArchiveLease } from '../../../projections/archive-lease.ts';

const checkpoints = new SqliteCheckpointStore(dataDirLayout(process.argv[2]!).dispatchDb);
releaseLeasesOnSignal('hours compacted so far are kept; run eventlake archive run again to finish');
await ArchiveLease.acquire(checkpoints);
process.stdout.write('holding the archive lease\n');
setTimeout(() => process.exit(0), 60_000);
