// Least-privilege grants of the lake's functions and of its users (emitters, query runners).

import { Stack } from 'aws-cdk-lib';
import type { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { IDENTITY_CLAIM_PREFIX } from '../adapters/aws/dynamodb-identity-claims.ts';
import { CONTROL_PREFIX, projectionTableName } from '../adapters/aws/table-keys.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import { EVENT_OBJECT_SUFFIX, EVENTS_PREFIX } from '../domain/event.ts';
import { grantIndexWrites, grantRebuildControl } from './function-table-grants.ts';

/** Item reads and writes a projection store does (TransactWriteItems is authorized per contained action). */
export const ITEM_ACTIONS = [
  'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable',
] as const;

/**
 * What the rebuild does to whole generation tables: create, PITR on, restore into (the restore also needs the item
 * writes of ITEM_ACTIONS on the target, granted on the same tables), and drop (UpdateTable first: generation tables
 * have deletion protection). No ExportTableToPointInTime: no path of the function exports (exportSnapshot is a
 * library call for operators, who grant it and its destination bucket themselves).
 */
export const GENERATION_ADMIN_ACTIONS = [
  'dynamodb:CreateTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeContinuousBackups',
  'dynamodb:RestoreTableToPointInTime',
] as const;

/** Table actions the rebuild is denied on the stack's own generation-1 tables (the stack, not the function, owns them). */
export const STACK_TABLE_DENIED_ACTIONS = ['dynamodb:UpdateTable', 'dynamodb:DeleteTable'] as const;

/** Every generation table of a projection, present and future (`<prefix>-<projection>-g<n>`), and their indexes. */
export function generationTableArns(scope: Construct, prefix: string, projection: string): string[] {
  const table = Stack.of(scope).formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${projectionTableName(prefix, projection, 1).replace(/1$/, '')}*` });
  return [table, `${table}/index/*`];
}

/** The log's objects: everything a function reads is under `events/`. */
export const EVENT_OBJECTS = `${EVENTS_PREFIX}*`;
/** The one-event objects emit writes (`eventKey`: `events/…/hour=HH/<id>.event`), and nothing else of the log. */
export const EMITTED_OBJECTS = `${EVENTS_PREFIX}*${EVENT_OBJECT_SUFFIX}`;

export interface LakeResources {
  readonly prefix: string;
  readonly bucket: IBucket;
  readonly key: IKey;
  readonly bus: IEventBus;
  readonly index: ITable;
  readonly control: ITable;
}

/** Indexer: read new objects, write the index (only as DynamoDbEventIndex's writes do), publish to the bus. */
export function grantIndexer(fn: IGrantable, r: LakeResources): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  grantIndexWrites(fn, r.index, r.key);
  r.bus.grantPutEventsTo(fn);
}

/**
 * Projector of one projection: read pointer events and the live-generation pointer, write its own generation tables,
 * and raise the pointer's "latest generation" mark on a generation's first write. Of the control table it touches only
 * its own pointer item (GenerationPointer: GetItem for the live generation, UpdateItem for the mark, both on
 * `GEN#<projection>`), so that is all it may: another projection's pointer, snapshots and checkpoints are not its own.
 */
export function grantProjector(scope: Construct, fn: IGrantable, r: LakeResources, projection: string): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  // Each bus event is vouched for against its index entry before it is applied (adapters/aws/lambda/vouch-event.ts).
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [r.index.tableArn] }));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [r.control.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${CONTROL_PREFIX.generation}${projection}`] } },
  }));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...ITEM_ACTIONS], resources: generationTableArns(scope, r.prefix, projection) }));
  r.key.grantEncryptDecrypt(fn);
}

/**
 * Rebuild: read the index and the log, restore archived objects, and manage the generations of every projection,
 * except the stack's generation-1 tables (`stackTables`), which it may never unprotect or delete: an explicit Deny,
 * which no Allow of the generation pattern overrides.
 */
export function grantRebuild(scope: Construct, fn: IGrantable, r: LakeResources, projections: readonly string[], stackTables: readonly ITable[] = []): void {
  r.bucket.grantRead(fn, EVENT_OBJECTS);
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:RestoreObject'], resources: [r.bucket.arnForObjects(EVENT_OBJECTS)] }));
  r.index.grantReadData(fn);
  grantRebuildControl(fn, r.control, projections);
  const tables = projections.flatMap((p) => generationTableArns(scope, r.prefix, p));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...ITEM_ACTIONS, ...GENERATION_ADMIN_ACTIONS], resources: tables }));
  if (stackTables.length > 0) {
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.DENY, actions: [...STACK_TABLE_DENIED_ACTIONS], resources: stackTables.map((t) => t.tableArn) }));
  }
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
 * An emitter (an app or the CLI writing events): plain conditional PUTs of one-event objects (`events/…/*.event`; no
 * Object Lock retention or legal holds, no tags, no ACLs, no segments) and reads (a 412 compares content) under `events/`,
 * and item reads of the index, where emit looks for copies an object key cannot show (compacted, another hour, a
 * RequestId's older case). No Query or Scan, and no writes: only the indexer writes the index. In the control table,
 * only the identity claims (`CLAIM#<id>` partitions) emit writes before each object and takes back from a refused batch.
 */
export function grantEmit(grantee: IGrantable, r: Pick<LakeResources, 'bucket' | 'index' | 'control' | 'key'>): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [r.bucket.arnForObjects(EMITTED_OBJECTS)] }));
  // SSE-KMS with a bucket key: a PUT needs a data key of the lake key (GenerateDataKey), as bucket.grantPut gave it.
  r.key.grantEncrypt(grantee);
  r.bucket.grantRead(grantee, EVENT_OBJECTS);
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: [r.index.tableArn] }));
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'], resources: [r.control.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${IDENTITY_CLAIM_PREFIX}*`] } },
  }));
  r.key.grantDecrypt(grantee);
}

