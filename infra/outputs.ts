// The stack outputs of an EventLake: every name the CLI and operators need, and the CLI's config file ready-made.

import { CfnOutput, Stack } from 'aws-cdk-lib';
import { ATHENA_ENV, REBUILD_FUNCTION_ENV } from '../adapters/aws/aws-config.ts';
import { LAMBDA_ENV } from '../adapters/aws/lambda/config.ts';
import type { EventLake } from './event-lake.ts';

/**
 * The `--config` file of `eventlake --target aws` for this lake, as a JSON string (CloudFormation fills in the names):
 * `aws cloudformation describe-stacks --query "Stacks[0].Outputs[?OutputKey=='…CliConfig…'].OutputValue" --output text > eventlake.json`.
 */
export function cliConfigJson(lake: EventLake): string {
  const stack = Stack.of(lake);
  return stack.toJsonString({
    target: 'aws', region: stack.region, bucket: lake.bucket.bucketName, indexTable: lake.indexTable.tableName,
    controlTable: lake.controlTable.tableName, tablePrefix: lake.prefix, kmsKeyArn: lake.key.keyArn, eventBusName: lake.bus.eventBusName,
    rebuildFunction: lake.rebuild.functionName,
    athena: { workGroup: lake.query.workGroup.name, database: lake.query.databaseName },
  });
}

/** Adds the lake's outputs (descriptions name the environment variable that takes the value, where there is one). */
export function lakeOutputs(lake: EventLake, projections: readonly string[]): void {
  const out = (id: string, value: string, description: string) => new CfnOutput(lake, id, { value, description });
  out('BucketName', lake.bucket.bucketName, `event log bucket (${LAMBDA_ENV.bucket})`);
  out('EventBusName', lake.bus.eventBusName, `bus the indexer publishes to (${LAMBDA_ENV.eventBus})`);
  out('IndexTableName', lake.indexTable.tableName, `event index table (${LAMBDA_ENV.indexTable})`);
  out('ControlTableName', lake.controlTable.tableName, `control table: live generations, snapshots, checkpoints (${LAMBDA_ENV.controlTable})`);
  out('TablePrefix', lake.prefix, `prefix of projection generation tables (<prefix>-<projection>-g<n>) (${LAMBDA_ENV.tablePrefix})`);
  out('KmsKeyArn', lake.key.keyArn, `the lake key, also for generation tables created or restored later (${LAMBDA_ENV.kmsKeyArn})`);
  for (const p of projections) out(`ProjectionTable${p}`, lake.projectionTables.get(p)!.tableName, `generation 1 of ${p}`);
  out('WorkGroupName', lake.query.workGroup.name, `Athena workgroup (${ATHENA_ENV.workGroup})`);
  out('GlueDatabaseName', lake.query.databaseName, `Glue database of the events table (${ATHENA_ENV.database})`);
  out('QueryResultsBucketName', lake.queryResultsBucket.bucketName, 'Athena results bucket');
  out('IndexerFunctionName', lake.indexer.functionName, 'indexer function');
  for (const [p, fn] of lake.projectors) out(`ProjectorFunctionName${p}`, fn.functionName, `projector of ${p}`);
  out('RebuildFunctionName', lake.rebuild.functionName, `rebuild function: eventlake rebuild --remote invokes it (${REBUILD_FUNCTION_ENV})`);
  out('CompactionFunctionName', lake.compaction.functionName, 'compaction function (daily schedule; invoke it to compact now)');
  for (const [name, queue] of lake.deadLetterQueues) out(`DeadLetterQueueUrl${name}`, queue.queueUrl, `dead letters of ${name}`);
  out('CliConfig', cliConfigJson(lake), 'eventlake CLI config file for --target aws (save as eventlake.json, pass with --config)');
}
