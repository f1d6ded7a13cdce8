// A rebuild whose store cannot grow (a full disk): StorageFullError saying the generation is kept unfinished at its
// last checkpoint and that the same rebuild continues it once space is freed; it does.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../../adapters/local/index.ts';
import { StorageFullError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { rejects } from '../../support/async.ts';
import { withFaults } from '../../support/faults.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('a rebuild on a full disk');

const deposits = [1, 2, 3].map((n) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-00000000000${n}`, EventTimeStamp: 1714000000 + n }) as DomainEvent);
const FULL = 'projection store: apply failed: no space left (SQLITE_FULL) on the disk holding /d/projections.db; nothing of it was written. ' +
  'Free space on that disk (or fix the device), then run the same operation again';

/** `body` with a lake holding the deposits, dispatched, and a coordinator whose replay's second commit meets a full disk. */
async function withFullStore(body: (full: RebuildCoordinator, freed: RebuildCoordinator, local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await local.lake.emit(deposits);
    await local.catchUp();
    const store = withFaults(local.store, { method: 'flush', failOnCalls: [2], error: () => new StorageFullError('/d/projections.db', FULL) });
    await body(new RebuildCoordinator({ ...local, store }, local.projections), new RebuildCoordinator(local, local.projections), local);
  } finally {
    await local.close();
  }
}

async function rebuild(coordinator: RebuildCoordinator) {
  return coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 1 });
}

test('the rebuild stops with StorageFullError saying its generation is kept and the same rebuild continues it', () =>
  withFullStore(async (full) => {
    const error = await rejects(() => rebuild(full), StorageFullError);
    assert.is(error.where, '/d/projections.db');
    assert.match(error.message, `${FULL}. The rebuild keeps generation 2 of balances unfinished at its last checkpoint (its lease is freed): ` +
      'the same rebuild, run again once space is freed, continues it from there');
  }));

test('once space is freed the same rebuild continues the kept generation from its checkpoint and it verifies', () =>
  withFullStore(async (full, freed, local) => {
    await rejects(() => rebuild(full), StorageFullError);
    assert.equal([(await readCheckpoint(local, 'balances', 2))?.applied, await local.store.liveGeneration('balances')], [1, 1]);
    const built = await rebuild(freed);
    assert.equal([built.generation, built.resumed, built.checkpoint.applied], [2, true, 3]);
    assert.ok((await freed.verify('balances', 2, 'log')).passed);
  }));

test.run();
