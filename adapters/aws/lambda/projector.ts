// Lambda entry of a projector (one function per projection, named by EVENTLAKE_PROJECTION); logic in createProjector.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { S3EventLog } from '../s3-event-log.ts';
import { LAMBDA_ENV, optionalIntEnv, requireEnv } from './config.ts';
import { createProjector } from './create-projector.ts';
import { createPowertools, instrument } from './instrument.ts';
import { projectionNamed } from './projections.ts';
import { projectionStoreFromEnv } from './stores.ts';

const name = requireEnv(LAMBDA_ENV.projection);
const projection = projectionNamed(name);

const tools = createPowertools('eventlake-projector', { projection: name });
const s3 = tools.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = projectionStoreFromEnv(dynamodb, { createTables: false });
const maxReceiveCount = optionalIntEnv(LAMBDA_ENV.maxReceiveCount);

export const handler = instrument('projector', createProjector({
  // The live generation is read per delivery, so a promote takes effect on the next event without a redeploy.
  apply: async (events) => store.apply(projection, await store.liveGeneration(projection.name), events),
  log: new S3EventLog({ client: s3, bucket: requireEnv(LAMBDA_ENV.bucket) }),
  logger: tools.logger,
  metrics: tools.metrics,
  ...(maxReceiveCount !== undefined ? { maxReceiveCount } : {}),
}), tools);
