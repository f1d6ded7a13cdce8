// Integers a new event may give an integer column: the range of Hive's INT or BIGINT as JSON writes the number, so
// every stored integer is one DuckDB and Athena read; a user's map of integers is bigint, like its integer fields.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import { serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { unqueryableWhy } from '../../projections/log-index-check-unwell.ts';
import { columnValueIssues } from '../../schemas/column-values.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { thrown } from '../support/thrown.ts';
import { tempDir } from '../support/tmp.ts';

const BILLS = {
  type: 'object', additionalProperties: false, required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
  properties: {
    EventType: { const: 'till_count' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' },
    Bills: { type: 'object', additionalProperties: { type: 'integer' } }, Big: { type: 'integer' },
  },
};

function registry(): SchemaRegistry {
  const dir = tempDir();
  writeFileSync(join(dir, 'till_count.v1.json'), JSON.stringify(BILLS));
  return SchemaRegistry.load({ folders: [dir] });
}

const REGISTRY = registry();
const event = (fields: Record<string, unknown>) => ({ EventType: 'till_count', SchemaVersion: 1, RequestId: '6f1c6c1e-4c1e-4c1e-8c1e-6f1c6c1e4c1e', EventTimeStamp: 1_700_000_000, ...fields });

const refusal = (input: unknown): SchemaValidationError => thrown(() => REGISTRY.validate(input), SchemaValidationError);

const test = suite('integer column ranges');

test('a user map of integers is a map<string,bigint> column and takes a count over 2^31, as its schema allows', () => {
  assert.equal(schemaColumns(REGISTRY).columns.find((c) => c.name === 'Bills')?.type, 'map<string,bigint>');
  REGISTRY.validate(event({ Bills: { '500': 3_000_000_000 } }));
});

test('a built-in Currency count over 2^31 is refused naming the entry, its value and the int range, not "an object"', () => {
  const [issue] = columnValueIssues({ Currency: { '10-euro-bills': 2 ** 31 } });
  assert.match(issue!.reason, 'is an object whose "10-euro-bills" is the integer 2147483648 (as JSON writes it), out of range');
  assert.match(issue!.reason, 'reads integers from -2147483648 to 2147483647 only');
  assert.not.match(issue!.expected, 'rename');
});

test('-2^63 is refused in a bigint column, naming the value JSON writes and the range', () => {
  const [issue] = refusal(event({ Big: -(2 ** 63) })).issues;
  assert.equal(issue!.pointer, '/Big');
  assert.match(issue!.reason, 'is the integer -9223372036854776000 (as JSON writes it), out of range');
  assert.match(issue!.expected, 'an integer from -9223372036854775808 to 9223372036854775807');
});

test('2^63 is refused in a bigint column and in a user map of integers', () => {
  assert.equal(refusal(event({ Big: 2 ** 63, Bills: { '5': 2 ** 63 } })).issues.map((i) => i.pointer).sort(), ['/Big', '/Bills']);
});

test('the largest doubles inside bigint (±(2^63 - 1024), written ±9223372036854775000) are accepted', () => {
  REGISTRY.validate(event({ Big: 2 ** 63 - 1024, Bills: { '5': -(2 ** 63 - 1024) } }));
});

test('check names a stored event holding -2^63 in a bigint column as unqueryable', () => {
  const stored = JSON.parse(serializeEvent(event({ Big: -(2 ** 63) }) as DomainEvent)) as Record<string, unknown>;
  assert.match(unqueryableWhy(stored, REGISTRY) ?? '', '/Big is the integer -9223372036854776000');
});

test.run();
