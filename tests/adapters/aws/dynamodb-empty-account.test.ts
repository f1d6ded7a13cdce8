// A stored event's declared account field may be any string its schema allowed, the empty one and a huge one too
// (validation refuses both in new events, but not in events stored before it did): an account no index can key is
// indexed under none. Why it matters: DynamoDB refuses an empty string, or one over 2048 bytes, as a GSI key
// (acct0/acct1), so the indexer Lambda's put of the whole object failed on every retry and its events were never indexed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { eventId, eventKey, type DomainEvent } from '../../../domain/event.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { ACCOUNT_FIELDS_SCHEMAS } from '../../support/account-fields.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { tempDir } from '../../support/tmp.ts';

const T0 = 1_700_000_000;

/** fee_charged v1 with its two account fields loosened to any string, the empty one included. */
function looseRegistry(): SchemaRegistry {
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'fee_charged.v1.json'), 'utf8')) as Record<string, unknown>;
  const properties = schema['properties'] as Record<string, unknown>;
  properties['Account'] = { type: 'string' };
  properties['WaivedFor'] = { type: 'string' };
  const dir = tempDir();
  writeFileSync(join(dir, 'fee_charged.v1.json'), JSON.stringify(schema));
  return SchemaRegistry.load({ folders: [dir] });
}

const fee = (n: number, account: string, waivedFor: string): DomainEvent => ({
  EventType: 'fee_charged', SchemaVersion: 1, RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: T0 + n,
  Account: account, WaivedFor: waivedFor, Amount: '1.00',
});

const test = suite('declared account fields holding an empty or oversized string');

test('an empty account field is not one of the event\'s accounts', () => {
  const registry = looseRegistry();
  assert.equal(registry.accountsOf(registry.validateStored(fee(1, '', 'ACC-000001'))), ['ACC-000001']);
  assert.equal(registry.accountsOf(registry.validateStored(fee(2, '', ''))), []);
});

test('an account over 2048 UTF-8 bytes is not one of the event\'s accounts; one of 2048 is', () => {
  const registry = looseRegistry();
  assert.equal(registry.accountsOf(registry.validateStored(fee(1, 'é'.repeat(1025), 'ACC-000001'))), ['ACC-000001']);
  assert.equal(registry.accountsOf(registry.validateStored(fee(2, 'é'.repeat(1024), 'ACC-000001'))), ['é'.repeat(1024), 'ACC-000001']);
});

test('DynamoDbEventIndex indexes such events, under their other account', async () => {
  const registry = looseRegistry();
  const db = await dynamoDb();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'index');
  try {
    const index = new DynamoDbEventIndex({ client: db.client, tableName });
    const events = [fee(1, '', 'ACC-000001'), fee(2, '', ''), fee(3, 'A'.repeat(3000), 'ACC-000001')].map((e) => registry.validateStored(e));
    await index.put(events.map((e) => ({
      id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: registry.accountsOf(e),
      location: { key: eventKey(e) }, size: 200, storageClass: 'STANDARD', restore: 'NONE',
    })));
    const found: string[] = [];
    for await (const e of index.between({ from: T0, to: T0 + 10, accounts: ['ACC-000001'] })) found.push(e.id);
    assert.equal(found, [eventId(events[0]!), eventId(events[2]!)]);
    assert.ok(await index.get(eventId(events[1]!)), 'the event with no account is indexed too');
  } finally {
    await db.deleteTable(tableName);
  }
});

test.run();
