// Lambda entry of the indexer: clients built once per container (allowed only in entry files); logic in createIndexer.

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { EventBridgeDispatcher } from '../eventbridge-dispatcher.ts';
import { S3ArchiveTier } from '../s3-archive-tier.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { functionClients } from './clients.ts';
import { LAMBDA_ENV, requireEnv } from './config.ts';
import { createIndexer } from './create-indexer.ts';
import { bundledSchemaFolders } from './deployment.ts';
import { declaredAccountsOf } from '../../../schemas/declared-accounts.ts';
import { createPowertools, instrument } from './instrument.ts';

const tools = createPowertools('eventlake-indexer');
const bucket = requireEnv(LAMBDA_ENV.bucket);
const { s3, dynamodb } = functionClients(tools.tracer);
const eventBridge = tools.tracer.captureAWSv3Client(new EventBridgeClient({}));

export const handler = instrument('indexer', createIndexer({
  log: new S3EventLog({ client: s3, bucket }),
  index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
  archive: new S3ArchiveTier({ client: s3, bucket }),
  dispatcher: new EventBridgeDispatcher({ client: eventBridge, eventBusName: requireEnv(LAMBDA_ENV.eventBus), bucket }),
  logger: tools.logger,
  metrics: tools.metrics,
  // The bundled schemas name each type's accounts (x-eventlake-accounts): index them as a local lake does.
  accountsOf: declaredAccountsOf(bundledSchemaFolders()),
}), tools);
