// The `eventlake/aws` entry: the AWS adapters, the Lambda factories, the table and bucket descriptions, and openAwsEventlake.
//
// Exports by name (no `export *`), so the public surface is this list. The Lambda entry files (lambda/indexer.ts,
// projector.ts, rebuild.ts, compaction.ts) are not exported: they build clients at load time and are bundled on their own.

export { openAwsEventlake } from './open-aws-eventlake.ts';
export type { AwsEventlakeRuntime, AwsOpenConfig } from './open-aws-eventlake.ts';
export { ATHENA_ENV, AWS_CONFIG_KEYS, awsConfigFrom, checkAwsConfig, REBUILD_FUNCTION_ENV } from './aws-config.ts';
export type { AthenaSettings, AwsEventlakeConfig } from './aws-config.ts';
export { openAwsEventQuery } from './open-aws-event-query.ts';
export type { AwsEventQuery } from './open-aws-event-query.ts';
export { openRemoteRebuild, REBUILD_INVOKE_TIMEOUT_MS } from './open-remote-rebuild.ts';
export type { RemoteRebuild } from './open-remote-rebuild.ts';
export { isRestoring, LambdaRebuildInvoker } from './lambda-rebuild-invoker.ts';
export type { LambdaRebuildInvokerOptions, RebuildAnswer } from './lambda-rebuild-invoker.ts';
export { RebuildFunctionError, rebuildFunctionFailure } from './rebuild-function-error.ts';
export { baseClientConfig, buildAwsClients } from './aws-clients.ts';
export type { AwsClients, BuiltClients } from './aws-clients.ts';
export { SQS_DEAD_LETTER_HELP, SqsConsoleDeadLetterStore, UnsupportedOnTargetError } from './sqs-dead-letters.ts';
export { LIST_HOLD_SECONDS, MAX_LISTED_PER_QUEUE, SqsDeadLetterQueues } from './sqs-dead-letter-queues.ts';
export type { RedriveFailure, SqsDeadLetterListing, SqsDeadLetterQueuesOptions, SqsRedriveResult } from './sqs-dead-letter-queues.ts';
export { INDEXER_TARGET, stackDeadLetterQueues } from './stack-dead-letter-queues.ts';
export type { DeadLetterQueue } from './stack-dead-letter-queues.ts';
export { openAwsDeadLetters } from './open-aws-dead-letters.ts';
export type { AwsDeadLetters } from './open-aws-dead-letters.ts';
export { lakeNames, NAME_PATTERNS } from './names.ts';

export { S3EventLog } from './s3-event-log.ts';
export type { S3EventLogOptions } from './s3-event-log.ts';
// An S3EventLog built by hand claims identities only when given these (`claims`), as openAwsEventlake's does.
export { DynamoDbIdentityClaims, IDENTITY_CLAIM_PREFIX } from './dynamodb-identity-claims.ts';
export type { ClaimedObjectExists, DynamoDbIdentityClaimsOptions, IdentityClaim } from './dynamodb-identity-claims.ts';
export { S3ArchiveTier, lifecycleRules, parseRestoreHeader } from './s3-archive-tier.ts';
export type { LifecycleRuleOptions, S3ArchiveTierOptions } from './s3-archive-tier.ts';
export { DynamoDbEventIndex } from './dynamodb-event-index.ts';
export type { DynamoDbEventIndexOptions } from './dynamodb-event-index.ts';
export type { ObjectSummary } from './dynamodb-index-scans.ts';
export { DynamoDbProjectionStore } from './dynamodb-projection-store.ts';
export type { DynamoDbProjectionStoreOptions } from './dynamodb-projection-store.ts';
export { DynamoDbPitrSnapshotStore } from './dynamodb-pitr-snapshot-store.ts';
export type { DynamoDbPitrSnapshotStoreOptions } from './dynamodb-pitr-snapshot-store.ts';
export { DynamoDbCheckpointStore } from './dynamodb-checkpoint-store.ts';
export type { DynamoDbCheckpointStoreOptions } from './dynamodb-checkpoint-store.ts';
export { EventBridgeDispatcher, PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES } from './eventbridge-dispatcher.ts';
export type { EventBridgeDispatcherOptions, PointerDetail } from './eventbridge-dispatcher.ts';
export { AthenaEventQuery } from './athena-event-query.ts';
export type { AthenaEventQueryOptions } from './athena-event-query.ts';

export { EVENT_LOG_DATABASE, EVENT_LOG_TABLE, eventLogTableInput } from './glue-table.ts';
export type { EventLogTableOptions, GlueColumn, GlueTableInput } from './glue-table.ts';
export {
  CONTROL_ATTR, CONTROL_PREFIX, CONTROL_TABLE, EVENT_INDEX_TABLE, INDEX_ATTR, INDEX_GSI, INDEX_PREFIX, PROJECTION_ATTR, PROJECTION_GSI,
  PROJECTION_PREFIX, PROJECTION_TABLE, projectionTableName,
} from './table-keys.ts';
export type { IndexDefinition, KeyAttribute, TableDefinition } from './table-keys.ts';
export { createTableInput, deleteTable, enablePitr, ensureTable, removeDeletionProtection, waitForTable } from './dynamodb-tables.ts';
export type { TableSettings, WaitOptions } from './dynamodb-tables.ts';
export type { RetryOptions } from './retry.ts';

export { LAMBDA_ENV } from './lambda/config.ts';
export { createIndexer, indexEntryOf } from './lambda/create-indexer.ts';
export type { IndexerDeps, IndexerSummary } from './lambda/create-indexer.ts';
export { createProjector } from './lambda/create-projector.ts';
export type { ProjectorDeps } from './lambda/create-projector.ts';
export { coordinatorRebuild, createRebuildHandler, DEFAULT_RESTORE_WAIT_MS, parseRebuildRequest, RESTORE_MARGIN_MS } from './lambda/create-rebuild.ts';
export type { InvocationBudget, RebuildHandlerDeps, RebuildRequest } from './lambda/create-rebuild.ts';
export { COMPACTION_MARGIN_MS, COMPACTION_METRIC, compactionSettingsFromEnv, createCompaction } from './lambda/create-compaction.ts';
export type { CompactionHandlerDeps, CompactionSettings } from './lambda/create-compaction.ts';
export type { BusEvent } from './lambda/envelopes.ts';
export { projectionStoreFromEnv, snapshotStoreFromEnv, tableSettingsFrom } from './lambda/stores.ts';
export { createPowertools, instrument } from './lambda/instrument.ts';
export type { Powertools } from './lambda/instrument.ts';
export { METRIC } from './lambda/observability.ts';
export type { LambdaLogger, LambdaMetrics } from './lambda/observability.ts';
export { PROJECTIONS, projectionNamed } from './lambda/projections.ts';
