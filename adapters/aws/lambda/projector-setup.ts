// A projector function's wiring: clients, the store and the projection named by EVENTLAKE_PROJECTION, fed upcast
// events, each vouched for against the index (EVENTLAKE_INDEX_TABLE) first. Both entries call it once per container:
// projector.ts with the built-ins, and the entry infra generates for a stack with an extensions module, with that
// module (infra/user-code.ts).

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Extensions } from '../../../projections/extensions.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import type { ApplyOutcome, ProjectionStore } from '../../../domain/ports/projection-store.ts';
import type { Projection } from '../../../domain/projection.ts';
import { firstGenerationCheckpoint } from '../../../projections/rebuild/first-generation-rules.ts';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { functionClients } from './clients.ts';
import { LAMBDA_ENV, optionalIntEnv, requireEnv } from './config.ts';
import { createProjector } from './create-projector.ts';
import { firstGenerationCheck, firstGenerationRules } from './first-generation.ts';
import { deploymentFrom, type Deployment } from './deployment.ts';
import type { BusEvent } from './envelopes.ts';
import { createPowertools, instrument } from './instrument.ts';
import { projectionNamed } from './projections.ts';
import { projectionStoreFromEnv } from './stores.ts';

/**
 * The projector's apply: events at their latest version (`upcast`), as a local lake's dispatch and a rebuild's replay
 * fold them, so rules written for the latest version hold and live and rebuilt generations agree; to the live
 * generation, read per delivery, so a promote takes effect on the next event without a redeploy. `beforeFold` is
 * told that generation first (the first fold records generation 1's rules: first-generation.ts).
 */
export function liveApply(store: Pick<ProjectionStore, 'apply' | 'liveGeneration'>, projection: Projection, upcast: (event: DomainEvent) => DomainEvent,
  beforeFold?: (generation: number) => Promise<void>): (events: readonly DomainEvent[]) => Promise<ApplyOutcome[]> {
  return async (events) => {
    const generation = await store.liveGeneration(projection.name);
    await beforeFold?.(generation);
    return store.apply(projection, generation, events.map(upcast));
  };
}

/**
 * The projector handler, and the deployment it folds with (exported by the entries so a test of the bundle can see
 * what the deployed code folds).
 *
 * @example
 * export const { handler } = setUpProjector();
 */
export function setUpProjector(extensions: Extensions = {}): {
  handler: (event: BusEvent | SQSEvent, context: Context) => Promise<ApplyOutcome[] | SQSBatchResponse>; deployment: Deployment;
} {
  const name = requireEnv(LAMBDA_ENV.projection);
  const deployment = deploymentFrom(extensions);
  const projection = projectionNamed(name, deployment.projections);

  const tools = createPowertools('eventlake-projector', { projection: name });
  const { s3, dynamodb } = functionClients(tools.tracer);
  const store = projectionStoreFromEnv(dynamodb, { createTables: false });
  const maxReceiveCount = optionalIntEnv(LAMBDA_ENV.maxReceiveCount);
  // The rules as the projection reads them: the synth's fingerprint when the stack gave one (deploymentFrom).
  const checkpoint = firstGenerationCheckpoint(projection, deployment.registry);
  const beforeFold = firstGenerationRules(firstGenerationCheck({ client: dynamodb, table: store.tableFor(name, 1), checkpoint }));

  const handler = instrument('projector', createProjector({
    apply: liveApply(store, projection, deployment.registry.upcast, beforeFold),
    log: new S3EventLog({ client: s3, bucket: requireEnv(LAMBDA_ENV.bucket) }),
    // Read only (GetItem of an id guard and its entry): a projector applies only events the index holds.
    index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
    logger: tools.logger,
    metrics: tools.metrics,
    ...(maxReceiveCount !== undefined ? { maxReceiveCount } : {}),
  }), tools);
  return { handler, deployment };
}
