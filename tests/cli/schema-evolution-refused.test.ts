// The CLI refuses a schema folder whose new version breaks the previous one without an upcaster: emit before it
// creates a data dir, a command before it reads one, with or without an extensions module. `schemas list` still works.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { parcelReturned, returned } from '../schemas/evolution-fixture.ts';
import { eventsFile } from './schema-evolution-fixture.ts';

const REFUSED = /SCHEMA_EVOLUTION: [^]*parcel_returned v1 → v2: the new field Reason is required[^]*extensions module/;
const test = suite('eventlake: a breaking schema version without an upcaster (CLI)');

test('emit is refused with SCHEMA_EVOLUTION before the data dir is created', async () => {
  const { dir } = parcelReturned('required');
  await assertRefusedBeforeOpen(['--schemas', dir, 'emit', eventsFile([JSON.stringify(returned(2))])], REFUSED);
});

/** A data dir holding one built-in event, made without the user's schemas. */
async function existingLake(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const made = await runCli(['--data-dir', dataDir, 'emit', eventsFile([JSON.stringify(SAMPLES['cash_deposit'])])]);
  assert.is(made.code, 0, made.stderr);
  return dataDir;
}

async function assertRefused(args: readonly string[]): Promise<void> {
  const r = await runCli(['--data-dir', await existingLake(), ...args]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, REFUSED);
  assert.is(r.stdout, '');
}

test('a command that opens an existing lake (balance) is refused the same way', async () => {
  await assertRefused(['--schemas', parcelReturned('required').dir, 'balance', 'DE44-5001-0517']);
});

test('an extensions module without the upcaster does not cover the step: a command opening the lake is refused', async () => {
  const module = join(tempDir(), 'eventlake.extensions.mjs');
  writeFileSync(module, 'export const upcasters = [];\n');
  await assertRefused(['--schemas', parcelReturned('required').dir, '--extensions', module, 'balance', 'DE44-5001-0517']);
});

test('schemas list still describes such a set: it is how a developer looks at the versions to fix', async () => {
  const { dir } = parcelReturned('required');
  const listed = await runCli(['--schemas', dir, 'schemas', 'list', '--json']);
  assert.is(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /"type":"parcel_returned","versions":\[1,2\]/);
});

test.run();
