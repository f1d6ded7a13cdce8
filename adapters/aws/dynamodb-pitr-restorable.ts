// Whether DynamoDB can still restore a snapshot marker. The marker is the store's, the history it points into is
// DynamoDB's: PITR keeps only the table's recovery period (35 days unless RecoveryPeriodInDays says fewer), loses it
// when PITR is turned off, and keeps nothing restorable in place of a deleted table (`generations drop`).

import { DescribeContinuousBackupsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { errorName, withRetries } from './dynamodb-codec.ts';
import { restoreTime } from './dynamodb-pitr-restore.ts';

/** What DescribeContinuousBackups says of a table's PITR history. */
type PitrHistory = { readonly table: 'gone' } | { readonly table: 'off' } | { readonly table: 'on'; readonly earliest: Date | undefined };

/**
 * Errors saying there is no table to restore from: TableNotFoundException is DescribeContinuousBackups' documented one;
 * the other two are how other DynamoDB calls (and emulators) word a missing table or one without backups.
 */
const NO_TABLE = new Set(['TableNotFoundException', 'ResourceNotFoundException', 'ContinuousBackupsUnavailableException']);

/**
 * Why DynamoDB would refuse to restore a snapshot, or undefined when nothing it says stands against it.
 * Each checker asks DynamoDB once per table, however many markers of that generation it is given: make one per call
 * (list, latestAtOrBefore), so a later call sees a table dropped or a retention passed since.
 *
 * Only what DynamoDB states counts against a marker (a table not found, PITR DISABLED, an EarliestRestorableDateTime
 * after the marker's restore time): wrongly calling one unrestorable costs a replay of the whole log, or, through
 * `snapshot prune`, the marker itself; wrongly keeping one is still refused by the restore, with its way forward.
 */
export function restorabilityChecker(client: DynamoDBClient, tableFor: (projection: string, generation: number) => string): (snapshot: SnapshotInfo) => Promise<string | undefined> {
  const histories = new Map<string, PitrHistory>();
  return async (snapshot) => {
    const table = tableFor(snapshot.projection, snapshot.generation);
    let history = histories.get(table);
    if (!history) histories.set(table, history = await describeHistory(client, table));
    if (history.table === 'gone') return 'table gone';
    if (history.table === 'off') return 'PITR off';
    const at = restoreTime(snapshot);
    if (history.earliest && history.earliest.getTime() > at) return `before PITR's earliest restorable time ${history.earliest.toISOString()}`;
    return undefined;
  };
}

async function describeHistory(client: DynamoDBClient, table: string): Promise<PitrHistory> {
  try {
    const out = await withRetries('DescribeContinuousBackups', () => client.send(new DescribeContinuousBackupsCommand({ TableName: table })));
    const description = out?.ContinuousBackupsDescription;
    const pitr = description?.PointInTimeRecoveryDescription;
    if (description?.ContinuousBackupsStatus === 'DISABLED' || pitr?.PointInTimeRecoveryStatus === 'DISABLED') return { table: 'off' };
    return { table: 'on', earliest: pitr?.EarliestRestorableDateTime };
  } catch (error) {
    if (NO_TABLE.has(errorName(error) ?? '')) return { table: 'gone' };
    throw error;
  }
}
