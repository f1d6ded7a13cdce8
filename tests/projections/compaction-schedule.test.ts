// Scheduled compaction on the local adapters (openLocalEventlake: FsEventLog, SqliteEventIndex, SqliteCheckpointStore).
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { tempDir } from '../support/tmp.ts';
import { compactionScheduleCases } from './compaction-schedule-cases.ts';

compactionScheduleCases('local adapters', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  return { log: local.log, index: local.index, checkpoints: local.checkpoints, cleanup: () => local.close() };
});
