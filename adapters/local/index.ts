// The `eventlake/local` entry: the embedded default's adapters and its composition root, with the types their
// signatures use. Importing it loads SQLite but not DuckDB: DuckDbEventQuery loads DuckDB at its first query.
// Types named alone are exported with `export type`, which is erased: naming one (DuckDbEngine) loads no module.

export { openLocalEventlake } from './open-local-eventlake.ts';
export { openReadOnlyLocalEventlake, type ReadOnlyOptions } from './open-read-only.ts';
export { readOnlyVerification, type ScratchPorts } from './read-only-verification.ts';
export type { WriteRefusal } from './read-only-ports.ts';
export type { CatchUpReport, EventlakeRuntime, LocalEventlake, LocalEventlakeOptions, PortName } from '../../projections/runtime.ts';
export { FsEventLog, type FsEventLogOptions } from './fs-event-log.ts';
export type { CheckpointReport } from './materializer.ts';
export type { JournalEntry } from './journal-entries.ts';
export type { JournalReaders } from './journal-retention.ts';
export { SqliteEventIndex, type IndexCursor } from './sqlite-event-index.ts';
export type { SqliteEventIndexOptions } from './sqlite-index-db.ts';
export type { ObjectSummary } from './sqlite-index-objects.ts';
export { LocalIndexer, type CursorIndex, type IndexerReport, type LocalIndexerOptions } from './local-indexer.ts';
export { SqliteProjectionStore } from './sqlite-projection-store.ts';
export type { StoreLockOptions } from './sqlite-projection-store-lock.ts';
export type { LockWaitClock } from './sqlite-lock-wait.ts';
export { SqliteCheckpointStore } from './sqlite-checkpoint-store.ts';
export { SqliteDeadLetterStore } from './sqlite-dead-letter-store.ts';
export { SqliteSnapshotStore, type GenerationFiles, type SqliteSnapshotStoreOptions } from './sqlite-snapshot-store.ts';
export type { SnapshotLeftover } from './snapshot-leftovers.ts';
export { FsArchiveTier, type FsArchiveTierOptions, type StorageChangeListener } from './fs-archive-tier.ts';
export {
  LocalDispatcher, type DispatchHandler, type DispatchStats, type LocalDispatcherOptions, type LocalRoute, type RedriveReport,
} from './local-dispatcher.ts';
export { compilePattern, matchesPattern, type PatternPredicate } from './event-pattern.ts';
export { DuckDbEventQuery, type DuckDbEventQueryOptions } from './duckdb-event-query.ts';
export type { DuckDbEngine, DuckDbEngineLoader } from './duckdb-engine.ts';
export type { UnreadableLookups } from './duckdb-unreadable.ts';
export { dataDirLayout, DEFAULT_DATA_DIR, type ArchiveClass, type DataDirLayout } from './layout.ts';
export { checkLog, type JournalNotIndexed, type JournalRetention, type LogCheckOptions, type LogCheckReport } from './log-check.ts';
export type { FindingKind, FindingSummary } from './log-check-report.ts';
export { repairCatalogue, type CatalogueRepairReport } from './catalogue-repair.ts';
export { repairIndex, type IndexRepairOptions, type IndexRepairReport } from './index-repair.ts';
export type { ObjectsRead, ScanReport } from './index-repair-scan.ts';
export type { CheckpointReset, DroppedRebuild, PositionsReport } from './index-repair-positions.ts';
