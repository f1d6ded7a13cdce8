// Least-privilege grants of the lake's functions and of its users (emitters, query runners).

import { Stack } from 'aws-cdk-lib';
import type { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { IDENTITY_CLAIM_PREFIX } from '../adapters/aws/dynamodb-identity-claims.ts';
import { CONTROL_PREFIX, projectionTableName } from '../adapters/aws/table-keys.ts';
import { EVENTS_PREFIX } from '../domain/event.ts';

/** Item reads and writes a projection store does (TransactWriteItems is authorized per contained action). */
export const ITEM_ACTIONS = [
  'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable',
] as const;

/**
 * What the rebuild does to whole generation tables: create, PITR on, restore into (the restore also needs the item
 * writes of ITEM_ACTIONS on the target, granted on the same tables), export a point in time, and drop (UpdateTable
 * first: the stack's generation-1 tables have deletion protection). An export also needs s3:PutObject on its
 * destination bucket, which is the caller's (never the log bucket) and granted by whoever chooses it.
 */
export const GENERATION_ADMIN_ACTIONS = [
  'dynamodb:CreateTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeContinuousBackups',
  'dynamodb:RestoreTableToPointInTime', 'dynamodb:ExportTableToPointInTime',
] as const;

/** Every generation table of a projection, present and future (`<prefix>-<projection>-g<n>`), and their indexes. */
export function generationTableArns(scope: Construct, prefix: string, projection: string): string[] {
  const table = Stack.of(scope).formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${projectionTableName(prefix, projection, 1).replace(/1$/, '')}*` });
  return [table, `${table}/index/*`];
}

/** The log's objects: everything a function reads is under `events/`. */
export const EVENT_OBJECTS = `${EVENTS_PREFIX}*`;

export interface LakeResources {
  readonly prefix: string;
  readonly bucket: IBucket;
  readonly key: IKey;
  readonly bus: IEventBus;
  readonly index: ITable;
  readonly control: ITable;
}

/** Indexer: read new objects, write the index, publish to the bus. */
export function grantIndexer(fn: IGrantable, r: LakeResources): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  r.index.grantReadWriteData(fn);
  r.bus.grantPutEventsTo(fn);
}

/**
 * Projector of one projection: read pointer events and the live-generation pointer, write its own generation tables,
 * and raise the pointer's "latest generation" mark on a generation's first write (an UpdateItem on the control table).
 */
export function grantProjector(scope: Construct, fn: IGrantable, r: LakeResources, projection: string): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  r.control.grantReadData(fn);
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [r.control.tableArn] }));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...ITEM_ACTIONS], resources: generationTableArns(scope, r.prefix, projection) }));
  r.key.grantEncryptDecrypt(fn);
}

/** Rebuild: read the index and the log, restore archived objects, and manage the generations of every projection. */
export function grantRebuild(scope: Construct, fn: IGrantable, r: LakeResources, projections: readonly string[]): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:RestoreObject'], resources: [r.bucket.arnForObjects(EVENT_OBJECTS)] }));
  r.index.grantReadData(fn);
  r.control.grantReadWriteData(fn);
  const tables = projections.flatMap((p) => generationTableArns(scope, r.prefix, p));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...ITEM_ACTIONS, ...GENERATION_ADMIN_ACTIONS], resources: tables }));
  r.key.grantEncryptDecrypt(fn);
  // Creating or restoring a table under a customer key: DynamoDB creates a grant on the key for the table.
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [r.key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(scope).region}.amazonaws.com` }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  }));
}

/**
 * Compaction: list and read an hour's objects, write its segment (PutObject: the bucket's write-once policy admits
 * it only with If-None-Match, which is how segments are written), delete the compacted originals (on the versioned
 * bucket that adds delete markers; versions stay for noncurrentVersionDays), and re-point their index entries
 * (GetItem for the guard and entry, Query for an hour bucket, UpdateItem inside the relocating transaction).
 * Its checkpoint is an item of the control table's CHECKPOINT partition, the only one it may touch there.
 */
export function grantCompaction(fn: IGrantable, r: LakeResources): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [r.bucket.arnForObjects(EVENT_OBJECTS)] }));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], resources: [r.index.tableArn] }));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [r.control.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CONTROL_PREFIX.checkpoint] } },
  }));
  r.key.grantEncryptDecrypt(fn);
}

/**
 * An emitter (an app or the CLI writing events): conditional PUTs and reads (a 412 compares content) under `events/`,
 * and item reads of the index, where emit looks for copies an object key cannot show (compacted, another hour, a
 * RequestId's older case). No Query or Scan, and no writes: only the indexer writes the index. In the control table,
 * only the identity claims (`CLAIM#<id>` partitions) emit writes before each object and takes back from a refused batch.
 */
export function grantEmit(grantee: IGrantable, r: Pick<LakeResources, 'bucket' | 'index' | 'control' | 'key'>): void {
  r.bucket.grantPut(grantee, EVENT_OBJECTS);
  r.bucket.grantRead(grantee, EVENT_OBJECTS);
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: [r.index.tableArn] }));
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'], resources: [r.control.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${IDENTITY_CLAIM_PREFIX}*`] } },
  }));
  r.key.grantDecrypt(grantee);
}

/** A query runner: Athena in the lake's workgroup, the Glue table, the log (read) and the results bucket. */
export function grantQuery(scope: Construct, grantee: IGrantable, q: { workGroup: CfnWorkGroup; database: string; table: string; bucket: IBucket; results: IBucket }): void {
  const stack = Stack.of(scope);
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
    resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: q.workGroup.name })],
  }));
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
    resources: [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: q.database }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${q.database}/${q.table}` }),
    ],
  }));
  q.bucket.grantRead(grantee, EVENT_OBJECTS);
  q.results.grantReadWrite(grantee);
}
