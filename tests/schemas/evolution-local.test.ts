// The embedded eventlake refuses, when it opens, a schema folder whose new version breaks the previous one without an
// upcaster: a developer who never ran `schemas check` learns it before anything is written, not from a wrong fold.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SchemaEvolutionError } from '../../domain/errors.ts';
import { tempDir } from '../support/tmp.ts';
import { parcelReturned, REASON_UNKNOWN, returned } from './evolution-fixture.ts';

const NOW = () => 1_714_000_100_000;
const test = suite('schema evolution when the local eventlake opens');

test('opening with a v2 that breaks v1 and no upcaster fails with SCHEMA_EVOLUTION, and the data dir is not even created', async () => {
  const { dir, v2 } = parcelReturned('required');
  const dataDir = join(tempDir(), 'lake');
  try {
    await openLocalEventlake({ dataDir, schemaFolders: [dir], now: NOW });
    assert.unreachable('opened');
  } catch (error) {
    assert.instance(error, SchemaEvolutionError);
    assert.match((error as Error).message, v2);
  }
  assert.is(existsSync(dataDir), false);
});

test('opened with the upcaster from v1, a v1 event is stored and read as v2', async () => {
  const local = await openLocalEventlake({
    dataDir: join(tempDir(), 'lake'), schemaFolders: [parcelReturned('required').dir], now: NOW,
    upcasters: [{ type: 'parcel_returned', fromVersion: 1, upcast: REASON_UNKNOWN }],
  });
  try {
    const [stored] = await local.lake.emit(returned(1));
    assert.is(stored?.status, 'stored');
    const entry = await local.index.get(stored!.id);
    assert.is(local.upcast(await local.log.read(entry!.location))['Reason'], 'UNKNOWN');
  } finally {
    await local.close();
  }
});

test('a v2 that only adds an optional field opens without an upcaster', async () => {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), schemaFolders: [parcelReturned('optional').dir], now: NOW });
  await local.close();
});

test.run();
