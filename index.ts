// The `eventlake` entry: the domain, the schema registry and the application layer (no adapter, no I/O at import).

export {
  ArchivedEventError, BatchRejectedError, ClosedError, EventConflictError, EventlakeError, EventNotFoundError, EventTooLargeError,
  IndexLostError, InvalidArgumentError, JournalSegmentDeletedError, QueryFailedError, RestoreRequestError,
  SchemaAccountFieldsError, SchemaEvolutionError, SchemaValidationError, StorageError, StorageFullError, StoredEventInvalidError, StoredEventTypeUnknownError,
  StoredEventVersionUnknownError, TransientError, UnknownEventTypeError, UnknownSchemaVersionError,
  UnsupportedOnTargetError, UpcastError,
} from './domain/errors.ts';
export type { EvolutionFinding, FieldIssue } from './domain/errors.ts';
export { ALLOW_FOREIGN_OWNER, DataDirForeignOwnerError, DataDirNotWritableError, type NotWritableDetails } from './domain/errors.ts';
export { CounterRangeError, QueryTimeoutError, StagedReplayRefusedError, type CounterRange, type CounterRangeContext } from './domain/errors.ts';
export { ArchivedCopyUncomparableError, type UncomparableReason } from './domain/archived-copy-error.ts';
export { EventNotInLogError } from './domain/log-membership-errors.ts';
export type { LogMembershipMismatch } from './domain/log-membership-errors.ts';
export { BuiltinRulesUnfitError, type BuiltinRuleFinding } from './domain/builtin-rule-errors.ts';
export { contentDigest, eventDigest } from './projections/event-digest.ts';
// What eventlake/local's checkLog validates stored events with (a SchemaRegistry is one).
export type { StoredEventValidator } from './projections/log-index-check-schemas.ts';
export {
  ArchiveRunInProgressError, DispatchBlockedError, LiveGenerationDropError, ProjectionRuleError, RebuildInProgressError, ReplayVerificationError,
} from './domain/projection-errors.ts';
export type { RuleFailureContext, StateDifference } from './domain/projection-errors.ts';
export { bareCommand, namesCommands, respelled } from './domain/command-spelling.ts';
export type { CommandNaming, SpellCommand } from './domain/command-spelling.ts';
export { eventId, eventKey, partitionPrefix, segmentKey, serializeEvent, accountsOf, compareEvents } from './domain/event.ts';
export type { DomainEvent, EventEnvelope, JsonObject, JsonValue } from './domain/event.ts';
export { formatAmount, parseAmount, isAmount } from './domain/money.ts';
export { balancesProjection, createBalancesProjection, BUILTIN_BALANCE_RULES } from './domain/balances.ts';
export type { BalanceRule } from './domain/balances.ts';
export { applyToState, emptyState, foldEvents } from './domain/projection.ts';
export type { Projection, Changes, CounterChange, RowPut, AppliedRecord, ProjectionState, FoldState, AppliedRecordSet, ApplyStatus } from './domain/projection.ts';
export { toBusEntry, EVENT_SOURCE } from './domain/bus.ts';
export type { BusEntry } from './domain/bus.ts';
export { generateEvents } from './domain/generator.ts';
export type { GenerateOptions } from './domain/generator.ts';
export { QUERY_CATALOGUE, queryCatalogue } from './domain/query-catalogue.ts';
export type { CatalogueQuery, QueryParams, QueryParamSpec, QueryValue } from './domain/query-catalogue.ts';
export type { TimeRange } from './domain/query-params.ts';
export type { AccountDeclaration } from './domain/query-accounts.ts';
export type {
  CashDeposit, VerifyCashDeposit, CashWithdrawal, IncomingPayment, InterAccountTransfer, BankEvent,
  CashDepositV1, VerifyCashDepositV1, CashWithdrawalV1, CashWithdrawalV2, IncomingPaymentV1, InterAccountTransferV1,
} from './domain/bank-events.ts';
export type {
  EventLog, EventIndex, Dispatcher, ProjectionStore, SnapshotStore, ArchiveTier, EventQuery, CheckpointStore, DeadLetterStore,
  AppendResult, AppendStatus, DeadLetter, EventLocation, IndexEntry, LifecyclePolicy, ObjectStorage, QueryResult, QueryStats,
  RestoreRequest, RestoreState, RestoreTier, SnapshotInfo, StorageClass, StoredRow, TimeRangeQuery, IndexRangeQuery, RangeCursor,
} from './domain/ports/index.ts';
export { DEFAULT_LIFECYCLE, isReadable } from './domain/ports/index.ts';
export type { ForeignFold } from './domain/ports/index.ts';
// What the ports' methods take and return, for an adapter of your own that implements them.
export type {
  ApplyOptions, ApplyOutcome, DeadHolder, DispatchRule, EventPattern, HolderMark, LeaseLiveness, LocatedEvent, LogObject, NewIndexEntry,
  PositionPage, PublishOutcome, StagedReplayWriter,
} from './domain/ports/index.ts';
export type { ColumnType, EventColumn } from './domain/query-columns.ts';
export { SchemaRegistry, BUILTIN_SCHEMAS_DIR, MAX_EVENT_BYTES } from './schemas/registry.ts';
export type { Upcast, Upcaster } from './schemas/upcasters.ts';
export type { SchemaEntry } from './schemas/schema-entry.ts';
export type { Precheck } from './schemas/prevalidate.ts';
export type { RegistryOptions } from './schemas/registry.ts';
export { checkSchemaFolder } from './schemas/check.ts';
export type { CheckOptions, FindingRule, SchemaFinding } from './schemas/check.ts';
export type { Schema } from './schemas/breaking-changes.ts';
// The columns of user event types' fields, for `new DuckDbEventQuery({ dataDir, extraColumns })` (eventlake/local).
export { schemaColumns } from './schemas/columns.ts';
// Their account fields (x-eventlake-accounts), for `accounts` of DuckDbEventQuery (eventlake/local) and AthenaEventQuery.
export { accountDeclarations, ACCOUNTS_KEYWORD, MAX_ACCOUNT_FIELDS } from './schemas/account-fields.ts';
export { Eventlake } from './projections/eventlake.ts';
export type { EmitResult, EventlakeDeps } from './projections/eventlake.ts';
export type { EmitIndex, ManyLookup, RangeHead } from './projections/index-lookups.ts';
export { GroupEmitter, type GroupEmitterOptions } from './projections/group-emitter.ts';
export { newRequestId } from './projections/request-id.ts';
export { statementProjection, createStatementProjection, statementOf } from './projections/statement.ts';
export type { StatementEntry, StatementLine } from './projections/statement.ts';
export { RebuildCoordinator } from './projections/rebuild/coordinator.ts';
export type { RebuildOptions, RebuildReport } from './projections/rebuild/coordinator.ts';
export type { PositionRange, RangeGroup, RangeScans, RebuildDeps, ReplayCursor, ReplayEntry } from './projections/rebuild/deps.ts';
export type { PositionDigest } from './projections/rebuild/position-digest.ts';
export type { GenerationRestore, RebuildSnapshots, RestoreWait } from './projections/rebuild/restore-adoption.ts';
export type { PhaseTiming } from './projections/rebuild/rebuild-options.ts';
export type { RehydrateOptions, RehydrateReport } from './projections/rebuild/rehydrate.ts';
export type { ReplayRestoreRecord, RestoreRecords, VerifyRestoreRecord } from './projections/rebuild/restore-record.ts';
export type { GenerationState, LiveRules, OtherGeneration } from './projections/rebuild/generations.ts';
export type { PlanRequest, RebuildPlan, TierUsage, VerificationRestores } from './projections/rebuild/plan.ts';
export type { ArchiveClass, RestoreEstimate, RestoreVolume } from './projections/rebuild/restore-costs.ts';
export type { RebuildCheckpoint } from './projections/rebuild/replay.ts';
export type { VerifyAgainst, VerifyCallOptions, VerifyReport } from './projections/rebuild/verify.ts';
export type { AccountDifference } from './projections/rebuild/compare.ts';
export type { PromoteReport } from './projections/rebuild/promote.ts';
export { createProgress } from './projections/rebuild/progress.ts';
export type { ProgressEvent, ProgressListener, ProgressOptions, ProgressStream } from './projections/rebuild/progress.ts';
export { GenerationRulesChangedError } from './projections/rebuild/rules-fingerprint.ts';
export {
  PlannedSnapshotError, PlannedSnapshotNotRestorableError, PlannedSnapshotRemovedError, RebuildSnapshotGoneError, SnapshotNotRestorableError,
} from './projections/rebuild/snapshot-errors.ts';
export type { LeftGeneration, RebuildToRunAgain, SnapshotRefusalOptions } from './projections/rebuild/snapshot-errors.ts';
export { UnfinishedGenerationError, type UnfinishedFixes } from './projections/rebuild/promotable.ts';
export { NotPromotableError, UnknownGenerationError } from './projections/rebuild/generation-errors.ts';
export type { NotPromotableReason } from './projections/rebuild/generation-errors.ts';
export { NoSnapshotToVerifyError, UnverifiableGenerationError } from './projections/rebuild/verify-refusals.ts';
export type { NoSnapshotReason } from './projections/rebuild/verify-refusals.ts';
export type { RecordedRules, RulesFingerprint, RulesMatch } from './projections/rebuild/rules-fingerprint.ts';
export type { HeldLease, LeaseClock } from './projections/lease.ts';
export { runLifecycle } from './projections/lifecycle.ts';
export type { ClassTotals, LifecycleDeps, LifecycleOptions, LifecycleReport } from './projections/lifecycle.ts';
export type { ArchiveLeaseDeps } from './projections/archive-lease.ts';
export { compactHour } from './projections/compactor.ts';
export type { CompactionHooks, CompactionOptions, CompactionReport, SegmentLimits } from './projections/compactor.ts';
export { DispatchTail } from './projections/dispatch-tail.ts';
export type { DispatchTailOptions, DrainReport } from './projections/dispatch-tail.ts';
export type { DispatchStall, StallBackoff, StallError, StallRecorder } from './projections/dispatch-stall.ts';
export { compactDueHours } from './projections/compaction-schedule.ts';
export type { ScheduledCompactionDeps, ScheduledCompactionOptions, ScheduledCompactionReport } from './projections/compaction-schedule.ts';
export { createProjector, projectorRoute, projectorRule } from './projections/projector.ts';
export type { Projector, ProjectorOptions } from './projections/projector.ts';
export type { CatchUpReport, EventlakeRuntime, LocalEventlake, LocalEventlakeOptions, PortName } from './projections/runtime.ts';
export { eventlakeStatus } from './projections/status.ts';
export type { EventlakeStatus, ProjectionStatus, StorageClassTotals } from './projections/status.ts';
export type { DispatchBlock, DispatchStalled } from './projections/status-dispatch.ts';
export type { DispatchWaiting } from './projections/status-dispatch-waiting.ts';
export { defineExtensions } from './projections/extensions.ts';
export type { Extensions, UpcasterStep } from './projections/extensions.ts';
