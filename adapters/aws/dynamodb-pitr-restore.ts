// Restoring a PITR snapshot into a generation's table (DynamoDbPitrSnapshotStore.restore), and telling what a table
// a killed run left behind is as a restore (restoreOf). Apart from the store's markers because a restore outlives the
// run that asked for it: the table stays CREATING for up to hours, and the next run must recognise it, not redo it.

import {
  DescribeTableCommand, RestoreTableToPointInTimeCommand, ScanCommand, type DynamoDBClient, type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { namingCommands } from '../../domain/command-spelling.ts';
import { InvalidArgumentError, StorageError, TransientError } from '../../domain/errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import type { GenerationRestore, RestoreWait } from '../../projections/rebuild/restore-adoption.ts';
import { SnapshotNotRestorableError } from '../../projections/rebuild/snapshot-errors.ts';
import { errorName, withRetries } from './dynamodb-codec.ts';
import { deleteTable, setDeletionProtection, waitForTable, type WaitOptions } from './dynamodb-tables.ts';

/** What a restore needs of its store. */
export interface PitrRestorer {
  readonly client: DynamoDBClient;
  readonly tableFor: (projection: string, generation: number) => string;
  readonly clock: () => number;
  readonly wait: WaitOptions;
  readonly kmsKeyArn: string | undefined;
  /** Whether a restored table gets deletion protection (DynamoDbPitrSnapshotStoreOptions.deletionProtection). */
  readonly deletionProtection: boolean;
  /** Turns PITR on for a table unless it already is. */
  readonly ensurePitr: (tableName: string) => Promise<void>;
}

/** PITR's latest restorable time trails the present by about five minutes. */
const RESTORE_LAG_MS = 10 * 60_000;
/** How long a restore is waited for unless the store's options say otherwise (WaitOptions' default). */
const DEFAULT_RESTORE_WAIT_MS = 600_000;

/** RestoreTableToPointInTime into the generation's table, or wait for the same restore a killed run asked for. */
export async function restoreSnapshot(r: PitrRestorer, snapshot: SnapshotInfo, generation: number, wait: RestoreWait): Promise<void> {
  const source = r.tableFor(snapshot.projection, snapshot.generation);
  const target = r.tableFor(snapshot.projection, generation);
  if (source === target) throw new InvalidArgumentError('generation', `cannot restore generation ${generation} of ${snapshot.projection} onto itself`);
  // The wait's budget counts from here: removing the target and asking spend it too, and a rebuild function's
  // invocation must still answer (`restoring`) before its timeout.
  const budgetMs = Math.min(wait.timeoutMs ?? Infinity, r.wait.timeoutMs ?? DEFAULT_RESTORE_WAIT_MS);
  const deadline = Date.now() + budgetMs;
  const waiting = { budgetMs, leftMs: () => Math.max(0, deadline - Date.now()) };
  // A run killed during (or just after) this very restore left the table it asked for, still restoring or done:
  // wait for it rather than refuse it as not empty. Events the killed run applied on top are skipped by their keys.
  if (isRestoreOf(r, await describe(r.client, target), snapshot)) return whenRestored(r, snapshot, generation, target, waiting);
  await clearTarget(r, target, waiting.leftMs());
  try {
    await withRetries('RestoreTableToPointInTime', () => r.client.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: source, TargetTableName: target, RestoreDateTime: new Date(restoreTime(snapshot)),
      ...(r.kmsKeyArn ? { SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: r.kmsKeyArn } } : {}),
    })));
  } catch (error) {
    const name = errorName(error);
    if (name === 'InvalidRestoreTimeException' && r.clock() - snapshot.takenAt < RESTORE_LAG_MS) {
      throw new TransientError(`snapshot ${snapshot.id} is not restorable yet: PITR's latest restorable time trails by about 5 minutes; retry later`, { cause: error });
    }
    if (name === 'InvalidRestoreTimeException' || name === 'PointInTimeRecoveryUnavailableException' || name === 'TableNotFoundException') {
      // Restorable when planned (latestAtOrBefore skips the others), so it went since: the table dropped meanwhile, PITR
      // turned off, or its retention passed during a long wait. A new plan skips it too. The generation made for the
      // restore is left, empty: the caller's to drop (the next rebuild does).
      throw new SnapshotNotRestorableError(snapshot.id, source, name, { left: { projection: snapshot.projection, generation } });
    }
    // A request sent again after its answer was lost (the SDK's retry or ours) finds the table the first one made.
    if (name !== 'TableAlreadyExistsException' || !isRestoreOf(r, await describe(r.client, target), snapshot)) throw error;
  }
  await whenRestored(r, snapshot, generation, target, waiting);
}

