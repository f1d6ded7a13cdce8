// A rebuild against the DynamoDB adapters on a mocked client that keeps just enough state to behave like DynamoDB
// around a PITR restore: RestoreTableToPointInTime leaves the table CREATING until the test ends the restore, and a
// CREATING table answers reads with ResourceNotFoundException and DeleteTable with ResourceInUseException.
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateTableCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand,
  PutItemCommand, QueryCommand, ResourceInUseException, ResourceNotFoundException, RestoreTableToPointInTimeCommand, ScanCommand,
  UpdateContinuousBackupsCommand, UpdateItemCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildDeps } from '../../../projections/rebuild/deps.ts';
import type { RebuildPlan } from '../../../projections/rebuild/plan.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { memoryCheckpoints } from '../../support/fakes/memory-checkpoints.ts';

export const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
/** The mock of every command the adapters send. */
export const ddb = mockClient(client);
const tableFor = (n: string, g: number) => `eventlake-${n}-g${g}`;
export const NOW = Date.parse('2024-03-01T12:00:00Z');
/** The snapshot the plan restores: balances generation 1, an hour before NOW. */
export const snap: SnapshotInfo = { id: 'balances-g1-x', projection: 'balances', generation: 1, takenAt: NOW - 3_600_000, highWaterMark: 42 };

/** CREATING while a restore runs; the others a restore may end in, or a table be put in by someone else. */
type Status = 'CREATING' | 'ACTIVE' | 'DELETING' | 'INACCESSIBLE_ENCRYPTION_CREDENTIALS';
interface Table { status: Status; restore?: { source: string; at: number }; items: Map<string, Record<string, AttributeValue>> }

/** The fake's state: tables by name, the control table's generation pointer of balances and its snapshot markers. */
export const world = { tables: new Map<string, Table>(), latest: 1, dropped: [] as number[], markers: [] as SnapshotInfo[] };

const missing = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
const readable = (name: string | undefined): Table => {
  const t = world.tables.get(name ?? '');
  if (!t || t.status !== 'ACTIVE') throw missing();
  return t;
};

/** Empty the fake (balances generation 1 live, nothing else) and install its behaviour. */
export function resetWorld(): void {
  ddb.reset();
  world.tables.clear();
  world.latest = 1;
  world.dropped = [];
  world.markers = [snap];
  world.tables.set(tableFor('balances', 1), { status: 'ACTIVE', items: new Map() });
  ddb.on(GetItemCommand).callsFake((input) => {
    if (input.TableName === 'control') return { Item: { latest: { N: String(world.latest) }, live: { N: '1' } } };
    return { Item: readable(input.TableName).items.get(input.Key.pk.S) };
  });
  ddb.on(PutItemCommand).callsFake((input) => { readable(input.TableName).items.set(input.Item.pk.S, input.Item); return {}; });
  ddb.on(UpdateItemCommand).callsFake((input) => {
    const expression = String(input.UpdateExpression);
    if (expression.includes('if_not_exists')) world.latest++;
    else if (expression.startsWith('ADD #dropped')) world.dropped.push(Number(input.ExpressionAttributeValues[':g'].NS[0]));
    else if (expression === 'SET #latest = :g') world.latest = Math.max(world.latest, Number(input.ExpressionAttributeValues[':g'].N));
    return { Attributes: { latest: { N: String(world.latest) } } };
  });
  ddb.on(DescribeTableCommand).callsFake((input) => {
    const t = world.tables.get(input.TableName);
    if (!t) throw missing();
    const restore = t.restore && {
      SourceTableArn: `arn:aws:dynamodb:eu-central-1:123456789012:table/${t.restore.source}`, RestoreDateTime: new Date(t.restore.at), RestoreInProgress: t.status === 'CREATING',
    };
    return { Table: { TableName: input.TableName, TableStatus: t.status, ...(restore ? { RestoreSummary: restore } : {}) } };
  });
  ddb.on(ScanCommand).callsFake((input) => ({ Items: [...readable(input.TableName).items.values()].slice(0, 1) }));
  ddb.on(RestoreTableToPointInTimeCommand).callsFake((input) => {
    world.tables.set(input.TargetTableName, { status: 'CREATING', restore: { source: input.SourceTableName, at: input.RestoreDateTime.getTime() }, items: new Map() });
    return {};
  });
  ddb.on(CreateTableCommand).callsFake((input) => {
    if (world.tables.has(input.TableName)) throw new ResourceInUseException({ message: `Table already exists: ${input.TableName}`, $metadata: {} });
    world.tables.set(input.TableName, { status: 'ACTIVE', items: new Map() });
    return {};
  });
  ddb.on(DeleteTableCommand).callsFake((input) => {
    const t = world.tables.get(input.TableName);
    if (!t) throw missing();
    if (t.status === 'CREATING') throw new ResourceInUseException({ message: `Attempt to change a resource which is still in use: Table is being restored: ${input.TableName}`, $metadata: {} });
    world.tables.delete(input.TableName);
    return {};
  });
  ddb.on(QueryCommand).callsFake(() => ({ Items: world.markers.map((m) => ({ snapshot: { S: JSON.stringify(m) } })) }));
  // The snapshot's table has had PITR on for a day (its marker is restorable); a table a rebuild fills has it off until turned on.
  ddb.on(DescribeContinuousBackupsCommand).callsFake((input) => ({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: input.TableName === tableFor('balances', 1)
        ? { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: new Date(NOW - 86_400_000) }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  }));
  ddb.on(UpdateContinuousBackupsCommand).resolves({});
}

