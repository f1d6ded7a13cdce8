// schemaColumns: the fields of user event types as `events` table columns, so a new type's fields can be queried
// by name (the built-in columns are the built-in types' fields only).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaColumns } from '../../schemas/columns.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

/** A registry with the built-ins and user types whose fields (beyond the envelope) are `fields[type][version]`. */
function registryWith(fields: Record<string, Record<string, unknown>[]>): SchemaRegistry {
  const dir = tempDir();
  for (const [type, versions] of Object.entries(fields)) {
    versions.forEach((own, i) => writeFileSync(join(dir, `${type}.v${i + 1}.json`), JSON.stringify({
      type: 'object', additionalProperties: false,
      properties: { EventType: { const: type }, SchemaVersion: { const: i + 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' }, ...own },
    })));
  }
  return SchemaRegistry.load({ folders: [dir] });
}

const test = suite('schemaColumns');

test('the built-in types add no column: their fields are the built-in columns', () => {
  assert.equal(schemaColumns(SchemaRegistry.load()), { columns: [], skipped: [] });
});

test('a new type\'s fields become columns typed from their schema, each named once, with the type that brought it', () => {
  const registry = registryWith({
    account_fee_charged: [
      { Account: { type: 'string' }, Amount: { type: 'string' }, FeeKind: { enum: ['MONTHLY', 'OVERDRAFT'] } },
      { Account: { type: 'string' }, Amount: { type: 'string' }, FeeType: { enum: ['MONTHLY'] }, Waivable: { type: 'boolean' }, Days: { type: 'integer' }, Coins: { type: 'object', additionalProperties: { type: 'integer' } } },
    ],
  });
  assert.equal(schemaColumns(registry).columns, [
    { name: 'Account', type: 'string', comment: 'account_fee_charged v1' },
    { name: 'FeeKind', type: 'string', comment: 'account_fee_charged v1' },
    { name: 'FeeType', type: 'string', comment: 'account_fee_charged v2' },
    { name: 'Waivable', type: 'boolean', comment: 'account_fee_charged v2' },
    { name: 'Days', type: 'bigint', comment: 'account_fee_charged v2' },
    { name: 'Coins', type: 'map<string,bigint>', comment: 'account_fee_charged v2' },
  ]);
});

test('a field two types declare with different column types is a text column, saying which', () => {
  const { columns, skipped } = schemaColumns(registryWith({ a_event: [{ Code: { type: 'string' } }], b_event: [{ Code: { type: 'integer' } }] }));
  assert.equal(columns, [{ name: 'Code', type: 'string', comment: 'JSON text (a string as itself): a_event v1 has it as string, b_event v1 as bigint' }]);
  assert.equal(skipped, []);
});

test('a field no column type holds, or named like a partition, is left out, saying why', () => {
  const { columns, skipped } = schemaColumns(registryWith({ a_event: [{ Rate: { type: 'number' }, Tags: { type: 'array' }, year: { type: 'string' } }] }));
  assert.equal(columns, []);
  assert.equal(skipped.map((s) => s.field), ['Rate', 'Tags', 'year']);
  assert.match(skipped[2]!.why, 'partition');
});

test.run();
