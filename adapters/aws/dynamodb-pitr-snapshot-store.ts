// DynamoDbPitrSnapshotStore: snapshots of projection generations as DynamoDB point-in-time recovery markers.
//
// PITR is continuous, so "taking" a snapshot only makes sure PITR is on and records a marker {takenAt, high-water
// mark} in the control table. Restoring is RestoreTableToPointInTime into the table name of the new generation,
// which the projection store then serves once the rebuild coordinator promotes it.

import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, ExportTableToPointInTimeCommand, PutItemCommand,
  RestoreTableToPointInTimeCommand, ScanCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, TransientError } from '../../domain/errors.ts';
import type { SnapshotInfo, SnapshotStore } from '../../domain/ports/snapshot-store.ts';
import { errorName, queryItems, readStr, storageCall, str, withRetries } from './dynamodb-codec.ts';
import { deleteTable, enablePitr, waitForTable, type WaitOptions } from './dynamodb-tables.ts';
import { CONTROL_ATTR as C, CONTROL_PREFIX } from './table-keys.ts';

export interface DynamoDbPitrSnapshotStoreOptions {
  readonly client: DynamoDBClient;
  /** The control table (CONTROL_TABLE) where snapshot markers are kept. */
  readonly controlTableName: string;
  /** Table of a projection generation: pass the projection store's `tableFor`, so both agree. */
  readonly tableFor: (projection: string, generation: number) => string;
  /** Wall clock, epoch ms (tests). */
  readonly clock?: () => number;
  /** How long and how patiently restore waits for the new table to become ACTIVE. */
  readonly wait?: WaitOptions;
  /** Customer-managed KMS key of restored tables (SSESpecificationOverride); default: the restore's default. */
  readonly kmsKeyArn?: string;
}

/** PITR's latest restorable time trails the present by about five minutes. */
const RESTORE_LAG_MS = 10 * 60_000;
const padMs = (ms: number) => String(ms).padStart(13, '0');

/**
 * Snapshots on DynamoDB PITR.
 *
 * @example
 * const snapshots = new DynamoDbPitrSnapshotStore({ client, controlTableName: 'eventlake-control', tableFor: store.tableFor });
 * const snap = await snapshots.take('balances', gen, highWaterMark);
 * const next = await store.createGeneration('balances');
 * await snapshots.restore(snap, next); // RestoreTableToPointInTime, then waits until ACTIVE
 */
export class DynamoDbPitrSnapshotStore implements SnapshotStore {
  private readonly client: DynamoDBClient;
  private readonly control: string;
  private readonly tableFor: (projection: string, generation: number) => string;
  private readonly clock: () => number;
  private readonly wait: WaitOptions;
  private readonly kmsKeyArn: string | undefined;

  constructor(options: DynamoDbPitrSnapshotStoreOptions) {
    this.client = options.client;
    this.control = options.controlTableName;
    this.tableFor = options.tableFor;
    this.clock = options.clock ?? Date.now;
    this.wait = options.wait ?? {};
    this.kmsKeyArn = options.kmsKeyArn;
  }

