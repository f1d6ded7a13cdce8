// `eventlake query` never ignores a flag: one the chosen form (SQL, --since, --named) does not use, or a parameter
// given twice with different values, is refused before the data dir is opened, naming the flag and the fix.

import { suite } from 'uvu';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';

const test = suite('eventlake query: flags the chosen form does not use (CLI)');
const COUNT = 'SELECT count(*) n FROM events';

test('--type with SQL is refused with the WHERE clause that filters by type', async () => {
  await assertRefusedBeforeOpen(['query', COUNT, '--type', 'cash_deposit', '--csv'],
    "eventlake: INVALID_ARGUMENT: --type: applies to --since and --named queries; with SQL, filter in the WHERE clause: WHERE EventType = 'cash_deposit'\n");
});

test('--account with SQL is refused with the WHERE clause over both account columns, quotes doubled', async () => {
  await assertRefusedBeforeOpen(['query', COUNT, '--account', 'A', '--account', "B'x"],
    "--account: applies to --since and --named queries; with SQL, filter in the WHERE clause: WHERE SourceAccount IN ('A', 'B''x') OR TargetAccount IN ('A', 'B''x')");
});

test('--until with SQL is refused with the WHERE clause in epoch seconds', async () => {
  await assertRefusedBeforeOpen(['query', COUNT, '--until', '2025-01-11'],
    '--until: applies to --since and --named queries; with SQL, filter in the WHERE clause: WHERE EventTimeStamp < 1736553600');
});

test('--since with SQL is refused with the WHERE clause in epoch seconds', async () => {
  await assertRefusedBeforeOpen(['query', COUNT, '--since', '2025-01-10'], 'WHERE EventTimeStamp >= 1736467200');
});

test('--param with SQL is refused: SQL takes no parameters', async () => {
  await assertRefusedBeforeOpen(['query', COUNT, '--param', 'account=X'], '--param: applies to --named queries only; SQL takes no parameters');
});

test('--param with --since is refused naming the flag to give instead', async () => {
  await assertRefusedBeforeOpen(['query', '--since', '2025-01-10', '--until', '2025-01-11', '--param', 'account=X'],
    '--param: applies to --named queries only; a --since query takes --until, --type and --account: give --account X instead of --param account=X');
});

test('--type with a named query that takes no type is refused naming the queries that do', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'counts_per_type_per_day', '--type', 'cash_deposit'],
    '--type: counts_per_type_per_day takes no type (its parameters: from, to); --type applies to --since queries and to --named events_to_replay');
});

test('--since and --param from with different values are refused naming both, whatever the order', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'counts_per_type_per_day', '--param', 'from=2025-01-20', '--since', '2025-01-10'],
    '--since: from is given twice with different values, --param from=2025-01-20 and --since 2025-01-10: give it once');
  await assertRefusedBeforeOpen(['query', '--named', 'counts_per_type_per_day', '--since', '2025-01-10', '--param', 'from=2025-01-20'],
    'from is given twice with different values, --param from=2025-01-20 and --since 2025-01-10');
});

test('--account and --param account with different values are refused naming both', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'reconciliation_totals', '--param', 'account=A', '--account', 'B'],
    '--account: account is given twice with different values, --param account=A and --account B: give it once');
});

test('--param given twice for one key with different values is refused naming the key and both values', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'reconciliation_totals', '--param', 'account=A', '--param', 'account=B'],
    '--param: account is given twice with different values, --param account=A and --param account=B: give it once');
});

test('--param since= and --param from= name one parameter: different values are refused', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'events_to_replay', '--param', 'since=2025-01-10', '--param', 'from=2025-01-11'],
    '--param: from is given twice with different values, --param since=2025-01-10 and --param from=2025-01-11');
});

test('two accounts for a named query that takes one account are refused, not joined into one that matches nothing', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'reconciliation_totals', '--account', 'A', '--account', 'B'],
    '--account: reconciliation_totals takes one account, given A, B: run it once per account');
});

test('--since given twice with different values is refused, not settled by the last', async () => {
  await assertRefusedBeforeOpen(['query', '--since', '2025-01-10', '--since', '2025-01-11'],
    '--since: is given twice with different values, 2025-01-10 and 2025-01-11: give it once');
});

test.run();
