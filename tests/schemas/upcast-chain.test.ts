// A chain v1 → v2 → v3 where only v2 → v3 breaks: the registry accepts it with one upcaster (from v2), so every
// event older than v3 must come out of upcast() in v3's shape, a v1 event too. A compatible step without an upcaster
// is passed over, not the end of the chain.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpcastError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';

/** parcel_shipped v1; v2 adds an optional Carrier (compatible); v3 requires Weight (breaking). */
function folder(): string {
  const dir = tempDir();
  for (const version of [1, 2, 3]) {
    writeFileSync(join(dir, `parcel_shipped.v${version}.json`), JSON.stringify({
      type: 'object',
      properties: {
        EventType: { const: 'parcel_shipped' }, SchemaVersion: { const: version }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' },
        ...(version >= 2 ? { Carrier: { type: 'string' } } : {}), ...(version >= 3 ? { Weight: { type: 'string' } } : {}),
      },
      required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', ...(version >= 3 ? ['Weight'] : [])],
      additionalProperties: false,
    }));
  }
  return dir;
}

const shipped = (version: number): DomainEvent => ({ EventType: 'parcel_shipped', SchemaVersion: version, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13862', EventTimeStamp: 1_714_000_000 });

const test = suite('upcast chain with a compatible step and no upcaster');

test('a v1 event is lifted through the compatible v1 → v2 and the v2 → v3 upcaster, to v3', () => {
  const registry = SchemaRegistry.load({ folders: [folder()], withoutBuiltins: true, upcasters: [{ type: 'parcel_shipped', fromVersion: 2, upcast: (e) => ({ ...e, Weight: 'UNKNOWN' }) }] });
  registry.assertEvolvable();
  assert.equal(registry.upcast(shipped(1)), { ...shipped(1), SchemaVersion: 3, Weight: 'UNKNOWN' });
});

test('validate() of a v1 event refuses it when the later v2 → v3 upcaster cannot lift it, before it is stored', () => {
  const registry = SchemaRegistry.load({ folders: [folder()], withoutBuiltins: true, upcasters: [{ type: 'parcel_shipped', fromVersion: 2, upcast: (e) => e }] });
  assert.throws(() => registry.validate(shipped(1)), (e: unknown) => e instanceof UpcastError);
});

test.run();
