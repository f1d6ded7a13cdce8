// DynamoDbPitrSnapshotStore: snapshots of projection generations as DynamoDB point-in-time recovery markers.
//
// PITR is continuous, so "taking" a snapshot only makes sure PITR is on and records a marker {takenAt, high-water
// mark} in the control table. Restoring is RestoreTableToPointInTime into the table name of the new generation,
// which the projection store then serves once the rebuild coordinator promotes it (dynamodb-pitr-restore.ts: a
// restore outlives the run that asked for it, and the next run recognises it).

import {
  DeleteItemCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, ExportTableToPointInTimeCommand, PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { assertKnownProjection } from '../../projections/known-projection.ts';
import type { GenerationRestore, RebuildSnapshots, RestoreWait } from '../../projections/rebuild/restore-adoption.ts';
import { queryItems, readStr, storageCall, str, withRetries } from './dynamodb-codec.ts';
import { restoreOf, restoreSnapshot, type PitrRestorer } from './dynamodb-pitr-restore.ts';
import { pitrUnavailable } from './dynamodb-pitr-errors.ts';
import { restorabilityChecker } from './dynamodb-pitr-restorable.ts';
import { enablePitr, type WaitOptions } from './dynamodb-tables.ts';
import { CONTROL_ATTR as C, CONTROL_PREFIX } from './table-keys.ts';

export interface DynamoDbPitrSnapshotStoreOptions {
  readonly client: DynamoDBClient;
  /** The control table (CONTROL_TABLE) where snapshot markers are kept. */
  readonly controlTableName: string;
  /** Table of a projection generation: pass the projection store's `tableFor`, so both agree. */
  readonly tableFor: (projection: string, generation: number) => string;
  /** Wall clock, epoch ms (tests). */
  readonly clock?: () => number;
  /** Waits `ms` (tests): take() waits for the next whole second. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long and how patiently restore waits for the new table to become ACTIVE. */
  readonly wait?: WaitOptions;
  /** Customer-managed KMS key of restored tables (SSESpecificationOverride); default: the restore's default. */
  readonly kmsKeyArn?: string;
  /**
   * Turn deletion protection on for each restored table once it is ACTIVE, as for the generation tables the stack and
   * the projection store create (TableSettings.deletionProtection); `dropGeneration` turns it off before deleting.
   * Default: on with `kmsKeyArn` (a deployed lake's rebuild and CLI), off without (tests, scratch tables).
   */
  readonly deletionProtection?: boolean;
  /** Projections snapshots may be of: another is refused (`InvalidArgumentError`) before any call. Default: any name. */
  readonly projections?: readonly string[];
}

/** Markers latestAtOrBefore reads per Query: most often the newest is restorable, past retention dozens are not. */
const MARKER_PAGE = 25;
const padMs = (ms: number) => String(ms).padStart(13, '0');
const markerKey = (s: SnapshotInfo) => ({ [C.pk]: str(CONTROL_PREFIX.snapshot + s.projection), [C.sk]: str(`${padMs(s.takenAt)}#${s.id}`) });

/**
 * Snapshots on DynamoDB PITR.
 *
 * @example
 * const snapshots = new DynamoDbPitrSnapshotStore({ client, controlTableName: 'eventlake-control', tableFor: store.tableFor });
 * const snap = await snapshots.take('balances', gen, highWaterMark);
 * const next = await store.createGeneration('balances');
 * await snapshots.restore(snap, next); // RestoreTableToPointInTime, then waits until ACTIVE
 */
export class DynamoDbPitrSnapshotStore implements RebuildSnapshots {
  private readonly client: DynamoDBClient;
  private readonly control: string;
  private readonly tableFor: (projection: string, generation: number) => string;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly wait: WaitOptions;
  private readonly restorer: PitrRestorer;
  private readonly projections: readonly string[] | undefined;

  constructor(options: DynamoDbPitrSnapshotStoreOptions) {
    this.client = options.client;
    this.control = options.controlTableName;
    this.tableFor = options.tableFor;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.wait = options.wait ?? {};
    this.projections = options.projections;
    this.restorer = {
      client: this.client, tableFor: this.tableFor, clock: this.clock, wait: this.wait, kmsKeyArn: options.kmsKeyArn,
      deletionProtection: options.deletionProtection ?? options.kmsKeyArn !== undefined, ensurePitr: (tableName) => this.ensurePitr(tableName),
    };
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
    if (this.projections) assertKnownProjection(this.projections, projection);
    const table = this.tableFor(projection, generation);
    await this.ensurePitr(table).catch(async (error: unknown) => { throw (await pitrUnavailable(this.client, { table, projection }, (error as Error).cause)) ?? error; });
    // Read after PITR is on: the marker's time is always restorable. A whole second, waited for: PITR restores to the
    // second (RestoreTableToPointInTime: day:hour:minute:second), and a time with milliseconds, cut to its second,
    // would restore a state without the events applied in that part-second, which the mark already counts.
    const now = this.clock();
    const takenAt = Math.ceil(now / 1000) * 1000;
    if (takenAt > now) await this.sleep(takenAt - now);
    const info: SnapshotInfo = { id: `${projection}-g${generation}-${takenAt}-${randomBytes(2).toString('hex')}`, projection, generation, takenAt, highWaterMark };
    await storageCall(`recording snapshot ${info.id}`, () => withRetries('PutItem', () => this.client.send(new PutItemCommand({
      TableName: this.control,
      Item: { ...markerKey(info), [C.snapshot]: str(JSON.stringify(info)) },
    }))));
    return info;
  }

  /**
   * Delete the marker: the table's PITR history is DynamoDB's (it keeps 35 days on its own), so the marker is all
   * this store has to remove. A marker already gone is no error.
   */
  remove(snapshot: SnapshotInfo): Promise<void> {
    return this.call(snapshot.projection, `removing snapshot ${snapshot.id}`, async () => {
      await withRetries('DeleteItem', () => this.client.send(new DeleteItemCommand({
        TableName: this.control, Key: markerKey(snapshot),
      })));
    });
  }

  /**
   * Every marker, oldest first; one DynamoDB can no longer restore carries `notRestorable` saying why (its table gone,
   * PITR off, or taken before PITR's earliest restorable time), so `snapshot list` shows it and `snapshot prune` removes it.
   */
  list(projection: string): Promise<SnapshotInfo[]> {
    return this.call(projection, `reading the snapshots of ${projection}`, async () => {
      const why = restorabilityChecker(this.client, this.tableFor);
      const out: SnapshotInfo[] = [];
      for await (const marker of this.markers(projection, Number.MAX_SAFE_INTEGER, true)) {
        const notRestorable = await why(marker);
        out.push(notRestorable === undefined ? marker : { ...marker, notRestorable });
      }
      return out;
    });
  }

  /**
   * The newest marker at or before `atMs` that DynamoDB can still restore: an older, unrestorable one would fail the
   * rebuild only after it created a generation. Read newest first a page at a time, up to the first restorable one.
   */
  latestAtOrBefore(projection: string, atMs: number): Promise<SnapshotInfo | undefined> {
    return this.call(projection, `reading the snapshots of ${projection}`, async () => {
      const why = restorabilityChecker(this.client, this.tableFor);
      for await (const marker of this.markers(projection, atMs, false, MARKER_PAGE)) if ((await why(marker)) === undefined) return marker;
      return undefined;
    });
  }

  /** storageCall for `projection`, refused first (as locally) when the lake does not have it: not read as "no snapshots". */
  private async call<T>(projection: string, what: string, fn: () => Promise<T>): Promise<T> {
    if (this.projections) assertKnownProjection(this.projections, projection);
    return storageCall(what, fn);
  }

  private async *markers(projection: string, atMs: number, forward: boolean, page?: number): AsyncGenerator<SnapshotInfo> {
    for await (const item of queryItems(this.client, {
      TableName: this.control, KeyConditionExpression: '#pk = :pk AND #sk < :hi', ScanIndexForward: forward, ConsistentRead: true,
      ExpressionAttributeNames: { '#pk': C.pk, '#sk': C.sk },
      ExpressionAttributeValues: { ':pk': str(CONTROL_PREFIX.snapshot + projection), ':hi': str(padMs(Math.min(atMs, 9_999_999_999_998) + 1)) },
      ...(page ? { Limit: page } : {}),
    })) yield JSON.parse(readStr(item, C.snapshot)) as SnapshotInfo;
  }

  /**
   * Restore into `generation`, waiting for the table until `wait.timeoutMs` (at most the store's own timeout): past
   * it, a TransientError saying the snapshot is still restoring. The restore goes on; restoring the same snapshot into
   * the same generation again waits for it rather than starting another (a rebuild's next run adopts it). The restored
   * table gets PITR, and deletion protection as the lake's own generation tables do (`deletionProtection`).
   */
  restore(snapshot: SnapshotInfo, generation: number, wait: RestoreWait = {}): Promise<void> {
    return this.call(snapshot.projection, `restoring snapshot ${snapshot.id} into generation ${generation}`, () => restoreSnapshot(this.restorer, snapshot, generation, wait));
  }

  /**
   * What `generation`'s table is as a restore, if it is one: of `snapshot` or of another, still running or done. A
   * rebuild killed while its snapshot was restored left it, and DynamoDB deletes a table only once its restore is done.
   */
  restoreOf(snapshot: SnapshotInfo, generation: number): Promise<GenerationRestore | undefined> {
    return this.call(snapshot.projection, `describing the table of ${snapshot.projection} generation ${generation}`, () => restoreOf(this.restorer, snapshot, generation));
  }

  /**
   * Export the snapshot's point in time to S3 (ExportTableToPointInTime), e.g. as a verification baseline.
   * Returns the export's ARN; the export runs asynchronously.
   */
  exportSnapshot(snapshot: SnapshotInfo, s3Bucket: string, s3Prefix: string): Promise<string> {
    return this.call(snapshot.projection, `exporting snapshot ${snapshot.id}`, async () => {
      const table = await this.client.send(new DescribeTableCommand({ TableName: this.tableFor(snapshot.projection, snapshot.generation) }));
      const out = await this.client.send(new ExportTableToPointInTimeCommand({
        TableArn: table.Table?.TableArn, ExportTime: new Date(snapshot.takenAt), S3Bucket: s3Bucket, S3Prefix: s3Prefix, ExportFormat: 'DYNAMODB_JSON',
      }));
      return out.ExportDescription?.ExportArn ?? '';
    });
  }
}
