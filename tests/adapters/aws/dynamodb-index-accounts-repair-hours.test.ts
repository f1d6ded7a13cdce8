// repairIndexAccounts on a lake of many hours (s3rver and DynamoDB Local): the index is walked hour by hour, so the
// entries held at once are bounded by the hours in hand, not the index; far-apart hours are all found; the report is
// the one a whole-index pass gives; the updates of one segment's entries run a few at a time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { repairIndexAccounts, type AccountsRepairSources } from '../../../adapters/aws/dynamodb-index-accounts-repair.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EVENT_INDEX_TABLE, INDEX_ATTR as A } from '../../../adapters/aws/table-keys.ts';
import { accountsOf, eventId, partitionPrefix, segmentKey, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import type { StorageClass } from '../../../domain/ports/storage.ts';
import { accountFieldsRegistry, cardPayment, feeCharged, transfer } from '../../support/account-fields.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';

const HOUR = 3600;
const T0 = 1_700_000_000 - (1_700_000_000 % HOUR);
const registry = accountFieldsRegistry();
const known = new Set(registry.types().map((t) => t.type));
const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);

/** A lake whose index knows `entries` (indexed without the declarations), and the sources of its repair. */
async function lakeOf(entries: NewIndexEntry[]): Promise<AccountsRepairSources> {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'acct-repair-hours');
  await new DynamoDbEventIndex({ client: db.client, tableName: table }).put(entries);
  return { dynamodb: db.client, table, s3: s3.client, bucket: s3.bucket, accountsOf: registry.accountsOf, knowsType: (t) => known.has(t) };
}

/** `events` stored one per object and indexed in `storageClass`. */
async function oneEventObjects(events: DomainEvent[], storageClass: StorageClass = 'STANDARD'): Promise<NewIndexEntry[]> {
  const stored = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).append(events);
  return stored.map((r, i) => entryOf(events[i]!, r.location, r.size, storageClass));
}

const entryOf = (event: DomainEvent, location: NewIndexEntry['location'], size: number, storageClass: StorageClass = 'STANDARD'): NewIndexEntry => ({
  id: eventId(event), type: event.EventType, timestamp: event.EventTimeStamp, accounts: accountsOf(event),
  location, size, storageClass, restore: 'NONE',
});

/** `perHour` card payments in each of `hours` consecutive hours, numbered from `first`. */
const cardPayments = (hours: number, perHour: number, first = 1) => Array.from({ length: hours * perHour }, (_, i) =>
  cardPayment(first + i, T0 + Math.floor(i / perHour) * HOUR + (i % perHour), `CARD-${first + i}`));

/** What a watch sees of one command `client` sends: its name, and the call that sends it. */
type Watch = (command: string, send: () => Promise<{ output: unknown }>) => Promise<{ output: unknown }>;

/** Runs `fn` with `watch` around every command `client` sends. */
async function watching(client: DynamoDBClient, watch: Watch, fn: () => Promise<unknown>): Promise<void> {
  const name = `watch-${Math.random()}`;
  client.middlewareStack.add((next, context) => (args) => watch(String(context['commandName']), () => next(args)) as ReturnType<typeof next>, { step: 'initialize', name });
  try {
    await fn();
  } finally {
    client.middlewareStack.remove(name);
  }
}

/**
 * Entries the repair has read from the index and not yet settled, at most, while `fn` runs: items carrying an
 * object key count when a read answers, and leave when their UpdateItem answers (every entry here needs one).
 */
async function mostHeldDuring(client: DynamoDBClient, fn: () => Promise<unknown>): Promise<number> {
  let held = 0;
  let most = 0;
  await watching(client, async (command, send) => {
    const result = await send();
    if (command === 'UpdateItemCommand') held--;
    const items = (result.output as { Items?: Record<string, unknown>[] }).Items ?? [];
    if (command === 'ScanCommand' || command === 'QueryCommand') held += items.filter((item) => A.objectKey in item).length;
    most = Math.max(most, held);
    return result;
  }, fn);
  return most;
}

/** UpdateItems in flight at once, at most, while `fn` runs. */
async function mostUpdatesInFlight(client: DynamoDBClient, fn: () => Promise<unknown>): Promise<number> {
  let inFlight = 0;
  let most = 0;
  await watching(client, async (command, send) => {
    if (command !== 'UpdateItemCommand') return send();
    most = Math.max(most, ++inFlight);
    try {
      return await send();
    } finally {
      inFlight--;
    }
  }, fn);
  return most;
}

const test = suite('repairIndexAccounts: hour by hour');
test.before.each(() => s3.empty());

