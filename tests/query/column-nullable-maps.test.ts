// DuckDB reads what the schema columns promise: a null in a nullable field as NULL, and a user map of integers past
// 2^31 as its value (map<string,bigint>). Names match exactly: `amount` is not read into Amount (schemas check says so).
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

const SCHEMA = {
  type: 'object', additionalProperties: false, required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
  properties: {
    EventType: { const: 'till_count' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' },
    Note: { type: ['string', 'null'] }, MaybeInt: { type: ['null', 'integer'] }, Bills: { type: 'object', additionalProperties: { type: 'integer' } },
    amount: { type: 'string' },
  },
};

const till = (n: number, fields: Record<string, unknown>): DomainEvent =>
  ({ EventType: 'till_count', SchemaVersion: 1, RequestId: `00000000-0000-4000-8000-00000000000${n}`, EventTimeStamp: T0 + n, ...fields });

const test = suite('DuckDB columns of nullable fields and user maps of integers');

test('nullable fields read null as NULL and values as typed, a map of integers counts past 2^31, and amount not as Amount', async () => {
  const schemas = tempDir();
  writeFileSync(join(schemas, 'till_count.v1.json'), JSON.stringify(SCHEMA));
  const dataDir = tempDir();
  for (const e of [till(1, { Note: null, MaybeInt: null }), till(2, { Note: 'n', MaybeInt: 2 ** 40, Bills: { '500': 3_000_000_000 }, amount: '5.00' })]) put(join(dataDir, eventKey(e)), `${serializeEvent(e)}\n`);
  const query = new DuckDbEventQuery({ dataDir, cacheRows: 0, extraColumns: schemaColumns(SchemaRegistry.load({ folders: [schemas] })).columns });
  try {
    const { rows } = await query.sql("SELECT Note, MaybeInt, Bills['500'] AS bills500, Amount FROM events ORDER BY EventTimeStamp");
    assert.equal(rows, [{ Note: null, MaybeInt: null, bills500: null, Amount: null }, { Note: 'n', MaybeInt: 2 ** 40, bills500: 3_000_000_000, Amount: null }]);
  } finally {
    await query.close();
  }
});

test.run();
