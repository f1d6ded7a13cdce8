// A field typed [T, "null"] (either order) is a column of type T: both engines read a JSON null into any column as NULL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaColumns } from '../../schemas/columns.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

function columnsOf(fields: Record<string, unknown>): ReturnType<typeof schemaColumns> {
  const dir = tempDir();
  writeFileSync(join(dir, 'note_added.v1.json'), JSON.stringify({
    type: 'object', additionalProperties: false,
    properties: { EventType: { const: 'note_added' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' }, ...fields },
  }));
  return schemaColumns(SchemaRegistry.load({ folders: [dir] }));
}

const test = suite('schemaColumns of nullable fields');

test('["string","null"], ["null","integer"] and an enum with null are columns of the non-null type', () => {
  const { columns, skipped } = columnsOf({ Note: { type: ['string', 'null'] }, MaybeInt: { type: ['null', 'integer'] }, Kind: { enum: ['a', null] } });
  assert.equal(columns.map((c) => [c.name, c.type]), [['Note', 'string'], ['MaybeInt', 'bigint'], ['Kind', 'string']]);
  assert.equal(skipped, []);
});

test.run();
