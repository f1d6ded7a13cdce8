// `repair index --target aws`, accounts: every index entry's accounts re-derived from its event in S3 with the
// schemas the command loads, so an event stored before its type declared `x-eventlake-accounts` is found by account.
//
// Why object by object: a segment holds many events, so each log object is read once (one GET) and every entry
// naming it is checked against its events; archived objects cannot be read and are left, counted, for a restore.
// Why hour by hour: an object's entries all lie in one hour (dynamodb-index-accounts-walk.ts), so the index is read
// one hour at a time as objects are repaired, never whole.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { ArchivedEventError, EventNotFoundError } from '../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { eventDigest } from '../../projections/event-digest.ts';
import { mapLimit } from '../../projections/map-limit.ts';
import { updateAccounts, type AccountsUpdate } from './dynamodb-index-accounts-update.ts';
import { objectsByHour, type RepairEntry } from './dynamodb-index-accounts-walk.ts';
import { recordDigest } from './dynamodb-index-digest-update.ts';
import { entryHours } from './dynamodb-index-hours-scan.ts';
import { eachLimit } from './each-limit.ts';
import { S3EventLog } from './s3-event-log.ts';

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
  /**
   * Entries of readable objects whose content digest was missing (indexed before digests) and is now recorded, so a
   * resend of their event is compared once the object is archived. Archived objects' entries stay without one.
   */
  readonly digestsRecorded: number;
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
  /**
   * Objects read at once (default 4). Entries held at once are at most those of this many hours and one more: each
   * object in flight may be an hour's segment, and the next hour is read while they finish.
   */
  readonly concurrency?: number;
  /**
   * The hours holding entries, ascending (entryHours), when the caller has scanned them already: the repair then
   * scans nothing. Default: one key-only Scan of the table.
   */
  readonly hours?: readonly number[];
}

const zero = (): AccountsRepairCounts => ({ scanned: 0, updated: 0, alreadyRight: 0, archivedSkipped: 0, changedConcurrently: 0, missing: 0 });

/** UpdateItems of one object's entries in flight at once (so at most concurrency × this for the repair). */
const UPDATES_PER_OBJECT = 8;

/** The count an update's outcome adds to (an entry gone from the index counts as missing). */
const COUNTED_AS: Record<AccountsUpdate, keyof AccountsRepairCounts> = {
  'updated': 'updated', 'already-right': 'alreadyRight', 'changed-concurrently': 'changedConcurrently', 'gone': 'missing',
};

const isArchived = (e: RepairEntry) => e.storageClass !== 'STANDARD' && e.restore !== 'RESTORED';

/**
 * Re-derive the accounts of every entry of `table` from its event, and update the entries whose stored accounts
 * differ (conditionally: dynamodb-index-accounts-update.ts). Safe to re-run: a second run finds every entry right.
 * Reads one key-only Scan (the hours holding entries, unless `hours` gives them), then one Query per hour as its objects' turn comes, so an
 * index of millions of entries is never held whole (see `concurrency` for the bound).
 *
 * @example
 * const report = await repairIndexAccounts({ dynamodb, table, s3, bucket, accountsOf: registry.accountsOf, knowsType });
 */
export async function repairIndexAccounts(sources: AccountsRepairSources): Promise<IndexAccountsRepair> {
  const report = { ...zero(), byType: {} as Record<string, AccountsRepairCounts> };
  let digestsRecorded = 0;
  const unknown = new Map<string, number>();
  // By key: should an object's entries ever span two hours, it is still listed once.
  const archived = new Map<string, { storageClass: string; entries: number }>();
  const count = (type: string, field: keyof AccountsRepairCounts) => {
    (report.byType[type] ??= zero())[field]++;
    report[field]++;
  };
  const log = new S3EventLog({ client: sources.s3, bucket: sources.bucket });
  const hours = sources.hours ?? await entryHours(sources.dynamodb, sources.table);
  const walk = { client: sources.dynamodb, table: sources.table, knowsType: sources.knowsType, onUnknown: (type: string) => unknown.set(type, (unknown.get(type) ?? 0) + 1) };
  // One object per lane, pulled when the lane is free: the walk reads the next hour only once this one is handed out.
  await eachLimit(objectsByHour(walk, hours), sources.concurrency ?? 4, async ({ key, entries }) => {
    for (const e of entries) count(e.type, 'scanned');
    const events = isArchived(entries[0]!) ? undefined : await eventsOf(log, key);
    if (!events) {
      for (const e of entries) count(e.type, 'archivedSkipped');
      const seen = archived.get(key);
      archived.set(key, { storageClass: seen?.storageClass ?? entries[0]!.storageClass, entries: (seen?.entries ?? 0) + entries.length });
      return;
    }
    // Each entry is its own item under its own condition, so a segment's updates need not wait on one another.
    await mapLimit(entries, UPDATES_PER_OBJECT, async (e) => {
      const event = events.get(e.id);
      const outcome = event ? await updateAccounts(sources.dynamodb, sources.table, e.key, e.accounts, sources.accountsOf(event)) : 'gone';
      count(e.type, COUNTED_AS[outcome]);
      const digest = event && outcome !== 'gone' ? eventDigest(event) : undefined;
      if (digest !== undefined && e.digest !== digest && (await recordDigest(sources.dynamodb, sources.table, e.key, digest)) === 'recorded') digestsRecorded++;
    });
  });
  return {
    ...report,
    archivedObjects: [...archived].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, o]) => ({ key, ...o })),
    unknownTypes: [...unknown].sort().map(([type, entries]) => ({ type, entries })),
    digestsRecorded,
  };
}

/** The events of one object by id (one GET), or undefined when S3 says it is archived. */
async function eventsOf(log: S3EventLog, objectKey: string): Promise<Map<string, DomainEvent> | undefined> {
  const events = new Map<string, DomainEvent>();
  try {
    for await (const { event } of log.readObject(objectKey)) events.set(eventId(event), event);
  } catch (error) {
    if (error instanceof ArchivedEventError) return undefined;
    // Compacted (or removed) since its hour was queried: its entries count as missing, and a re-run finds them in
    // the segment that now holds them; failing here would stop the repair of every other hour.
    if (error instanceof EventNotFoundError) return new Map();
    throw error;
  }
  return events;
}
