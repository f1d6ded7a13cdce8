// A user's schema often has no `description` per field: the expectation of a failing field then says what would be
// valid in words built from the keyword ("a string matching ^…$"), never ajv's message twice ("must be string;
// expected must be string").

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const dir = tempDir();
writeFileSync(join(dir, 'account_fee_charged.v1.json'), JSON.stringify({
  type: 'object', additionalProperties: false,
  properties: {
    EventType: { const: 'account_fee_charged' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' },
    Account: { type: 'string', pattern: '^[A-Z0-9-]{4,34}$' }, Note: { type: 'string', minLength: 2, maxLength: 5 }, Count: { type: 'integer', minimum: 1, maximum: 9 },
    Waivable: { type: 'boolean' }, Source: { const: 'CORE' },
  },
}));
const registry = SchemaRegistry.load({ folders: [dir], withoutBuiltins: true });
const base = { EventType: 'account_fee_charged', SchemaVersion: 1, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13862', EventTimeStamp: 1_714_000_000 };

function expectation(field: string, value: unknown): string | undefined {
  try {
    registry.validate({ ...base, [field]: value });
  } catch (error) {
    if (error instanceof SchemaValidationError) return error.issues.find((i: FieldIssue) => i.pointer === `/${field}`)?.expected;
    throw error;
  }
  return undefined;
}

const test = suite('field issues of a schema without descriptions');

test('a pattern says which pattern a string must match', () => {
  assert.is(expectation('Account', 'de44'), 'a string matching ^[A-Z0-9-]{4,34}$');
});

test('a wrong type says which type', () => {
  assert.is(expectation('Waivable', 'yes'), 'a boolean');
  assert.is(expectation('Count', 1.5), 'an integer');
});

test('length and range bounds say the bound', () => {
  assert.is(expectation('Note', 'x'), 'at least 2 characters');
  assert.is(expectation('Note', 'toolong'), 'at most 5 characters');
  assert.is(expectation('Count', 0), 'a number >= 1');
  assert.is(expectation('Count', 10), 'a number <= 9');
});

test('a const says the one value allowed', () => {
  assert.is(expectation('Source', 'EDGE'), '"CORE"');
});

test.run();
