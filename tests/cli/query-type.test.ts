// `eventlake query --type` (a --since query, or a named query's type, by --type or --param type=) names a type the
// lake knows, as `events --type` does: a loaded schema's or one the log holds events of. An unknown one is refused
// listing the known types, not answered with no rows.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment } from '../support/account-fields.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_700_000_000;
const BUILT_IN = 'cash_deposit, cash_withdrawal, incoming_payment, inter_account_transfer, verify_cash_deposit';

/** `query --since T0 --until T0+10 …args --json` on `dir`, with `globals` (such as --schemas) before the command. */
const query = (dir: string, args: readonly string[], globals: readonly string[] = []) =>
  runCli(['--data-dir', dir, ...globals, 'query', '--since', String(T0), '--until', String(T0 + 10), ...args, '--json']);

const test = suite('eventlake query --type: known types only (local)');

test('an unknown --type of a --since query exits 1 naming it and every built-in type, printing no rows', async () => {
  const r = await query(await emptyDataDir(), ['--type', 'nope']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, `eventlake: INVALID_ARGUMENT: --type: unknown event type "nope": use one of ${BUILT_IN} (`);
});

test('one unknown --type among known ones is refused too', async () => {
  const r = await query(await emptyDataDir(), ['--type', 'cash_deposit', '--type', 'cash_depsit']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '--type: unknown event type "cash_depsit"');
});

test('a named query\'s type is checked whether given by --type or by --param type=', async () => {
  const dir = await emptyDataDir();
  const byFlag = await runCli(['--data-dir', dir, 'query', '--named', 'events_to_replay', '--since', String(T0), '--type', 'nope']);
  assert.is(byFlag.code, 1, byFlag.stderr);
  assert.match(byFlag.stderr, 'INVALID_ARGUMENT: --type: unknown event type "nope"');
  const byParam = await runCli(['--data-dir', dir, 'query', '--named', 'events_to_replay', '--since', String(T0), '--param', 'type=cash_deposit, nope']);
  assert.is(byParam.code, 1, byParam.stderr);
  assert.match(byParam.stderr, 'INVALID_ARGUMENT: --param: unknown event type "nope"');
});

test('a named query that takes no type refuses --param type= as no parameter of it, not as an unknown type', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'query', '--named', 'counts_per_type_per_day', '--param', 'type=nope']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: type: counts_per_type_per_day has no such parameter; it takes from, to');
});

test('a built-in --type with no event in the range is answered, with no rows', async () => {
  const r = await query(await emptyDataDir(), ['--type', 'cash_deposit']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
});

test('a user type the log holds is queried by --type with its schemas and without them (schema since removed)', async () => {
  const dir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir: dir, schemaFolders: [ACCOUNT_FIELDS_SCHEMAS] });
  try {
    await local.lake.emit([cardPayment(1, T0, 'CARD-0001')]);
  } finally {
    await local.close();
  }
  for (const globals of [['--schemas', ACCOUNT_FIELDS_SCHEMAS], []]) {
    const r = await query(dir, ['--type', 'card_payment'], globals);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, '"event_type":"card_payment"');
  }
});

test.run();
