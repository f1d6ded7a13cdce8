// Opening a data dir checks that its files are writable; a file listed and gone before the check (another process
// closing its last connection removes a database's -shm and -wal) is nothing to refuse. It was "unexpected error:
// ENOENT … dispatch.db-shm" (exit 3) for a CLI command run while another finished. A dangling symlink stands in for
// the vanished file: access() follows it and finds nothing, as it does for a file removed after the listing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('opening a data dir while files come and go');

test('a file gone between the listing and its access check does not fail the open', async () => {
  const dataDir = join(tempDir('eventlake-vanishing-'), 'lake');
  const first = await openLocalEventlake({ dataDir });
  await first.close();
  symlinkSync(join(dataDir, 'no-such-file'), join(dataDir, 'dispatch.db-shm.gone'));
  const again = await openLocalEventlake({ dataDir });
  try {
    assert.is(await again.index.count(), 0);
  } finally {
    await again.close();
  }
});

test.run();
