// `eventlake events --type` names a type the lake knows (a loaded schema's, or one the log holds events of): an
// unknown one is refused listing the known types, as --projection is, not answered "(none)".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment } from '../support/account-fields.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_700_000_000;
const BUILT_IN = 'cash_deposit, cash_withdrawal, incoming_payment, inter_account_transfer, verify_cash_deposit';

/** A data dir holding one card_payment, emitted with the fixture schemas. */
async function withCardPayment(): Promise<string> {
  const dir = join(tempDir(), 'lake');
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, `${JSON.stringify(cardPayment(1, T0, 'CARD-0001'))}\n`);
  const r = await runCli(['--data-dir', dir, '--schemas', ACCOUNT_FIELDS_SCHEMAS, 'emit', file]);
  assert.is(r.code, 0, r.stderr);
  return dir;
}

/** `events --type <type>` over [T0, T0 + 10), with `globals` (such as --schemas) before the command. */
const listing = (dir: string, globals: readonly string[], type: string) =>
  runCli(['--data-dir', dir, ...globals, 'events', '--since', String(T0), '--until', String(T0 + 10), '--type', type, '--json']);

const test = suite('eventlake events --type: known types only (CLI)');

test('an unknown --type exits 1 naming it and every built-in type', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '2024-01-01', '--type', 'nope']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: --type: unknown event type "nope": use one of ${BUILT_IN} (`);
});

test('one unknown --type among known ones is refused too', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '2024-01-01', '--type', 'cash_deposit', '--type', 'cash_depsit']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '--type: unknown event type "cash_depsit"');
});

test('the refusal lists the types of the --schemas folders as known', async () => {
  const r = await listing(await emptyDataDir(), ['--schemas', ACCOUNT_FIELDS_SCHEMAS], 'nope');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /use one of [^(]*card_payment/);
});

test('a built-in --type with no event in the range is answered, empty', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '2024-01-01', '--type', 'cash_deposit']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '(none)\n');
});

test('a user type the log holds is listed by --type with its schemas and without them (schema since removed)', async () => {
  const dir = await withCardPayment();
  for (const args of [['--schemas', ACCOUNT_FIELDS_SCHEMAS], []]) {
    const r = await listing(dir, args, 'card_payment');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, '"type":"card_payment"');
  }
});

test.run();
