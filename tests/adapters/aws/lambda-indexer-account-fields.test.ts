// The indexer Lambda indexes a user type under the accounts its schema declares (x-eventlake-accounts), as the local
// indexer does; without the registry's fields it keeps the built-in SourceAccount / TargetAccount.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createIndexer, type IndexerDeps } from '../../../adapters/aws/lambda/create-indexer.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey } from '../../../domain/event.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import type { LocatedEvent } from '../../../domain/ports/event-log.ts';
import { accountFieldsRegistry, cardPayment, feeCharged } from '../../support/account-fields.ts';
import { objectCreated } from '../../support/s3-notifications.ts';

const AT = 1_710_000_000;

/** Indexes `event`'s one-event object and returns the accounts of its entry. */
async function indexedAccounts(event: DomainEvent, accountsOf?: IndexerDeps['accountsOf']): Promise<readonly string[]> {
  const indexed: NewIndexEntry[] = [];
  const handler = createIndexer({
    log: {
      async *readObject(key: string): AsyncIterable<LocatedEvent> { if (key === eventKey(event)) yield { event, location: { key } }; },
      read: async () => { throw new Error('present objects are read whole'); },
    },
    index: { put: async (entries) => { indexed.push(...entries); return entries.map((e, i) => ({ ...e, position: i + 1 })); }, setObjectStorage: async () => {}, get: async () => undefined },
    archive: { storage: async () => [] },
    dispatcher: { publish: async (events) => events.map((e) => ({ id: eventId(e), status: 'published' as const })) },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    metrics: { addMetric() {} },
    ...(accountsOf ? { accountsOf } : {}),
  });
  await handler(objectCreated(eventKey(event)));
  assert.is(indexed.length, 1);
  return indexed[0]!.accounts;
}

const test = suite('indexer Lambda: declared account fields');

test('a card payment is indexed under its declared CardAccount, not the merchant TargetAccount its schema leaves out', async () => {
  assert.equal(await indexedAccounts(cardPayment(1, AT, 'CARD-1', 'SHOP-9'), accountFieldsRegistry().accountsOf), ['CARD-1']);
});

test('a type declaring two account fields is indexed under both', async () => {
  assert.equal(await indexedAccounts(feeCharged(2, AT, 'ACC-1', 'ACC-2'), accountFieldsRegistry().accountsOf), ['ACC-1', 'ACC-2']);
});

test('without the registry\'s fields the indexer reads SourceAccount / TargetAccount, as before', async () => {
  assert.equal(await indexedAccounts(cardPayment(3, AT, 'CARD-1', 'SHOP-9')), ['SHOP-9']);
});

test.run();
