// The lake functions' grants on the index and control tables that CDK's grantReadWriteData would make too wide: only
// the actions (and, in the control table, the partitions) the functions' code paths use.

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CONTROL_PREFIX } from '../adapters/aws/table-keys.ts';

/**
 * What the indexer does to the index table (DynamoDbEventIndex put, get and setObjectStorage, all it calls): GetItem
 * of id guards and entries, Scan for an empty index and PutItem of its marker, BatchWriteItem of hour directory items,
 * PutItem and ConditionCheckItem in the entries' transaction, UpdateItem of an object's storage state. No DeleteItem
 * or BatchGetItem, and no stream reads (the table has no stream).
 */
export const INDEXER_INDEX_ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem',
] as const;

/** INDEXER_INDEX_ACTIONS on `index`, Query of its byObject index (setObjectStorage), and the key's use for both. */
export function grantIndexWrites(fn: IGrantable, index: ITable, key: IKey): void {
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...INDEXER_INDEX_ACTIONS], resources: [index.tableArn] }));
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${index.tableArn}/index/*`] }));
  key.grantEncryptDecrypt(fn);
}

/**
 * What the rebuild does to the control table: GetItem and UpdateItem of pointers (GenerationPointer), GetItem and
 * conditional PutItem of checkpoints and leases (DynamoDbCheckpointStore), PutItem, Query and DeleteItem of snapshot
 * markers (DynamoDbPitrSnapshotStore). No Scan, batch or transaction actions.
 */
export const REBUILD_CONTROL_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/**
 * The control table's partitions the rebuild of `projections` touches: each one's pointer (`GEN#<p>`) and snapshot
 * markers (`SNAP#<p>`), and `CHECKPOINT`, where its leases are. Not the identity claims (`CLAIM#…`) of emit.
 */
export function rebuildControlKeys(projections: readonly string[]): string[] {
  return [...projections.flatMap((p) => [`${CONTROL_PREFIX.generation}${p}`, `${CONTROL_PREFIX.snapshot}${p}`]), CONTROL_PREFIX.checkpoint];
}

/** REBUILD_CONTROL_ACTIONS on `control`, on the partitions of rebuildControlKeys only. */
export function grantRebuildControl(fn: IGrantable, control: ITable, projections: readonly string[]): void {
  fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: [...REBUILD_CONTROL_ACTIONS], resources: [control.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': rebuildControlKeys(projections) } },
  }));
}
