// Validation skips the column check of a field whose schema already keeps its value readable by its column: that is
// only right if every value such a schema accepts is one the column reads.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import { EVENT_COLUMNS, type ColumnType } from '../../domain/query-columns.ts';
import { guaranteesColumn } from '../../schemas/column-guarantees.ts';
import { columnValueIssues } from '../../schemas/column-values.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { thrown } from '../support/thrown.ts';
import { tempDir } from '../support/tmp.ts';

const COLUMN = { int: 'SchemaVersion', bigint: 'EventTimeStamp', boolean: 'Verified', 'map<string,int>': 'Currency' } as const;
/** Whether the built-in column of `type` reads `value`, as validation decides it (no built-in column: unsure). */
const readable = (type: ColumnType, value: unknown) => type in COLUMN && columnValueIssues({ [COLUMN[type as keyof typeof COLUMN]]: value }).length === 0;
const guarantees = (schema: unknown, type: keyof typeof COLUMN) => guaranteesColumn(schema, type, readable);

const BUILTIN = SchemaRegistry.load();
const test = suite('column guarantees of schemas');

test('every non-string column field of the built-in schemas is guaranteed by its schema', () => {
  for (const { type, versions } of BUILTIN.types()) {
    for (const version of versions) {
      const props = BUILTIN.entry(type, version).schema['properties'] as Record<string, unknown>;
      for (const column of EVENT_COLUMNS.filter((c) => c.type !== 'string' && c.name in props)) {
        assert.ok(guarantees(props[column.name], column.type as keyof typeof COLUMN), `${type} v${version} ${column.name}`);
      }
    }
  }
});

test('an integer field is guaranteed only when both bounds keep it inside the column range', () => {
  assert.ok(guarantees({ type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }, 'int'));
  assert.ok(guarantees({ type: 'integer', exclusiveMinimum: -(2 ** 31) - 1, exclusiveMaximum: 2 ** 31 }, 'int'));
  assert.not.ok(guarantees({ type: 'integer', minimum: 0, maximum: 2 ** 31 }, 'int'));
  assert.not.ok(guarantees({ type: 'integer', minimum: 0 }, 'bigint'));
  assert.not.ok(guarantees({ type: 'integer', minimum: -(2 ** 63), maximum: 0 }, 'bigint'));
  assert.not.ok(guarantees({ type: 'number', minimum: 0, maximum: 10 }, 'int'));
});

test('null is guaranteed readable at the top level, never as a count inside a map', () => {
  assert.ok(guarantees({ type: ['boolean', 'null'] }, 'boolean'));
  assert.not.ok(guarantees({ type: 'object', additionalProperties: { type: ['integer', 'null'], minimum: 0, maximum: 9 } }, 'map<string,int>'));
  assert.not.ok(guarantees({ type: 'object', additionalProperties: { enum: [1, null] } }, 'map<string,int>'));
});

test('a map is guaranteed only when its declared, pattern and other values all are', () => {
  const count = { type: 'integer', minimum: 1, maximum: 9 };
  assert.ok(guarantees({ type: 'object', properties: { a: count }, additionalProperties: count }, 'map<string,int>'));
  assert.not.ok(guarantees({ type: 'object', properties: { a: count } }, 'map<string,int>'));
  assert.not.ok(guarantees({ type: 'object', patternProperties: { '^b': { type: 'string' } }, additionalProperties: count }, 'map<string,int>'));
  assert.not.ok(guarantees({ $ref: '#/$defs/x', type: 'object', additionalProperties: count }, 'map<string,int>'));
});

test('no value a guaranteeing schema accepts is one its column cannot read', () => {
  const ajv = new Ajv2020({ strict: false });
  const values = [null, true, 'x', 1.5, 0, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 63, -(2 ** 63), 2 ** 63 - 1024, { a: 1 }, { a: null }, { a: 2 ** 31 }, { a: 'x' }, {}, []];
  const schemas = [
    { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }, { type: ['integer', 'null'], minimum: -(2 ** 63) + 1024, maximum: 2 ** 63 - 1024 },
    { enum: [true, false, null] }, { const: 1 }, { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 } },
    { type: ['object', 'null'], additionalProperties: { const: 2 } }, { type: 'boolean' },
  ];
  for (const schema of schemas) {
    const accepts = ajv.compile(schema);
    for (const type of Object.keys(COLUMN) as (keyof typeof COLUMN)[]) {
      if (!guarantees(schema, type)) continue;
      for (const value of values) if (accepts(value)) assert.ok(readable(type, value), `${JSON.stringify(schema)} ${type} ${JSON.stringify(value)}`);
    }
  }
});

test('a field whose schema bound lies past its column is still refused at a value the column cannot read', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'till_count.v1.json'), JSON.stringify({
    type: 'object', additionalProperties: false, required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
    properties: { EventType: { const: 'till_count' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer', minimum: 0, maximum: 4102444800 }, Big: { type: 'integer', minimum: 0, maximum: 2 ** 64 } },
  }));
  const registry = SchemaRegistry.load({ folders: [dir] });
  const input = { EventType: 'till_count', SchemaVersion: 1, RequestId: '6f1c6c1e-4c1e-4c1e-8c1e-6f1c6c1e4c1e', EventTimeStamp: 1_700_000_000, Big: 2 ** 63 };
  assert.equal(thrown(() => registry.validate(input), SchemaValidationError).issues.map((i) => i.pointer), ['/Big']);
});

test('an event its schema refuses still gets the column issue of a guaranteed field, beside the schema\'s deeper one', () => {
  const input = { EventType: 'cash_deposit', SchemaVersion: 1, RequestId: '6f1c6c1e-4c1e-4c1e-8c1e-6f1c6c1e4c1e', EventTimeStamp: 1_700_000_000, TargetAccount: 'ACC-1', Amount: '1.00', LocationType: 'ATM', Verified: false, Currency: { '1-euro-coins': 2 ** 31 } };
  const issues = thrown(() => BUILTIN.validate(input), SchemaValidationError).issues;
  assert.equal(issues.map((i) => i.pointer), ['/Currency/1-euro-coins', '/Currency']);
  assert.match(issues[1]!.reason, 'is an object whose "1-euro-coins" is the integer 2147483648 (as JSON writes it), out of range');
});

test.run();
