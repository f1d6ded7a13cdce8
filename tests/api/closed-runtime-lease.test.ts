// close() of a local eventlake while a run holds a lease in it (a rebuild, an archive run): that run cannot go on
// (every call refuses with ClosedError), so close() frees its lease; kept, it refused the next rebuild or archive run
// of the same data dir with "in progress" until it expired (5 minutes).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { RebuildLease, rebuildLeaseName } from '../../projections/rebuild/rebuild-lease.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('close() and the leases held in the closed runtime');

test('a rebuild lease still held when the lake closes is free when it is opened again', async () => {
  const dataDir = tempDir();
  const first = await openLocalEventlake({ dataDir });
  await RebuildLease.acquire(first.checkpoints, 'balances'); // a rebuild in progress: never released by its run
  await first.close();
  const again = await openLocalEventlake({ dataDir });
  try {
    assert.is(await again.checkpoints.get(rebuildLeaseName('balances')), 0);
    const lease = await RebuildLease.acquire(again.checkpoints, 'balances');
    await lease.release();
  } finally {
    await again.close();
  }
});

test.run();
