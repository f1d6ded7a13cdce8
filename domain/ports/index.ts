// The ports every adapter plugs into.

export type { EventLog, EventLocation, AppendResult, AppendStatus, LogObject, LocatedEvent } from './event-log.ts';
export type { EventIndex, IndexEntry, IndexRangeQuery, NewIndexEntry, RangeCursor, TimeRangeQuery, PositionPage } from './event-index.ts';
export type { Dispatcher, DispatchRule, EventPattern, PublishOutcome } from './dispatcher.ts';
export type { ProjectionStore, ApplyOptions, ApplyOutcome, ForeignFold, StagedReplayWriter, StoredRow } from './projection-store.ts';
export type { SnapshotStore, SnapshotInfo } from './snapshot-store.ts';
export type { ArchiveTier, LifecyclePolicy, RestoreRequest } from './archive-tier.ts';
export { DEFAULT_LIFECYCLE, lifecycleClass } from './archive-tier.ts';
export type { EventQuery, QueryResult, QueryStats } from './event-query.ts';
export type { StorageClass, RestoreState, RestoreTier, ObjectStorage } from './storage.ts';
export { isReadable } from './storage.ts';
export type { CheckpointStore } from './checkpoint-store.ts';
export type { LeaseLiveness, HolderMark, DeadHolder } from './lease-liveness.ts';
export type { DeadLetterStore, DeadLetter } from './dead-letter-store.ts';