/** A restore DynamoDB is running into `table` (as a killed run left it), of the snapshot's table at `at`. */
export function restoring(table: string, at = snap.takenAt): void {
  world.tables.set(table, { status: 'CREATING', restore: { source: tableFor('balances', 1), at }, items: new Map() });
}

/** DynamoDB finished the restore into `table` (if it is still there: a run may have dropped it meanwhile). */
export function restored(table: string, status: Status = 'ACTIVE'): void {
  const t = world.tables.get(table);
  if (t) t.status = status;
}

/** The DynamoDB projection and PITR snapshot stores over the fake. */
export function stores(waitMs = 5_000): { store: DynamoDbProjectionStore; snapshots: DynamoDbPitrSnapshotStore } {
  const store = new DynamoDbProjectionStore({ client, controlTableName: 'control', tableFor });
  const snapshots = new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor, clock: () => NOW, wait: { initialDelayMs: 1, timeoutMs: waitMs } });
  return { store, snapshots };
}

/** From the snapshot, nothing after it to replay: the rebuild is the restore. */
export const plan = {
  projection: 'balances', from: snap.takenAt, snapshot: snap, baseMark: 42, mark: 42, events: { count: 0, bytes: 0, objects: 0 },
  tiers: [], restores: {}, estimates: [], warnings: [],
} as unknown as RebuildPlan;

/** A rebuild coordinator over the fake, and where its CheckpointStore remembers the generation a rebuild fills. */
export function pitrCoordinator(waitMs?: number): { rebuilder: RebuildCoordinator; positions: Map<string, number> } {
  const memory = memoryCheckpoints();
  const deps = {
    ...stores(waitMs), checkpoints: memory.checkpoints, registry: { validate: (e: unknown) => e as DomainEvent },
    // The replay has nothing to read: its ports are never asked.
    index: {}, log: {}, archive: {},
  } as unknown as RebuildDeps;
  return { rebuilder: new RebuildCoordinator(deps, [balancesProjection]), positions: memory.positions };
}

/** The table of balances generation 2, the one a killed run was filling. */
export const G2 = 'eventlake-balances-g2';

/** What a run killed during its restore left: generation 2 handed out and remembered, its table CREATING, no checkpoint. */
export function killedDuringRestore(positions: Map<string, number>, at = snap.takenAt): void {
  world.latest = 2;
  positions.set(rebuildCheckpointName('balances'), 2);
  restoring(G2, at);
}

/** The rebuild checkpoint a table holds, as written (null when none). */
export const checkpointOf = (table: string) => JSON.parse(world.tables.get(table)!.items.get('M#checkpoint')?.['json']?.S ?? 'null') as { phase: string; snapshotId: string } | null;
