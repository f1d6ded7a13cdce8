// Replay validates every stored event against the schema of the version it was written at. When that schema was
// edited or removed after events were stored, the error says so: the stored event, the schema file, and that the
// file must come back (a change goes into a new version), not "use another version" or "this event is invalid"
// as if it were new input. The live projection is left as it was.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';
import { eventsFile, fee, feeType, RENAMES } from './schema-evolution-fixture.ts';

/** A data dir holding one account_fee_charged v1 event (MONTHLY, 5.00), folded; the folder of its schemas. */
async function lakeWithV1Fee(): Promise<{ dataDir: string; schemas: string; module: string }> {
  const { schemas, module } = feeType(RENAMES);
  const dataDir = join(tempDir(), 'lake');
  const r = await runCli(['--data-dir', dataDir, '--schemas', schemas, '--extensions', module, 'emit', eventsFile([fee(1, 1_714_000_000, '5.00')])]);
  assert.is(r.code, 0, r.stderr);
  return { dataDir, schemas, module };
}

const balance = async (args: string[]) => (await runCli([...args, 'balance', 'DE44-5001-0517'])).stdout.trim().split('\n').at(-1);
const rebuild = (args: string[]) => runCli([...args, 'rebuild', '--projection', 'balances', '--from', '0']);

const test = suite('eventlake rebuild: stored events whose schema changed or went away (CLI)');

test('a stored version\'s schema narrowed after events were written: the error names the event, the file, the field and the fix', async () => {
  const { dataDir, schemas, module } = await lakeWithV1Fee();
  const v1 = join(schemas, 'account_fee_charged.v1.json');
  writeFileSync(v1, readFileSync(v1, 'utf8').replace('["MONTHLY","OVERDRAFT"]', '["OVERDRAFT"]'));
  const lake = ['--data-dir', dataDir, '--schemas', schemas, '--extensions', module];
  const r = await rebuild(lake);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /SCHEMA_VALIDATION: stored event account_fee_charged_[0-9a-f-]+ no longer passes the schema it was written with, account_fee_charged v1 \([^)]*account_fee_charged\.v1\.json\)/);
  assert.match(r.stderr, /\/FeeKind: must be equal to one of the allowed values/);
  assert.match(r.stderr, /restore that file as it was when the event was written/);
  assert.is(await balance(lake), 'DE44-5001-0517  -5.00');
});

test('a type removed while its events are in the log: the error names the stored event and the schema to load back', async () => {
  const { dataDir } = await lakeWithV1Fee();
  const r = await rebuild(['--data-dir', dataDir]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /UNKNOWN_EVENT_TYPE: the log holds account_fee_charged_[0-9a-f-]+, of type account_fee_charged v1, which no loaded schema defines: load the folder with account_fee_charged\.v1\.json \(--schemas/);
});

test('a version removed while its events are in the log: the error says to restore that version, not to use another', async () => {
  const { dataDir, schemas } = await lakeWithV1Fee();
  rmSync(join(schemas, 'account_fee_charged.v1.json'));
  const r = await rebuild(['--data-dir', dataDir, '--schemas', schemas]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /UNKNOWN_SCHEMA_VERSION: the log holds account_fee_charged_[0-9a-f-]+, of type account_fee_charged v1, which no loaded schema defines: load the folder with account_fee_charged\.v1\.json/);
  assert.not.match(r.stderr, /use one of/);
});

test.run();