  /** Turn PITR on for a table unless it already is (idempotent). */
  ensurePitr(tableName: string): Promise<void> {
    return storageCall(`turning PITR on for ${tableName}`, async () => {
      const out = await withRetries('DescribeContinuousBackups', () => this.client.send(new DescribeContinuousBackupsCommand({ TableName: tableName })));
      if (out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED') return;
      await enablePitr(this.client, tableName);
    });
  }

  async take(projection: string, generation: number, highWaterMark: number): Promise<SnapshotInfo> {
    await this.ensurePitr(this.tableFor(projection, generation));
    // Read after PITR is on: the marker's time is always restorable.
    const takenAt = this.clock();
    const info: SnapshotInfo = { id: `${projection}-g${generation}-${takenAt}-${randomBytes(2).toString('hex')}`, projection, generation, takenAt, highWaterMark };
    await storageCall(`recording snapshot ${info.id}`, () => withRetries('PutItem', () => this.client.send(new PutItemCommand({
      TableName: this.control,
      Item: { [C.pk]: str(CONTROL_PREFIX.snapshot + projection), [C.sk]: str(`${padMs(takenAt)}#${info.id}`), [C.snapshot]: str(JSON.stringify(info)) },
    }))));
    return info;
  }

  async list(projection: string): Promise<SnapshotInfo[]> {
    return this.markers(projection, Number.MAX_SAFE_INTEGER, true);
  }

  async latestAtOrBefore(projection: string, atMs: number): Promise<SnapshotInfo | undefined> {
    return (await this.markers(projection, atMs, false, 1))[0];
  }

  private markers(projection: string, atMs: number, forward: boolean, limit?: number): Promise<SnapshotInfo[]> {
    return storageCall(`reading the snapshots of ${projection}`, () => this.readMarkers(projection, atMs, forward, limit));
  }

  private async readMarkers(projection: string, atMs: number, forward: boolean, limit?: number): Promise<SnapshotInfo[]> {
    const out: SnapshotInfo[] = [];
    for await (const item of queryItems(this.client, {
      TableName: this.control, KeyConditionExpression: '#pk = :pk AND #sk < :hi', ScanIndexForward: forward, ConsistentRead: true,
      ExpressionAttributeNames: { '#pk': C.pk, '#sk': C.sk },
      ExpressionAttributeValues: { ':pk': str(CONTROL_PREFIX.snapshot + projection), ':hi': str(padMs(Math.min(atMs, 9_999_999_999_998) + 1)) },
      ...(limit ? { Limit: limit } : {}),
    })) {
      out.push(JSON.parse(readStr(item, C.snapshot)) as SnapshotInfo);
      if (limit && out.length >= limit) break;
    }
    return out;
  }

  restore(snapshot: SnapshotInfo, generation: number): Promise<void> {
    return storageCall(`restoring snapshot ${snapshot.id} into generation ${generation}`, () => this.restoreInto(snapshot, generation));
  }

  private async restoreInto(snapshot: SnapshotInfo, generation: number): Promise<void> {
    const source = this.tableFor(snapshot.projection, snapshot.generation);
    const target = this.tableFor(snapshot.projection, generation);
    if (source === target) throw new InvalidArgumentError('generation', `cannot restore generation ${generation} of ${snapshot.projection} onto itself`);
    // A run killed during (or just after) this very restore left the table it asked for, still restoring or done:
    // wait for it rather than refuse it as not empty. Events the killed run applied on top are skipped by their keys.
    if (await this.restoredFrom(target, source, snapshot.takenAt)) return this.whenRestored(target);
    await this.clearTarget(target);
    try {
      await withRetries('RestoreTableToPointInTime', () => this.client.send(new RestoreTableToPointInTimeCommand({
        SourceTableName: source, TargetTableName: target, RestoreDateTime: new Date(snapshot.takenAt),
        ...(this.kmsKeyArn ? { SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: this.kmsKeyArn } } : {}),
      })));
    } catch (error) {
      const name = errorName(error);
      if (name === 'InvalidRestoreTimeException' && this.clock() - snapshot.takenAt < RESTORE_LAG_MS) {
        throw new TransientError(`snapshot ${snapshot.id} is not restorable yet: PITR's latest restorable time trails by about 5 minutes; retry later`, { cause: error });
      }
      if (name === 'InvalidRestoreTimeException' || name === 'PointInTimeRecoveryUnavailableException' || name === 'TableNotFoundException') {
        throw new InvalidArgumentError('snapshot', `snapshot ${snapshot.id} cannot be restored from ${source} (${name}): the table is gone or past its PITR retention`);
      }
      // A request sent again after its answer was lost (the SDK's retry or ours) finds the table the first one made.
      if (name !== 'TableAlreadyExistsException' || !(await this.restoredFrom(target, source, snapshot.takenAt))) throw error;
    }
    await this.whenRestored(target);
  }

  private async whenRestored(target: string): Promise<void> {
    await waitForTable(this.client, target, 'active', this.wait);
    // A restored table does not inherit PITR; the new generation must be snapshottable like the old one.
    await this.ensurePitr(target);
  }

  /** Whether `target` exists as a restore of `source` at `at`: what this store's RestoreTableToPointInTime makes. */
  private async restoredFrom(target: string, source: string, at: number): Promise<boolean> {
    let summary;
    try {
      summary = (await withRetries('DescribeTable', () => this.client.send(new DescribeTableCommand({ TableName: target }))))?.Table?.RestoreSummary;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return false;
      throw error;
    }
    return summary?.SourceTableArn?.endsWith(`:table/${source}`) === true && summary.RestoreDateTime?.getTime() === at;
  }

  /** RestoreTableToPointInTime creates the table itself: an existing, still empty target is removed first. */
  private async clearTarget(target: string): Promise<void> {
    try {
      const out = await this.client.send(new ScanCommand({ TableName: target, Limit: 1, ConsistentRead: true }));
      if ((out.Items ?? []).length > 0) throw new InvalidArgumentError('generation', `table ${target} is not empty: restore only into a new generation`);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw error;
    }
    await deleteTable(this.client, target, this.wait);
  }

  /**
   * Export the snapshot's point in time to S3 (ExportTableToPointInTime), e.g. as a verification baseline.
   * Returns the export's ARN; the export runs asynchronously.
   */
  exportSnapshot(snapshot: SnapshotInfo, s3Bucket: string, s3Prefix: string): Promise<string> {
    return storageCall(`exporting snapshot ${snapshot.id}`, async () => {
      const table = await this.client.send(new DescribeTableCommand({ TableName: this.tableFor(snapshot.projection, snapshot.generation) }));
      const out = await this.client.send(new ExportTableToPointInTimeCommand({
        TableArn: table.Table?.TableArn, ExportTime: new Date(snapshot.takenAt), S3Bucket: s3Bucket, S3Prefix: s3Prefix, ExportFormat: 'DYNAMODB_JSON',
      }));
      return out.ExportDescription?.ExportArn ?? '';
    });
  }
}
