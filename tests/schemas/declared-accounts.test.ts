// The indexer function reads account declarations from the schema files without compiling them
// (schemas/declared-accounts.ts): it must answer exactly what the registry that loads the same folders answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { declaredAccountsOf } from '../../schemas/declared-accounts.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment, feeCharged, transfer } from '../support/account-fields.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('declared accounts read from schema files');
const AT = 1_710_000_000;

const events = [
  cardPayment(1, AT, 'CARD-1', 'SHOP-9'), feeCharged(2, AT, 'ACC-1', 'ACC-2'), feeCharged(3, AT, 'ACC-1'), feeCharged(4, AT, '', 'ACC-2'),
  transfer(5, AT, 'ACC-1', 'ACC-2'), ...Object.values(SAMPLES),
  { ...cardPayment(6, AT, 'CARD-2', 'SHOP-9'), SchemaVersion: 7 },
];

test('with the fixture folder, every event gets the accounts the registry gives it', () => {
  const registry = SchemaRegistry.load({ folders: [ACCOUNT_FIELDS_SCHEMAS] });
  const read = declaredAccountsOf([ACCOUNT_FIELDS_SCHEMAS]);
  for (const event of events) assert.equal(read(event), registry.accountsOf(event), `${event.EventType} ${String(event.RequestId)}`);
  assert.equal(read(cardPayment(1, AT, 'CARD-1', 'SHOP-9')), ['CARD-1'], 'the declaration is used, not TargetAccount');
});

test('without folders, the built-in SourceAccount / TargetAccount', () => {
  const registry = SchemaRegistry.load();
  const read = declaredAccountsOf([]);
  for (const event of events) assert.equal(read(event), registry.accountsOf(event), event.EventType);
  assert.equal(read(cardPayment(1, AT, 'CARD-1', 'SHOP-9')), ['SHOP-9']);
});

test.run();