/** Item reads of a projection's tables that reading one balance and statement rows needs (GetItem, Query of the row index). */
export const PROJECTION_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/**
 * A reader of projections (balances, statement rows): item reads of each projection's generation tables, every
 * generation, present and future, since the live one changes with each promoted rebuild, and Scan of those tables
 * (not their indexes), since every balance at once is one consistent Scan (`Eventlake.balances`,
 * `DynamoDbProjectionStore.counters`/`readState`); GetItem of only those projections' pointers (`GEN#<projection>`) in
 * the control table, which names the live generation; and Decrypt with the lake key, which encrypts both. No writes,
 * nothing of the index or the log.
 */
export function grantRead(scope: Construct, grantee: IGrantable, r: Pick<LakeResources, 'prefix' | 'control' | 'key'>, p: { projections: readonly string[]; known: readonly string[] }): void {
  const projections = p.projections;
  const unknown = projections.find((name) => !p.known.includes(name));
  if (unknown !== undefined) throw new InvalidArgumentError('projections', `"${unknown}" is not a projection of this lake (${p.known.join(', ')})`);
  const arns = projections.map((name) => generationTableArns(scope, r.prefix, name));
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...PROJECTION_READ_ACTIONS], resources: arns.flat() }));
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: arns.map(([table]) => table!) }));
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['dynamodb:GetItem'], resources: [r.control.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': projections.map((name) => `${CONTROL_PREFIX.generation}${name}`) } },
  }));
  r.key.grantDecrypt(grantee);
}

/**
 * Index reads of `query --target aws`: a range query lists the archived objects Athena would skip silently
 * (DynamoDbEventIndex.unreadableWithRestores: GetItem of the hour directory's marker, Query of its years and of hour
 * buckets, a Scan of Limit 1 on an empty index, a filtered Scan for a range of which over a month precedes the hour
 * directory: an index not yet backfilled by `repair index`). Raw SQL reads none.
 */
export const QUERY_INDEX_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] as const;

/**
 * A query runner: Athena in the lake's workgroup, the Glue table, the log (read), the results bucket, and item reads of
 * the index table (QUERY_INDEX_ACTIONS; the log's read grant includes the key's Decrypt, which the index needs too).
 */
export function grantQuery(scope: Construct, grantee: IGrantable, q: { workGroup: CfnWorkGroup; database: string; table: string; bucket: IBucket; results: IBucket; index: ITable }): void {
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
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...QUERY_INDEX_ACTIONS], resources: [q.index.tableArn] }));
}
