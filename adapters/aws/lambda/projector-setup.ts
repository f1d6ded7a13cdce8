// A projector function's wiring: clients, the store and the projection named by EVENTLAKE_PROJECTION, fed upcast
// events, each vouched for against the index (EVENTLAKE_INDEX_TABLE) first. Both entries call it once per container:
// projector.ts with the built-ins, and the entry infra generates for a stack with an extensions module, with that
// module (infra/user-code.ts).

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Extensions } from '../../../projections/extensions.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import type { ApplyOutcome, ProjectionStore } from '../../../domain/ports/projection-store.ts';
import { changesChecked, type Projection } from '../../../domain/projection.ts';
import { foreignFoldRecorder, foreignFoldRecorderWith, type ForeignFoldRecorder } from '../../../projections/foreign-fold.ts';
import { firstGenerationCheckpoint } from '../../../projections/rebuild/first-generation-rules.ts';
import { ruleDigests, rulesFingerprint, upcastersOf } from '../../../projections/rebuild/rules-fingerprint.ts';
import { DynamoDbEventIndex } from '../dynamodb-event-index.ts';
import { S3EventLog } from '../s3-event-log.ts';
import { functionClients } from './clients.ts';
import { LAMBDA_ENV, optionalIntEnv, requireEnv } from './config.ts';
import { createProjector } from './create-projector.ts';
import { firstGenerationCheck, firstGenerationRules } from './first-generation.ts';
import { deploymentFrom, type Deployment } from './deployment.ts';
import type { BusEvent } from './envelopes.ts';
import { givenRulesFrom } from './given-rules.ts';
import { createPowertools, instrument } from './instrument.ts';
import { projectionNamed } from './projections.ts';
import { projectionStoreFromEnv } from './stores.ts';

/**
 * The projector's apply: events at their latest version (`upcast`), as a local lake's dispatch and a rebuild's replay
 * fold them, so rules written for the latest version hold and live and rebuilt generations agree; to the live
 * generation, read per delivery, so a promote takes effect on the next event without a redeploy. `beforeFold` is
 * told that generation first (the first fold records generation 1's rules: first-generation.ts); `recordFold` then
 * the events about to be applied to it, before the store applies them (folds with other rules than those that built
 * it are recorded: `synthFoldRecorder`; before, so the record is never lost with the apply: foreign-fold.ts).
 */
export function liveApply(store: Pick<ProjectionStore, 'apply' | 'liveGeneration'>, projection: Projection, upcast: (event: DomainEvent) => DomainEvent,
  beforeFold?: (generation: number) => Promise<void>, recordFold?: ForeignFoldRecorder): (events: readonly DomainEvent[]) => Promise<ApplyOutcome[]> {
  // What the rules return is checked before DynamoDB applies it, as local dispatch does (changesChecked).
  const checked = changesChecked(projection);
  return async (events) => {
    const generation = await store.liveGeneration(projection.name);
    await beforeFold?.(generation);
    const latest = events.map(upcast);
    await recordFold?.(generation, latest);
    return store.apply(checked, generation, latest);
  };
}

/**
 * What records a projector's folds into a live generation built with other rules: only with the fingerprint its
 * stack's synth gave `projection` (deploymentFrom); undefined when it gave none (a stack synthesized before them, or
 * one for another version). Never its bundle's own reading: esbuild prints functions otherwise than the CLI's tsx, so
 * every AWS generation would be flagged. With the synth's digests by type too, it counts the events a local process
 * counts (those it folds otherwise than the builder: foreign-fold.ts); without them (a stack synthesized before them),
 * every event not applied yet. `registry` gives the upcasters, as deploymentFrom's does.
 *
 * @example
 * const recordFold = synthFoldRecorder(store, projection, deployment.registry);
 */
export function synthFoldRecorder(store: ProjectionStore, projection: Projection, registry: Deployment['registry'], env: Readonly<Record<string, string | undefined>> = process.env): ForeignFoldRecorder | undefined {
  const given = givenRulesFrom(env);
  if (!given || !Object.hasOwn(given.fingerprints, projection.name)) return undefined;
  const running = rulesFingerprint(projection, upcastersOf(registry));
  // It reads as the synth's only when deploymentFrom gave it the fingerprint (one of its name and version).
  if (running.fingerprint !== given.fingerprints[projection.name] || running.form !== given.form) return undefined;
  // Its digests then are the synth's too (withGivenRules): a given projection never reads its bundle's.
  const byType = ruleDigests(projection, upcastersOf(registry)) !== undefined;
  return byType ? foreignFoldRecorder(store, projection, upcastersOf(registry)) : foreignFoldRecorderWith(store, projection.name, running);
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
    apply: liveApply(store, projection, deployment.registry.upcast, beforeFold, synthFoldRecorder(store, projection, deployment.registry)),
    log: new S3EventLog({ client: s3, bucket: requireEnv(LAMBDA_ENV.bucket) }),
    // Read only (GetItem of an id guard and its entry): a projector applies only events the index holds.
    index: new DynamoDbEventIndex({ client: dynamodb, tableName: requireEnv(LAMBDA_ENV.indexTable) }),
    logger: tools.logger,
    metrics: tools.metrics,
    ...(maxReceiveCount !== undefined ? { maxReceiveCount } : {}),
  }), tools);
  return { handler, deployment };
}
