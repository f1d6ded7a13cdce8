// repair index --target aws (repairIndexAccounts, s3rver and DynamoDB Local) records the content digest of every entry
// of a readable object indexed before digests; an archived object's entries are left without one until a restore.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { repairIndexAccounts } from '../../../adapters/aws/dynamodb-index-accounts-repair.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import type { StorageClass } from '../../../domain/ports/storage.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import { accountFieldsRegistry, cardPayment } from '../../support/account-fields.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';

const T0 = 1_700_000_000;
const registry = accountFieldsRegistry();
const known = new Set(registry.types().map((t) => t.type));
const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);

/** `events` stored one per object and indexed as a version before digests indexed them (no digest), in `classes[i]`. */
async function lakeWithoutDigests(events: DomainEvent[], classes: StorageClass[]) {
  const table = await db.createTable(EVENT_INDEX_TABLE, 'digest-repair');
  const index = new DynamoDbEventIndex({ client: db.client, tableName: table });
  const stored = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).append(events);
  await index.put(stored.map((r, i) => ({
    id: r.id, type: events[i]!.EventType, timestamp: events[i]!.EventTimeStamp, accounts: registry.accountsOf(events[i]!),
    location: r.location, size: r.size, storageClass: classes[i]!, restore: 'NONE' as const,
  })));
  const sources = { dynamodb: db.client, table, s3: s3.client, bucket: s3.bucket, accountsOf: registry.accountsOf, knowsType: (t: string) => known.has(t) };
  return { index, sources };
}

const test = suite('repair index --target aws: content digests');

test('the repair records the digest of entries of readable objects, not of archived ones, and a re-run records none', async () => {
  const [hot, cold] = [cardPayment(1, T0, 'CARD-1'), cardPayment(2, T0 + 1, 'CARD-2')];
  const { index, sources } = await lakeWithoutDigests([hot, cold], ['STANDARD', 'GLACIER']);
  const report = await repairIndexAccounts(sources);
  assert.is(report.digestsRecorded, 1);
  assert.is((await index.get(eventId(hot)))?.digest, eventDigest(hot));
  assert.is((await index.get(eventId(cold)))?.digest, undefined);
  assert.is((await repairIndexAccounts(sources)).digestsRecorded, 0);
});

test.run();
