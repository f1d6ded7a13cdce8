// The `eventlake/local` entry: the embedded default's adapters and its composition root.

export { openLocalEventlake } from './open-local-eventlake.ts';
export { FsEventLog } from './fs-event-log.ts';
export { SqliteEventIndex } from './sqlite-event-index.ts';
export { LocalIndexer } from './local-indexer.ts';
export { SqliteProjectionStore } from './sqlite-projection-store.ts';
export { SqliteCheckpointStore } from './sqlite-checkpoint-store.ts';
export { SqliteDeadLetterStore } from './sqlite-dead-letter-store.ts';
export { SqliteSnapshotStore } from './sqlite-snapshot-store.ts';
export { FsArchiveTier } from './fs-archive-tier.ts';
export { LocalDispatcher } from './local-dispatcher.ts';
export { compilePattern, matchesPattern } from './event-pattern.ts';
export { DuckDbEventQuery } from './duckdb-event-query.ts';
export { dataDirLayout, DEFAULT_DATA_DIR } from './layout.ts';
export { checkLog, type JournalRetention, type LogCheckOptions, type LogCheckReport } from './log-check.ts';
export { repairCatalogue, type CatalogueRepairReport } from './catalogue-repair.ts';
export { repairIndex, type IndexRepairOptions, type IndexRepairReport } from './index-repair.ts';
