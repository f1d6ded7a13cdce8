// Two schema files claiming one type and version (two folders, or a folder redefining a built-in) are refused at
// load, naming both files and the fix: the registry cannot know which one the stored events were written with.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('a type and version defined twice');

test('a second folder with the same type and version is refused, naming both files and the fix', () => {
  const [a, b] = [tempDir(), tempDir()];
  const parcel = JSON.stringify({ type: 'object', properties: { EventType: { const: 'parcel' }, SchemaVersion: { const: 1 } } });
  for (const dir of [a, b]) writeFileSync(join(dir, 'parcel.v1.json'), parcel);
  assert.throws(() => SchemaRegistry.load({ folders: [a, b], withoutBuiltins: true }), (e: unknown) => e instanceof InvalidArgumentError
    && e.message.includes(join(b, 'parcel.v1.json')) && e.message.includes(`already defined by ${join(a, 'parcel.v1.json')}`)
    && e.message.includes('load only one of the two folders, or make the new schema the next version (parcel.v2.json)'));
});

test('a folder redefining a built-in type and version is refused the same way', () => {
  const dir = tempDir();
  copyFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_deposit.v1.json'), join(dir, 'cash_deposit.v1.json'));
  assert.throws(() => SchemaRegistry.load({ folders: [dir] }), (e: unknown) => e instanceof InvalidArgumentError
    && e.message.includes('cash_deposit v1 is already defined by') && e.message.includes('(cash_deposit.v2.json)'));
});

test.run();
