// A field the loaded schemas type differently (v1 an integer, v2 a string) or declare as an object stays a column of
// `events`, read as text, instead of vanishing from SQL; DuckDB reads every version's value so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { eventKey, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { put } from '../support/log-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_719_792_000; // 2024-07-01T00:00:00Z

function schema(version: number, fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'object', additionalProperties: false, required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
    properties: { EventType: { const: 'account_fee' }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' }, ...fields },
  });
}

const fee = (version: number, n: number, fields: Record<string, unknown>): DomainEvent =>
  ({ EventType: 'account_fee', SchemaVersion: version, RequestId: `00000000-0000-4000-8000-00000000000${n}`, EventTimeStamp: T0 + n, ...fields });

const test = suite('events columns of fields typed differently across versions');

test('a field v1 has as an integer and v2 as a string, and a nested object, read as text for every version', async () => {
  const schemas = tempDir();
  writeFileSync(join(schemas, 'account_fee.v1.json'), schema(1, { FeeCents: { type: 'integer' } }));
  writeFileSync(join(schemas, 'account_fee.v2.json'), schema(2, { FeeCents: { type: 'string' }, Money: { type: 'object', properties: { AmountCents: { type: 'integer' }, Currency: { type: 'string' } } } }));
  const dataDir = tempDir();
  for (const e of [fee(1, 1, { FeeCents: 250 }), fee(2, 2, { FeeCents: '2.50', Money: { AmountCents: 250, Currency: 'EUR' } })]) put(join(dataDir, eventKey(e)), `${serializeEvent(e)}\n`);
  const query = new DuckDbEventQuery({ dataDir, cacheRows: 0, extraColumns: schemaColumns(SchemaRegistry.load({ folders: [schemas] })).columns });
  try {
    const { rows } = await query.sql('SELECT FeeCents, Money FROM events ORDER BY EventTimeStamp');
    assert.equal(rows, [{ FeeCents: '250', Money: null }, { FeeCents: '2.50', Money: '{"AmountCents":250,"Currency":"EUR"}' }]);
  } finally {
    await query.close();
  }
});

test.run();
