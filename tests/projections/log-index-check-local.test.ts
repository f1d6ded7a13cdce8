// The log/index check contract on the local adapters (openLocalEventlake's log, index and archive tier).
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { logIndexCheckContract } from '../contracts/log-index-check.contract.ts';
import { tempDir } from '../support/tmp.ts';

logIndexCheckContract('local adapters', async () => {
  const lake = await openLocalEventlake({ dataDir: tempDir(), restoreDelayMs: 0 });
  return {
    log: lake.log, index: lake.index, archive: lake.archive,
    archiveObject: async (key, restored) => {
      await lake.archive.transition(key, 'GLACIER');
      if (restored) await lake.archive.restore([key], { tier: 'Bulk', days: 1 });
    },
    cleanup: () => lake.close(),
  };
});
