// A user field named like a built-in map of int counts (Currency) fits it only when its schema bounds every count
// within int: a user map of integers is otherwise map<string,bigint>, and emit would refuse counts past 2^31.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { tempDir } from '../support/tmp.ts';

function columnFindings(counts: Record<string, unknown>): string[] {
  const dir = tempDir();
  writeFileSync(join(dir, 'till_count.v1.json'), JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false,
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
    properties: {
      EventType: { const: 'till_count' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' },
      Currency: { type: 'object', additionalProperties: { type: 'integer', ...counts } },
    },
  }));
  return checkSchemaFolder(dir).findings.filter((f) => f.rule === 'column').map((f) => f.message);
}

const test = suite('schemas check: maps of integers named like a built-in int map');

test('a Currency map whose counts the schema bounds within int is no finding', () => {
  assert.equal(columnFindings({ minimum: 1, maximum: 1_000_000 }), []);
});

test('an unbounded Currency map of integers is a finding naming both map types', () => {
  const [found] = columnFindings({});
  assert.match(found ?? '', 'which is map<string,int> (a JSON object of integers), but this schema has it as map<string,bigint>');
});

test.run();
