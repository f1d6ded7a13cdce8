// SchemaRegistry.load refuses option values of the wrong type from a JS caller with INVALID_ARGUMENT naming the
// option and the fix: a string as `folders` was read one character at a time (`'/tmp'` loaded the schemas of `/`,
// failing on whatever .json the root holds), `upcasters` not an array was a bare TypeError, a step's `upcast` that is
// no function failed each old event's emit as an upcaster error, and a NaN `maxFutureSkewSeconds` refused every event
// as "in the future" by "NaN s".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { SchemaRegistry, type RegistryOptions } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('SchemaRegistry.load: option values of the wrong type');

const refused = (options: unknown, message: string) => assert.throws(() => SchemaRegistry.load(options as RegistryOptions),
  (e: unknown) => e instanceof InvalidArgumentError && e.message === message);

test('folders given as a string is refused, naming the option and the array it takes', () => {
  refused({ folders: './schemas' }, 'folders: is a string: give an array of schema folders, e.g. { folders: ["./schemas"] } (schemaFolders of openLocalEventlake)');
});

test('folders given as a Set or any other iterable of strings (a generator too) is loaded as an array is', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'parcel.v1.json'), JSON.stringify({ type: 'object', properties: { EventType: { const: 'parcel' } } }));
  for (const folders of [new Set([dir]), (function* () { yield dir; })()]) {
    assert.equal(SchemaRegistry.load({ folders, withoutBuiltins: true }).types().map((t) => t.type), ['parcel']);
  }
});

test('folders holding something other than a path string is refused, naming the option and the fix', () => {
  refused({ folders: new Set([42]) }, 'folders: holds a number: give each schema folder as a path string');
});

test('upcasters that are not an array are refused, naming the option and the shape of one', () => {
  refused({ upcasters: { type: 'parcel', fromVersion: 1, upcast: (e: unknown) => e } }, 'upcasters: is an object: give an array of { type, fromVersion, upcast } steps');
});

test('an upcaster step whose upcast is not a function is refused at load, naming the step', () => {
  refused({ upcasters: [{ type: 'cash_withdrawal', fromVersion: 1, upcast: 'lift' }] },
    'cash_withdrawal v1: its upcaster is a string, not a function: give upcast as (event) => the event at the next version');
});

for (const skew of [Number.NaN, -1, Number.NEGATIVE_INFINITY, '60']) {
  test(`a maxFutureSkewSeconds of ${String(skew)} is refused, naming the option and the values it takes`, () => {
    refused({ maxFutureSkewSeconds: skew }, `maxFutureSkewSeconds: ${String(skew)} is not a number of seconds >= 0: give how far ahead of the clock an EventTimeStamp may be, e.g. 86400 (the default, one day), or Infinity for no limit`);
  });
}

test.run();
