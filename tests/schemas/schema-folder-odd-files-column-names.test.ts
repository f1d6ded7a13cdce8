// A user field whose name the `events` table cannot have as a column (not a plain identifier, or a partition's name)
// was left out of SQL while `schemas check` said nothing: check reports each such field, where it is and why.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('schemas check and field names that are no column');
const GOOD = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/check/good/parcel_shipped.v1.json'), 'utf8')) as Record<string, unknown>;

function withFields(fields: Record<string, unknown>): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'parcel_shipped.v1.json'), JSON.stringify({ ...GOOD, properties: { ...(GOOD['properties'] as object), ...fields } }));
  return dir;
}

test('a field named "Na\\"me" is a column finding saying it has no column in the events table and how to rename it', () => {
  const dir = withFields({ 'Na"me': { type: 'string' } });
  assert.equal(schemaColumns(SchemaRegistry.load({ folders: [dir] })).skipped, [{ field: 'Na"me', why: 'is not a plain identifier' }]);
  assert.equal(checkSchemaFolder(dir).findings, [{
    file: join(dir, 'parcel_shipped.v1.json'), pointer: '/properties/Na"me', rule: 'column',
    message: '"Na\\"me" is not a plain identifier, so the events table has no column for it and SQL (eventlake query, Athena) cannot read it: ' +
      'rename it to letters, digits and _ (not starting with a digit, at most 64 characters) to query it',
  }]);
});

test('a field named like a partition column is a column finding naming the partition columns', () => {
  const dir = withFields({ Year: { type: 'string' } });
  assert.equal(checkSchemaFolder(dir).findings.map((f) => `${f.pointer} ${f.rule}: ${f.message}`), ['/properties/Year column: "Year" is the name of a partition ' +
    'column, so the events table has no column for it and SQL (eventlake query, Athena) cannot read it: rename it (year, month, day, hour are the partition columns) to query it']);
});

test('a field left out for its type (a number) is no finding: that is by design', () => {
  assert.equal(checkSchemaFolder(withFields({ Weight: { type: 'number' } })).findings, []);
});

test.run();
