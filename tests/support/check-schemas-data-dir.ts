// A data dir whose events are of a user's type (parcel_shipped, from its own schema folder) and built-in types (an
// old version among them), for the check's schema tests (library and CLI): each test gets a copy to damage.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { objectFiles } from './check-data-dir.ts';
import { fixtureCopiesOf } from './fixture-copies.ts';
import { SAMPLES } from './samples.ts';
import { tempDir } from './tmp.ts';

/** parcel_shipped v1, its `Carrier` one of `carriers`. */
export const parcelSchema = (carriers: readonly string[]): string => JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false,
  required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Carrier'],
  properties: {
    EventType: { const: 'parcel_shipped' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' },
    EventTimeStamp: { type: 'integer', minimum: 0, maximum: 4102444800 }, Carrier: { enum: carriers },
  },
});

export const parcel = (n: number): DomainEvent =>
  ({ EventType: 'parcel_shipped', SchemaVersion: 1, RequestId: `00000000-0000-4000-8000-00000000000${n}`, EventTimeStamp: 1234567891 + n, Carrier: 'DHL' });
export const DEPOSIT = SAMPLES['cash_deposit']!;
// An old version its built-in upcaster lifts: validateStored upcasts it too, and a valid one is no finding.
const WITHDRAWAL_V1 = SAMPLES['cash_withdrawal']!;
const EVENTS = [DEPOSIT, WITHDRAWAL_V1, parcel(1), parcel(2)];

/** Where a copy's parts are: `lake` (the data dir, one batch object), `schemas` (parcel_shipped.v1.json, DHL or UPS). */
export interface SchemasDataDir {
  readonly dir: string;
  readonly lake: string;
  readonly schemas: string;
  readonly schemaFile: string;
}

const copies = fixtureCopiesOf(async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'schemas'));
  writeFileSync(join(dir, 'schemas', 'parcel_shipped.v1.json'), parcelSchema(['DHL', 'UPS']));
  const local = await openLocalEventlake({ dataDir: join(dir, 'lake'), schemaFolders: [join(dir, 'schemas')] });
  try {
    await local.lake.emit(EVENTS);
  } finally {
    await local.close();
  }
  return { dir };
});

/** A fresh copy of the data dir and its schema folder. */
export async function schemasDataDir(): Promise<SchemasDataDir> {
  const { dir } = await copies();
  return { dir, lake: join(dir, 'lake'), schemas: join(dir, 'schemas'), schemaFile: join(dir, 'schemas', 'parcel_shipped.v1.json') };
}

/** Replace `from` by `to` (same length, so the index still names the line) in the line of `event`; its id and place. */
export function editLine(lake: string, event: DomainEvent, from: string, to: string): { id: string; place: string } {
  assert.is(to.length, from.length);
  const [key] = objectFiles(lake, '.ndjson');
  const path = join(lake, key!);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(`"RequestId":"${event.RequestId}"`);
  const [start, end] = [text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at)];
  const line = text.slice(start, end);
  assert.ok(line.includes(from), `${line} holds ${from}`);
  writeFileSync(path, text.slice(0, start) + line.replace(from, to) + text.slice(end));
  return { id: eventId(event), place: `${key}@${start}+${end - start}` };
}
