// Schemas name their account fields with x-eventlake-accounts: the registry loads, refuses and answers them, and
// `schemas check` reports an unusable declaration.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { queryCatalogue, QUERY_CATALOGUE } from '../../domain/query-catalogue.ts';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { ACCOUNT_FIELDS_SCHEMAS, accountFieldsRefusal, accountFieldsRegistry, cardPayment, feeCharged, transfer } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_700_000_000;
const CARD = join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json');

/** A folder holding card_payment v1 with `change` applied to its schema. */
function cardSchemaWith(change: (schema: Record<string, unknown>) => void): string {
  const schema = JSON.parse(readFileSync(CARD, 'utf8')) as Record<string, unknown>;
  change(schema);
  const dir = tempDir();
  writeFileSync(join(dir, 'card_payment.v1.json'), JSON.stringify(schema));
  return dir;
}
const declaring = (fields: unknown) => cardSchemaWith((s) => { s['x-eventlake-accounts'] = fields; });
const properties = (s: Record<string, unknown>) => s['properties'] as Record<string, Record<string, unknown>>;

const refusal = accountFieldsRefusal;

const lint = (folder: string) => checkSchemaFolder(folder).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}: ${f.message}`);

const test = suite('schemas: declared account fields (x-eventlake-accounts)');

test('the account fields of a declaring type and version are the ones it names', () => {
  const registry = accountFieldsRegistry();
  assert.equal(registry.accountFields('card_payment', 1), ['CardAccount']);
  assert.equal(registry.accountFields('fee_charged', 1), ['Account', 'WaivedFor']);
});

test('a type that declares none, or a type or version not loaded, has SourceAccount and TargetAccount', () => {
  const registry = accountFieldsRegistry();
  assert.equal(registry.accountFields('inter_account_transfer', 1), ['SourceAccount', 'TargetAccount']);
  assert.equal(registry.accountFields('no_such_type', 1), ['SourceAccount', 'TargetAccount']);
  assert.equal(registry.accountFields('card_payment', 9), ['SourceAccount', 'TargetAccount']);
});

test('accountsOf reads only the declared fields: the TargetAccount of a card payment is not one of its accounts', () => {
  const registry = accountFieldsRegistry();
  assert.equal(registry.accountsOf(registry.validate(cardPayment(1, T0, 'CARD-0001', 'SHOP-0001'))), ['CARD-0001']);
  assert.equal(registry.accountsOf(registry.validate(transfer(2, T0, 'ACC-000001', 'ACC-000002'))), ['ACC-000001', 'ACC-000002']);
});

test('an event without an optional account field is fine: it has the accounts it has', () => {
  const registry = accountFieldsRegistry();
  assert.equal(registry.accountsOf(registry.validate(feeCharged(1, T0, 'ACC-000001'))), ['ACC-000001']);
  assert.equal(registry.accountsOf(registry.validate(feeCharged(2, T0, 'ACC-000001', 'ACC-000002'))), ['ACC-000001', 'ACC-000002']);
});

test('the keyword does not change what is valid, and keeps the fast precheck', () => {
  const registry = accountFieldsRegistry();
  assert.ok(registry.entry('card_payment', 1).precheck, 'a schema with the keyword still gets a precheck');
  assert.throws(() => registry.validate({ ...cardPayment(1, T0, 'CARD-0001'), CardAccount: 'lower-case' }), /CardAccount/);
});

test('more than 2 account fields are refused at load, naming the file, the keyword and the limit', () => {
  const folder = cardSchemaWith((s) => {
    properties(s)['SecondCard'] = { type: 'string' };
    s['x-eventlake-accounts'] = ['CardAccount', 'TargetAccount', 'SecondCard'];
  });
  const error = refusal(folder);
  assert.is(error.code, 'SCHEMA_ACCOUNT_FIELDS');
  assert.is(error.file, join(folder, 'card_payment.v1.json'));
  assert.match(error.message, `${join(folder, 'card_payment.v1.json')}: "x-eventlake-accounts" names 3 fields (CardAccount, TargetAccount, SecondCard) but at most 2 are allowed`);
});

test('a declared field the schema lacks, or one that is not a string, is refused at load', () => {
  assert.match(refusal(declaring(['CardAcount'])).message, 'names CardAcount, which is not in "properties": declare it there or correct the name');
  const numeric = cardSchemaWith((s) => {
    properties(s)['CardNumber'] = { type: 'integer' };
    s['x-eventlake-accounts'] = ['CardNumber'];
  });
  assert.match(refusal(numeric).message, 'names CardNumber, which is not "type": "string"');
});

test('a declaration that is not a list of names, or is empty, is refused at load', () => {
  assert.match(refusal(declaring('CardAccount')).message, 'must be a list of field names');
  assert.match(refusal(declaring([])).message, 'lists no field');
});

test('schemas check reports each problem of a declaration at the keyword, and nothing for a sound one', () => {
  assert.equal(checkSchemaFolder(ACCOUNT_FIELDS_SCHEMAS), { files: 2, findings: [] });
  assert.equal(lint(declaring(['CardAccount', 'Nope', 'Amount'])), [
    'card_payment.v1.json#/x-eventlake-accounts accounts: names 3 fields (CardAccount, Nope, Amount) but at most 2 are allowed (the index looks an event up by 2 accounts): keep the 2 accounts the event is looked up by',
    'card_payment.v1.json#/x-eventlake-accounts accounts: names Nope, which is not in "properties": declare it there or correct the name',
  ]);
});

test('the built-in schemas declare no account fields, so the catalogue over them is the built-in one, query for query', () => {
  const declared = accountDeclarations(SchemaRegistry.load());
  assert.equal(declared, []);
  const catalogue = queryCatalogue(declared);
  for (const name of Object.keys(QUERY_CATALOGUE)) assert.is(catalogue[name]!.sql, QUERY_CATALOGUE[name]!.sql, name);
  assert.match(QUERY_CATALOGUE['account_history']!.sql, 'AND (SourceAccount = ? OR TargetAccount = ?)\n), unique_events');
});

test('the declarations of a registry list each declaring type and version', () => {
  assert.equal(accountDeclarations(accountFieldsRegistry()), [
    { type: 'card_payment', version: 1, fields: ['CardAccount'] },
    { type: 'fee_charged', version: 1, fields: ['Account', 'WaivedFor'] },
  ]);
});

test.run();
