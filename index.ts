// The `eventlake` entry: the domain, the schema registry and the application layer (no adapter, no I/O at import).

export {
  ArchivedEventError, BatchRejectedError, EventConflictError, EventlakeError, EventNotFoundError, EventTooLargeError,
  InvalidArgumentError, QueryFailedError, RestoreRequestError, SchemaEvolutionError, SchemaValidationError,
  StoredEventInvalidError, StoredEventTypeUnknownError, StoredEventVersionUnknownError,
  TransientError, UnknownEventTypeError, UnknownSchemaVersionError, UpcastError,
} from './domain/errors.ts';
export type { EvolutionFinding, FieldIssue } from './domain/errors.ts';
export { DispatchBlockedError, RebuildInProgressError, ReplayVerificationError } from './domain/projection-errors.ts';
export type { StateDifference } from './domain/projection-errors.ts';
export { eventId, eventKey, partitionPrefix, segmentKey, serializeEvent, accountsOf, compareEvents } from './domain/event.ts';
export type { DomainEvent, EventEnvelope, JsonObject, JsonValue } from './domain/event.ts';
export { formatAmount, parseAmount, isAmount } from './domain/money.ts';
export { balancesProjection, createBalancesProjection, BUILTIN_BALANCE_RULES } from './domain/balances.ts';
export type { BalanceRule } from './domain/balances.ts';
export { applyToState, emptyState, foldEvents } from './domain/projection.ts';
export type { Projection, Changes, CounterChange, RowPut, AppliedRecord, ProjectionState, ApplyStatus } from './domain/projection.ts';
export { toBusEntry, EVENT_SOURCE } from './domain/bus.ts';
export { generateEvents } from './domain/generator.ts';
export { QUERY_CATALOGUE } from './domain/query-catalogue.ts';
export type {
  CashDeposit, VerifyCashDeposit, CashWithdrawal, IncomingPayment, InterAccountTransfer, BankEvent,
} from './domain/bank-events.ts';
export type {
  EventLog, EventIndex, Dispatcher, ProjectionStore, SnapshotStore, ArchiveTier, EventQuery, CheckpointStore, DeadLetterStore,
} from './domain/ports/index.ts';
export { DEFAULT_LIFECYCLE } from './domain/ports/index.ts';
export { SchemaRegistry, BUILTIN_SCHEMAS_DIR, MAX_EVENT_BYTES } from './schemas/registry.ts';
export type { Upcaster } from './schemas/upcasters.ts';
export { checkSchemaFolder } from './schemas/check.ts';
export { Eventlake } from './projections/eventlake.ts';
export type { EmitResult } from './projections/eventlake.ts';
export { GroupEmitter, type GroupEmitterOptions } from './projections/group-emitter.ts';
export { newRequestId } from './projections/request-id.ts';
export { statementProjection, createStatementProjection, statementOf } from './projections/statement.ts';
export { RebuildCoordinator } from './projections/rebuild/coordinator.ts';
export { DispatchTail } from './projections/dispatch-tail.ts';
export { compactDueHours } from './projections/compaction-schedule.ts';
export { createProjector, projectorRoute, projectorRule } from './projections/projector.ts';
export type { EventlakeRuntime, LocalEventlakeOptions } from './projections/runtime.ts';
export { eventlakeStatus } from './projections/status.ts';
export type { EventlakeStatus, ProjectionStatus, StorageClassTotals } from './projections/status.ts';
export { defineExtensions } from './projections/extensions.ts';
export type { Extensions, UpcasterStep } from './projections/extensions.ts';
