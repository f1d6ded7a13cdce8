// A user type for the schema-evolution tests: parcel_returned v1, and a v2 that adds Reason either as a required
// field (breaking: a stored v1 event has none) or as an optional one (compatible).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainEvent } from '../../domain/event.ts';
import { tempDir } from '../support/tmp.ts';

const schema = (version: number, reason: 'none' | 'required' | 'optional') => JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
  properties: {
    EventType: { const: 'parcel_returned' }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' },
    EventTimeStamp: { type: 'integer', minimum: 0 }, Account: { type: 'string' },
    ...(reason === 'none' ? {} : { Reason: { enum: ['DAMAGED', 'UNWANTED', 'UNKNOWN'] } }),
  },
  required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Account', ...(reason === 'required' ? ['Reason'] : [])],
  additionalProperties: false,
});

/** A folder with parcel_returned v1 and a v2 whose new Reason is `reason`; `file` is the v2 schema's path. */
export function parcelReturned(reason: 'required' | 'optional'): { dir: string; v2: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'parcel_returned.v1.json'), schema(1, 'none'));
  writeFileSync(join(dir, 'parcel_returned.v2.json'), schema(2, reason));
  return { dir, v2: join(dir, 'parcel_returned.v2.json') };
}

/** The upcaster that covers the breaking v2: a v1 return's reason was never recorded. */
export const REASON_UNKNOWN = (e: DomainEvent): DomainEvent => ({ ...e, Reason: 'UNKNOWN' });

export const returned = (version: 1 | 2): DomainEvent => ({
  EventType: 'parcel_returned', SchemaVersion: version, RequestId: '01a21670-3523-7140-b3ff-abf5b4a13862', EventTimeStamp: 1_714_000_000,
  Account: 'DE44-5001-0517', ...(version === 2 ? { Reason: 'DAMAGED' } : {}),
});