test('with one object read at a time, the entries held never exceed one hour\'s: an hour is repaired before the next is read', async () => {
  const sources = await lakeOf(await oneEventObjects(cardPayments(6, 3)));
  const most = await mostHeldDuring(db.client, async () => {
    const report = await repairIndexAccounts({ ...sources, concurrency: 1 });
    assert.is(report.updated, 18);
  });
  assert.is(most, 3, `${most} entries held at once; one hour holds 3`);
});

test('with four objects read at once, the entries held never exceed five hours\' (the four in flight and the next)', async () => {
  const sources = await lakeOf(await oneEventObjects(cardPayments(12, 3)));
  const most = await mostHeldDuring(db.client, async () => {
    const report = await repairIndexAccounts({ ...sources, concurrency: 4 });
    assert.is(report.updated, 36);
  });
  assert.ok(most <= 15, `${most} entries held at once; five hours hold 15`);
});

test('hours far apart, from 1970 to the last year the index keys, are all repaired', async () => {
  const times = [0, 5 * HOUR + 7, T0, 32_503_680_000, 999_999_999_999];
  const sources = await lakeOf(await oneEventObjects(times.map((t, i) => cardPayment(i + 1, t, `CARD-${i + 1}`))));
  const report = await repairIndexAccounts(sources);
  assert.equal([report.scanned, report.updated, report.byType['card_payment']?.updated], [5, 5, 5]);
});

test('the report over many hours counts per type, lists archived objects sorted and once, and unknown types by count', async () => {
  const unknown = (n: number, at: number) => ({ ...transfer(n, at, 'ACC-1', 'ACC-2'), EventType: 'loyalty_points' }) as DomainEvent;
  const fee = feeCharged(50, T0 + HOUR, 'ACC-9', 'ACC-8');
  const hot = await oneEventObjects([...cardPayments(3, 2), fee, unknown(60, T0), unknown(61, T0 + 2 * HOUR)]);
  // Indexed by an indexer that already had the declaration.
  hot[6] = { ...hot[6]!, accounts: registry.accountsOf(fee) };
  const archived = await oneEventObjects([cardPayment(70, T0 + 2 * HOUR + 5, 'CARD-70'), cardPayment(71, T0 + 5, 'CARD-71')], 'GLACIER');
  const report = await repairIndexAccounts(await lakeOf([...hot, ...archived]));
  const keys = archived.map((e) => e.location.key).sort();
  assert.equal(report, {
    scanned: 9, updated: 6, alreadyRight: 1, archivedSkipped: 2, changedConcurrently: 0, missing: 0,
    byType: {
      card_payment: { scanned: 8, updated: 6, alreadyRight: 0, archivedSkipped: 2, changedConcurrently: 0, missing: 0 },
      fee_charged: { scanned: 1, updated: 0, alreadyRight: 1, archivedSkipped: 0, changedConcurrently: 0, missing: 0 },
    },
    archivedObjects: keys.map((key) => ({ key, storageClass: 'GLACIER', entries: 1 })),
    unknownTypes: [{ type: 'loyalty_points', entries: 2 }],
    digestsRecorded: 7, // indexed without digests: every readable entry of a known type
  });
});

test('an archived object named by entries of two hours (not written by eventlake) is listed once with all of them', async () => {
  const [a, b] = [cardPayment(1, T0 + 5, 'CARD-1'), cardPayment(2, T0 + HOUR + 5, 'CARD-2')];
  const location = { key: segmentKey(partitionPrefix(T0)) };
  const report = await repairIndexAccounts(await lakeOf([entryOf(a, location, 100, 'GLACIER'), entryOf(b, location, 100, 'GLACIER')]));
  assert.equal(report.archivedObjects, [{ key: location.key, storageClass: 'GLACIER', entries: 2 }]);
  assert.is(report.archivedSkipped, 2);
});

test('the entries of one segment are updated a few at a time, not one after the other, and all of them', async () => {
  const events = cardPayments(1, 24);
  const key = segmentKey(partitionPrefix(T0));
  const { locations } = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).writeSegment(key, events.map(serializeEvent));
  const sources = await lakeOf(events.map((e, i) => entryOf(e, locations[i]!, locations[i]!.length!)));
  const most = await mostUpdatesInFlight(db.client, async () => {
    const report = await repairIndexAccounts(sources);
    assert.equal([report.scanned, report.updated], [24, 24]);
  });
  assert.ok(most > 1 && most <= 8, `${most} UpdateItems in flight at once`);
});

test.run();
