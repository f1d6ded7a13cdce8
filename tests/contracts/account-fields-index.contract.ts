// Contract: an EventIndex finds events by the accounts their schemas declare (x-eventlake-accounts), when its entries
// carry the accounts the registry derives (registry.accountsOf), as the indexers put them. Every adapter must pass.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId, eventKey, type DomainEvent } from '../../domain/event.ts';
import type { EventIndex, NewIndexEntry } from '../../domain/ports/event-index.ts';
import { accountFieldsRegistry, cardPayment, feeCharged, transfer } from '../support/account-fields.ts';

type Subject = { subject: EventIndex; cleanup?: () => Promise<void> };

const T0 = 1_700_000_000;
const registry = accountFieldsRegistry();
const EVENTS: readonly DomainEvent[] = [
  cardPayment(1, T0, 'CARD-0001', 'SHOP-0001'),
  feeCharged(2, T0 + 1, 'ACC-000001', 'CARD-0001'),
  feeCharged(3, T0 + 2, 'ACC-000002'),
  transfer(4, T0 + 3, 'ACC-000001', 'ACC-000002'),
];

const entryOf = (event: DomainEvent): NewIndexEntry => ({
  id: eventId(event), type: event.EventType, timestamp: event.EventTimeStamp, accounts: registry.accountsOf(event),
  location: { key: eventKey(event) }, size: 200, storageClass: 'STANDARD', restore: 'NONE',
});

/** The RequestId numbers of the events `accounts` finds, in index order. */
async function found(index: EventIndex, accounts: string[]): Promise<number[]> {
  const out: number[] = [];
  for await (const e of index.between({ from: T0, to: T0 + 10, accounts })) out.push(Number(e.id.slice(-12)));
  return out;
}

/**
 * Runs the contract against the index `makeSubject` builds (fresh and empty per test).
 *
 * @example
 * accountFieldsIndexContract('SqliteEventIndex', async () => ({ subject: new SqliteEventIndex(join(tempDir(), 'index.db')) }));
 */
export function accountFieldsIndexContract(name: string, makeSubject: () => Promise<Subject>): void {
  const test = suite<{ index: EventIndex; cleanup?: () => Promise<void> }>(`declared account fields in the index: ${name}`, { index: undefined as never });
  test.before.each(async (ctx) => {
    const { subject, cleanup } = await makeSubject();
    ctx.index = subject;
    ctx.cleanup = cleanup;
    await subject.put(EVENTS.map(entryOf));
  });
  test.after.each(async (ctx) => {
    await ctx.cleanup?.();
  });

  test('an event is found by the account its schema declares (CardAccount of card_payment)', async ({ index }) => {
    assert.equal(await found(index, ['CARD-0001']), [1, 2]);
  });

  test('a field named TargetAccount is no account of a type that declares others (the merchant of a card payment)', async ({ index }) => {
    assert.equal(await found(index, ['SHOP-0001']), []);
  });

  test('a type declaring two account fields is found by either (Account, WaivedFor of fee_charged)', async ({ index }) => {
    assert.equal((await index.get(eventId(EVENTS[1]!)))?.accounts, ['ACC-000001', 'CARD-0001']);
    assert.equal(await found(index, ['ACC-000001']), [2, 4]);
  });

  test('an event lacking an optional account field is indexed under the others', async ({ index }) => {
    assert.equal((await index.get(eventId(EVENTS[2]!)))?.accounts, ['ACC-000002']);
    assert.equal(await found(index, ['ACC-000002']), [3, 4]);
  });

  test('a built-in type keeps SourceAccount and TargetAccount', async ({ index }) => {
    assert.equal((await index.get(eventId(EVENTS[3]!)))?.accounts, ['ACC-000001', 'ACC-000002']);
  });

  test.run();
}
