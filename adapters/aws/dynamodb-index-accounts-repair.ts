// `repair index --target aws`, accounts: every index entry's accounts re-derived from its event in S3 with the
// schemas the command loads, so an event stored before its type declared `x-eventlake-accounts` is found by account.
//
// Why object by object: a segment holds many events, so each log object is read once (one GET) and every entry
// naming it is checked against its events; archived objects cannot be read and are left, counted, for a restore.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { ArchivedEventError } from '../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { mapLimit } from '../../projections/map-limit.ts';
import { readStr, readStrList, scanItems, str, type Item } from './dynamodb-codec.ts';
import { updateAccounts } from './dynamodb-index-accounts-update.ts';
import { entryKey } from './dynamodb-index-items.ts';
import { S3EventLog } from './s3-event-log.ts';
import { INDEX_ATTR as A, INDEX_PREFIX } from './table-keys.ts';

/** Counts of one event type (or of the whole index). */
export interface AccountsRepairCounts {
  scanned: number;
  updated: number;
  alreadyRight: number;
  archivedSkipped: number;
  /** Entries whose accounts another writer changed during the repair: left as that writer put them. */
  changedConcurrently: number;
  /** Entries naming an event their object no longer holds, or removed during the repair. */
  missing: number;
}

/** What the account re-derivation did. */
export interface IndexAccountsRepair extends AccountsRepairCounts {
  readonly byType: Record<string, AccountsRepairCounts>;
  /** Objects left unread because they are archived (GLACIER, DEEP_ARCHIVE without a restored copy). */
  readonly archivedObjects: { key: string; storageClass: string; entries: number }[];
  /** Types no loaded schema knows: their entries are left untouched. */
  readonly unknownTypes: { type: string; entries: number }[];
}

/** Where the repair reads and writes, and how it derives accounts. */
export interface AccountsRepairSources {
  readonly dynamodb: DynamoDBClient;
  readonly table: string;
  readonly s3: S3Client;
  readonly bucket: string;
  /** The accounts an event is indexed under (`registry.accountsOf`). */
  readonly accountsOf: (event: DomainEvent) => string[];
  /** Whether a loaded schema knows `type`. */
  readonly knowsType: (type: string) => boolean;
  /** Objects read at once (default 4). */
  readonly concurrency?: number;
}

interface Entry { readonly key: Item; readonly id: string; readonly type: string; readonly accounts: string[]; readonly storageClass: string; readonly restore: string }

const zero = (): AccountsRepairCounts => ({ scanned: 0, updated: 0, alreadyRight: 0, archivedSkipped: 0, changedConcurrently: 0, missing: 0 });

const isArchived = (e: Entry) => e.storageClass !== 'STANDARD' && e.restore !== 'RESTORED';

/**
 * Re-derive the accounts of every entry of `table` from its event, and update the entries whose stored accounts
 * differ (conditionally: dynamodb-index-accounts-update.ts). Safe to re-run: a second run finds every entry right.
 *
 * @example
 * const report = await repairIndexAccounts({ dynamodb, table, s3, bucket, accountsOf: registry.accountsOf, knowsType });
 */
export async function repairIndexAccounts(sources: AccountsRepairSources): Promise<IndexAccountsRepair> {
  const report = { ...zero(), byType: {} as Record<string, AccountsRepairCounts>, archivedObjects: [] as IndexAccountsRepair['archivedObjects'] };
  const unknown = new Map<string, number>();
  const byObject = new Map<string, Entry[]>();
  for await (const item of scanItems(sources.dynamodb, {
    TableName: sources.table, ConsistentRead: true, FilterExpression: 'begins_with(#pk, :h)',
    ExpressionAttributeNames: { '#pk': A.hour }, ExpressionAttributeValues: { ':h': str(INDEX_PREFIX.hour) },
  })) {
    const e = entryOf(item);
    if (!sources.knowsType(e.type)) { unknown.set(e.type, (unknown.get(e.type) ?? 0) + 1); continue; }
    const objectKey = readStr(item, A.objectKey);
    // Pushed, not spread into a new array: a segment's entries would be copied once per entry (quadratic).
    const group = byObject.get(objectKey);
    if (group) group.push(e);
    else byObject.set(objectKey, [e]);
  }
  const count = (type: string, field: keyof AccountsRepairCounts, n = 1) => {
    const t = (report.byType[type] ??= zero());
    t[field] += n;
    report[field] += n;
  };
  const log = new S3EventLog({ client: sources.s3, bucket: sources.bucket });
  await mapLimit([...byObject], sources.concurrency ?? 4, async ([objectKey, entries]) => {
    for (const e of entries) count(e.type, 'scanned');
    const events = isArchived(entries[0]!) ? undefined : await eventsOf(log, objectKey);
    if (!events) {
      for (const e of entries) count(e.type, 'archivedSkipped');
      report.archivedObjects.push({ key: objectKey, storageClass: entries[0]!.storageClass, entries: entries.length });
      return;
    }
    for (const e of entries) {
      const event = events.get(e.id);
      const outcome = event ? await updateAccounts(sources.dynamodb, sources.table, e.key, e.accounts, sources.accountsOf(event)) : 'gone';
      count(e.type, outcome === 'updated' ? 'updated' : outcome === 'already-right' ? 'alreadyRight' : outcome === 'gone' ? 'missing' : 'changedConcurrently');
    }
  });
  report.archivedObjects.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { ...report, unknownTypes: [...unknown].sort().map(([type, entries]) => ({ type, entries })) };
}

function entryOf(item: Item): Entry {
  return {
    key: entryKey({ id: readStr(item, A.id), timestamp: Number(item[A.timestamp]?.N) }),
    id: readStr(item, A.id), type: readStr(item, A.type), accounts: readStrList(item, A.accounts),
    storageClass: item[A.storageClass]?.S ?? 'STANDARD', restore: item[A.restore]?.S ?? 'NONE',
  };
}

/** The events of one object by id (one GET), or undefined when S3 says it is archived. */
async function eventsOf(log: S3EventLog, objectKey: string): Promise<Map<string, DomainEvent> | undefined> {
  const events = new Map<string, DomainEvent>();
  try {
    for await (const { event } of log.readObject(objectKey)) events.set(eventId(event), event);
  } catch (error) {
    if (error instanceof ArchivedEventError) return undefined;
    throw error;
  }
  return events;
}
