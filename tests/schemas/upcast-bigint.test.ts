// An upcaster that returns a bigint is told so: its result is stored and read as JSON, which has no bigint, and
// ajv's own words ("must be integer") read as nonsense for 5n.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpcastError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

function schema(version: number, fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'object', additionalProperties: false, required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', ...Object.keys(fields)],
    properties: { EventType: { const: 'account_fee' }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' }, EventTimeStamp: { type: 'integer' }, ...fields },
  });
}

const test = suite('upcaster returning a bigint');

test('the UpcastError says the field holds a bigint JSON cannot hold, and what to return', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'account_fee.v1.json'), schema(1, { Fee: { type: 'string' } }));
  writeFileSync(join(dir, 'account_fee.v2.json'), schema(2, { FeeCents: { type: 'integer' } }));
  const registry = SchemaRegistry.load({ folders: [dir], withoutBuiltins: true });
  registry.addUpcaster('account_fee', 1, ({ Fee, ...rest }) => ({ ...rest, SchemaVersion: 2, FeeCents: BigInt(Math.round(Number(Fee) * 100)) }));
  const v1: DomainEvent = { EventType: 'account_fee', SchemaVersion: 1, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13862', EventTimeStamp: 1_714_000_050, Fee: '2.50' };
  try {
    registry.upcast(v1);
    assert.unreachable('upcast');
  } catch (error) {
    assert.instance(error, UpcastError);
    assert.match((error as Error).message, '/FeeCents: is the bigint 250n, which JSON (the log\'s format) cannot hold: return a number (Number(value)) or a string');
  }
});

test.run();
