// A version gap (v1 and v3 loaded, no v2) does not hide a breaking change: v3 is compared with v1, and a break is a
// SchemaEvolutionError saying that no upcaster can lift v1 while v2 is missing. The registry skipped the pair, so a
// v3 that requires a field v1 events lack loaded, and those events reached projections in a shape v3 does not promise.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaEvolutionError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { parcelReturned } from './evolution-fixture.ts';

const test = suite('schema evolution across a version gap');

/** A folder with parcel_returned v1 and, as v3 (no v2), the fixture's v2 whose Reason is `reason`. */
function withGap(reason: 'required' | 'optional'): string {
  const { dir, v2 } = parcelReturned(reason);
  const v3 = JSON.parse(readFileSync(v2, 'utf8')) as { properties: { SchemaVersion: { const: number } } };
  v3.properties.SchemaVersion.const = 3;
  writeFileSync(join(dir, 'parcel_returned.v3.json'), JSON.stringify(v3));
  rmSync(v2);
  return dir;
}

test('a v3 that breaks v1 with no v2 loaded is refused, naming both versions and the missing one', () => {
  const registry = SchemaRegistry.load({ folders: [withGap('required')] });
  assert.throws(() => registry.assertEvolvable(), (e: unknown) => e instanceof SchemaEvolutionError
    && e.findings.length === 1 && e.findings[0]!.fromVersion === 1
    && e.findings[0]!.message.startsWith('v1 → v3: the new field Reason is required')
    && e.findings[0]!.message.endsWith('; v2 is not loaded, so no upcaster can lift v1 events: load parcel_returned.v2.json with an upcaster to each next version, or make the change non-breaking'));
});

test('a v3 compatible with v1 across the gap loads as before', () => {
  SchemaRegistry.load({ folders: [withGap('optional')] }).assertEvolvable();
});

test.run();
