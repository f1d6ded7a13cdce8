// The CLI's hints where the API's words name no CLI option: an unknown event type may have a schema in a folder not
// loaded (--schemas), and a query column unknown to DuckDB may come from one. The TS API keeps its own words.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { cardPayment } from '../support/account-fields.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake CLI hints: --schemas for unknown types and columns');

const SCHEMA_HINT = 'add a schema file for it, or load its folder with --schemas DIR (EVENTLAKE_SCHEMAS) (known types:';

/** A file holding `events`, one JSON object a line. */
function ndjson(events: readonly object[]): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  return file;
}

/** A data dir holding one built-in event, emitted by the CLI. */
async function lakeWithDeposit(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  assert.is((await runCli(['--data-dir', dataDir, 'emit', ndjson([SAMPLES['cash_deposit']!])])).code, 0);
  return dataDir;
}

test('emit of a type whose schema folder was not loaded says to add a schema file or load its folder with --schemas', async () => {
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), 'emit', ndjson([cardPayment(1, 1_700_000_000, 'CARD-0001', 'SHOP-0001')])]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `BATCH_REJECTED: 1 of 1 event(s) rejected; nothing was written:\n#0: unknown EventType "card_payment": ${SCHEMA_HINT}`);
});

test('emit of a version no loaded schema defines says to load the folder holding that version\'s file with --schemas', async () => {
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), 'emit', ndjson([{ ...SAMPLES['cash_deposit']!, SchemaVersion: 3 }])]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'EventType "cash_deposit" has no SchemaVersion 3: use one of 1, or load the folder holding cash_deposit.v3.json with --schemas DIR (EVENTLAKE_SCHEMAS)');
});

test('the TS API keeps its own words for an unknown type (no CLI option named)', async () => {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake') });
  try {
    await local.lake.emit(cardPayment(1, 1_700_000_000, 'CARD-0001', 'SHOP-0001'));
    assert.unreachable('an unknown type was accepted');
  } catch (error) {
    assert.match((error as Error).message, 'add a schema file for it (known types:');
    assert.not.match((error as Error).message, '--schemas');
  }
});

test('a query naming a column of a type whose folder is not loaded asks whether it is loaded with --schemas', async () => {
  const r = await runCli(['--data-dir', await lakeWithDeposit(), 'query', 'SELECT CardAccount FROM events']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'QUERY_FAILED: DuckDB query failed: Binder Error: Referenced column "CardAccount" not found');
  assert.ok(r.stderr.endsWith('\n"CardAccount" is not a column of events here: columns come from the loaded schemas; is the folder of the schema with CardAccount loaded with --schemas DIR (EVENTLAKE_SCHEMAS)?\n'), r.stderr);
});

test('a query that fails for another reason gets no --schemas hint', async () => {
  const r = await runCli(['--data-dir', await lakeWithDeposit(), 'query', 'SELECT nosuch(1)']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'QUERY_FAILED');
  assert.not.match(r.stderr, '--schemas');
});

test.run();
