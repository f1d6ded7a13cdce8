// cdk-nag (AwsSolutions) for the lake: the findings it accepts, each with its reason, and the check itself.
//
// cdk-nag 3 runs as a CDK policy-validation plugin; findings are acknowledged with Validations.of(x).acknowledge,
// one finding id at a time. Wildcard findings embed the flattened reference of the resource (`<LogicalId.Arn>/…`),
// which depends on where a user puts the construct, so the ids are computed from the resources themselves.

import { Stack, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { EventLake } from './event-lake.ts';
import { EVENT_OBJECTS, generationTableArns } from './permissions.ts';

/** One acknowledged finding. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

const IAM5 = (finding: string) => `AwsSolutions-IAM5[${finding}]`;

/** The finding id cdk-nag gives a wildcard resource ARN (a string or a CDK token). */
export function wildcardResourceId(scope: IConstruct, arn: string): string {
  return IAM5(`Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}`);
}

/** Findings of every function role: tracing, and the CDK grants' action families on the lake's key and log. */
export function functionRoleAcknowledgements(scope: IConstruct, eventObjectsArn: string): NagAcknowledgement[] {
  return [
    { id: IAM5('Resource::*'), reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so X-Ray requires "*".' },
    { id: IAM5('Action::kms:GenerateDataKey*'), reason: 'CDK grant on the lake\'s one customer-managed key (resource is that key ARN only); S3, DynamoDB and SQS use GenerateDataKey and GenerateDataKeyWithoutPlaintext.' },
    { id: IAM5('Action::kms:ReEncrypt*'), reason: 'CDK encrypt/decrypt grant on the lake\'s one customer-managed key (resource is that key ARN only).' },
    { id: IAM5('Action::s3:GetObject*'), reason: 'bucket.grantRead limited to the log bucket\'s events/ prefix: GetObject plus its version/attributes variants, all read-only.' },
    { id: IAM5('Action::s3:GetBucket*'), reason: 'bucket.grantRead: read-only bucket metadata (location, versioning) of the log bucket only.' },
    { id: IAM5('Action::s3:List*'), reason: 'bucket.grantRead: listing the log bucket only (segments and one-event objects of an hour are found by listing).' },
    { id: wildcardResourceId(scope, eventObjectsArn), reason: 'Every object a function reads is an event object under events/; the prefix is the narrowest scope that covers future events.' },
  ];
}

/** Finding of a table's GSIs (`<table>/index/*`): the adapters query every index of the table they are granted. */
export function tableIndexAcknowledgement(scope: IConstruct, tableArn: string): NagAcknowledgement {
  return { id: wildcardResourceId(scope, `${tableArn}/index/*`), reason: 'Table grant covers the table\'s own GSIs (by account, by object, by ingestion position), which the index adapter queries.' };
}

/** Findings of a projection's generation tables (`<prefix>-<projection>-g*` and their GSIs). */
export function generationAcknowledgements(scope: IConstruct, arns: readonly string[]): NagAcknowledgement[] {
  return arns.map((arn) => ({
    id: wildcardResourceId(scope, arn),
    reason: 'Projection generations are tables created by rebuilds at run time (<prefix>-<projection>-g<n>); the pattern names only that projection\'s generations.',
  }));
}

/** Finding of a dead-letter queue, which has no DLQ of its own. */
export const DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT: NagAcknowledgement = {
  id: 'AwsSolutions-SQS3',
  reason: 'This queue is the dead-letter queue of an EventBridge target and of the function\'s asynchronous invocations; a DLQ of a DLQ would only hide failures.',
};

/** Record the acknowledgements on `scope` (they apply to it and everything below it). */
export function acknowledge(scope: IConstruct, acks: readonly NagAcknowledgement[]): void {
  for (const ack of acks) Validations.of(scope).acknowledge(ack);
}

/** The findings the lake's design accepts, recorded where they occur, each with its reason. */
export function acknowledgeLakeFindings(lake: EventLake): void {
  const common = functionRoleAcknowledgements(lake, lake.bucket.arnForObjects(EVENT_OBJECTS));
  const indexGsis = tableIndexAcknowledgement(lake, lake.indexTable.tableArn);
  const generations = (p: string) => generationAcknowledgements(lake, generationTableArns(lake, lake.prefix, p));
  acknowledge(lake.indexer.role!, [...common, indexGsis]);
  for (const [p, fn] of lake.projectors) acknowledge(fn.role!, [...common, ...generations(p)]);
  acknowledge(lake.compaction.role!, common);
  acknowledge(lake.rebuild.role!, [...common, indexGsis, ...[...lake.projectionTables.keys()].flatMap(generations)]);
  for (const queue of lake.deadLetterQueues.values()) acknowledge(queue, [DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT]);
}

/** Every acknowledgement recorded under `scope`, with the path it was recorded on (tests, audits). */
export function acknowledgementsUnder(scope: IConstruct): Array<NagAcknowledgement & { path: string }> {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>))
    // CDK stores unqualified ids as `Annotation::<id>` (older versions: `annotation::`); cdk-nag strips it too.
    .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason, path: c.node.path })));
}

/** Run AwsSolutions on `scope` now (after synthesis) and return its report: `violations` are unacknowledged findings. */
export function nagReport(scope: IConstruct): PolicyValidationPluginReport {
  return new AwsSolutionsChecks(scope).validateScope(scope);
}

/** Make every synthesis of `app` run AwsSolutions (`npm run synth` fails on an unacknowledged finding). */
export function addNagChecks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