/** What the generation's table is as a restore, if it is one: of `snapshot` or of another, still running or done. */
export async function restoreOf(r: PitrRestorer, snapshot: SnapshotInfo, generation: number): Promise<GenerationRestore | undefined> {
  const target = r.tableFor(snapshot.projection, generation);
  const table = await describe(r.client, target);
  // One being deleted is no restore to adopt or to wait for: dropping it waits until it is gone.
  if (!table?.RestoreSummary || table.TableStatus === 'DELETING') return undefined;
  const running = table.TableStatus === 'CREATING' || table.RestoreSummary.RestoreInProgress === true;
  return { of: isRestoreOf(r, table, snapshot) ? 'this' : 'another', running, storage: `table ${target}` };
}

/** What is left of a restore's wait, and what it was (for the message). */
interface Waiting { readonly budgetMs: number; readonly leftMs: () => number }

async function whenRestored(r: PitrRestorer, snapshot: SnapshotInfo, generation: number, target: string, waiting: Waiting): Promise<void> {
  try {
    await waitForTable(r.client, target, 'active', { ...r.wait, timeoutMs: waiting.leftMs() }, (status) => stuck(snapshot, generation, target, status));
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    // Worded as the rebuild function's other long waits are, so that it answers `restoring` instead of failing
    // (adapters/aws/lambda/create-rebuild.ts): a PITR restore of a big table takes hours, an invocation 15 minutes.
    throw new TransientError(`snapshot ${snapshot.id} still restoring into table ${target} after ${waiting.budgetMs} ms (a PITR restore of a big ` +
      'table takes up to hours): run the rebuild again later to resume; it waits for this restore instead of starting another', { cause: error });
  }
  // A restored table does not inherit PITR; the new generation must be snapshottable like the old one.
  await r.ensurePitr(target);
  // Deletion protection as on the generation tables the stack and the lake create: the restore request has no field
  // for it (RestoreTableToPointInTime copies no such setting), so it is set once the table is ACTIVE. Dropping the
  // generation (`dropGeneration`) turns it off first.
  if (r.deletionProtection) await setDeletionProtection(r.client, target, true, r.wait);
}

/**
 * The error for a restore's table in a status no wait ends (a KMS key it cannot use, archived, being deleted): waiting
 * for ACTIVE would answer `still restoring` at every run, for ever. Undefined while it may still become ACTIVE.
 */
function stuck(snapshot: SnapshotInfo, generation: number, target: string, status: string): Error | undefined {
  if (status === 'CREATING' || status === 'UPDATING' || status === 'GONE') return undefined;
  return namingCommands((spell) => new StorageError(`snapshot ${snapshot.id} restored into table ${target}, which is ${status} and will not become ACTIVE by waiting: ` +
    (status === 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' ? 'give the table access to its KMS key again, or ' : '') +
    `drop the generation (${spell('generations', 'drop', String(generation), '--projection', snapshot.projection)}) and run the rebuild again, which restores the snapshot anew`));
}

/** The table's description, undefined when there is none. */
async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await withRetries('DescribeTable', () => client.send(new DescribeTableCommand({ TableName: tableName }))))?.Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * The time a snapshot is restored to: its marker's time, a whole second since take() waits for one. A marker with
 * milliseconds (taken by an older version) is restored at its next whole second: PITR restores to the second, and a
 * later state than the mark's is safe (replay from the mark skips, by their keys, events it already holds), an
 * earlier one is not (events the mark counts would be missing).
 */
export function restoreTime(snapshot: SnapshotInfo): number {
  return Math.ceil(snapshot.takenAt / 1000) * 1000;
}

/** Whether the table is a restore of the snapshot's table at its time: what restoreSnapshot's request makes. */
function isRestoreOf(r: PitrRestorer, table: TableDescription | undefined, snapshot: SnapshotInfo): boolean {
  const summary = table?.RestoreSummary;
  const source = r.tableFor(snapshot.projection, snapshot.generation);
  const at = summary?.RestoreDateTime?.getTime();
  // Only the time this version asks for: a restore an older version asked for at the marker's milliseconds may hold the
  // state of the second before (PITR restores to the second), without events the mark counts. Such a restore is
  // another snapshot's: refused while it runs, then dropped and restored again at restoreTime.
  return summary?.SourceTableArn?.endsWith(`:table/${source}`) === true && at === restoreTime(snapshot);
}

/**
 * RestoreTableToPointInTime creates the table itself: an existing, still empty target is removed first, its deletion
 * protection (a generation table the lake created under its key has it) turned off before.
 */
async function clearTarget(r: PitrRestorer, target: string, timeoutMs: number): Promise<void> {
  try {
    const out = await r.client.send(new ScanCommand({ TableName: target, Limit: 1, ConsistentRead: true }));
    if ((out.Items ?? []).length > 0) throw new InvalidArgumentError('generation', `table ${target} is not empty: restore only into a new generation`);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return;
    throw error;
  }
  await setDeletionProtection(r.client, target, false, { ...r.wait, timeoutMs });
  await deleteTable(r.client, target, { ...r.wait, timeoutMs });
}
