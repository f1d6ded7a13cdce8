// `eventlake query`: which query each form runs, and the table / NDJSON / CSV output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { formatResult, registerQueryCommand } from '../../cli/commands/query.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { eventKey, serializeEvent } from '../../domain/event.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import { rejects } from '../support/async.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const RESULT: QueryResult = {
  columns: ['account', 'net_cents', 'note'],
  rows: [{ account: 'ACC-1', net_cents: 12_345, note: 'a, "quoted" note' }, { account: 'ACC-2', net_cents: 2n ** 60n, note: null }],
  stats: { engineMs: 7 },
  unreadable: [],
};

/** A fake EventQuery recording its calls. */
function recorder(result: QueryResult = RESULT): { query: EventQuery; calls: unknown[][]; closed: () => boolean } {
  const calls: unknown[][] = [];
  let closed = false;
  const query: EventQuery = {
    eventsBetween: async (q) => (calls.push(['eventsBetween', q]), result),
    named: async (name, params) => (calls.push(['named', name, params]), result),
    sql: async (text, params) => (calls.push(['sql', text, ...(params ? [params] : [])]), result),
    close: async () => { closed = true; },
  };
  return { query, calls, closed: () => closed };
}

async function run(query: EventQuery, ...args: string[]): Promise<{ out: string; err: string; dataDir?: string }> {
  let out = '';
  let err = '';
  let dataDir: string | undefined;
  const program = new Command('eventlake').option('--data-dir <dir>').exitOverride();
  registerQueryCommand(program, async (opts) => ((dataDir = opts.dataDir), { query, close: () => query.close() }), { out: (t) => (out += t), err: (t) => (err += t) });
  await program.parseAsync(['query', ...args], { from: 'user' });
  return { out, err, ...(dataDir ? { dataDir } : {}) };
}

const test = suite('eventlake query');

test('a SQL argument runs as raw SQL, and the query is closed after', async () => {
  const r = recorder();
  await run(r.query, 'SELECT 1');
  assert.equal(r.calls, [['sql', 'SELECT 1']]);
  assert.ok(r.closed());
});

test('--since/--until/--type/--account run eventsBetween, times read as UTC', async () => {
  const r = recorder();
  await run(r.query, '--since', '2024-03-07T09:00', '--until', '1709809200', '--type', 'cash_deposit', '--type', 'cash_withdrawal', '--account', 'ACC-1');
  assert.equal(r.calls, [['eventsBetween', { from: 1_709_802_000, to: 1_709_809_200, types: ['cash_deposit', 'cash_withdrawal'], accounts: ['ACC-1'] }]]);
});

test('--named runs a catalogue query with its --param values and the range options', async () => {
  const r = recorder();
  await run(r.query, '--named', 'reconciliation_totals', '--param', 'account=ACC-1', '--since', '2024-03-01');
  assert.equal(r.calls, [['named', 'reconciliation_totals', { account: 'ACC-1', from: '2024-03-01' }]]);
});

test('no query, or two at once, is an InvalidArgumentError', async () => {
  await rejects(() => run(recorder().query), InvalidArgumentError);
  await rejects(() => run(recorder().query, 'SELECT 1', '--since', '0'), InvalidArgumentError);
  await rejects(() => run(recorder().query, 'SELECT 1', '--json', '--csv'), InvalidArgumentError);
});

test('the default output is an aligned table; counts go to stderr', async () => {
  const { out, err } = await run(recorder().query, 'SELECT 1');
  assert.is(out, [
    'account  net_cents            note',
    '-------  -------------------  ----------------',
    'ACC-1    12345                a, "quoted" note',
    'ACC-2    1152921504606846976',
    '',
  ].join('\n'));
  assert.is(err, '(2 rows, 7 ms)\n');
});

test('--json writes NDJSON with big integers exact', async () => {
  const { out } = await run(recorder().query, 'SELECT 1', '--json');
  assert.is(out, '{"account":"ACC-1","net_cents":12345,"note":"a, \\"quoted\\" note"}\n{"account":"ACC-2","net_cents":1152921504606846976,"note":null}\n');
});

test('--csv quotes fields with commas or quotes and writes a header', () => {
  assert.is(formatResult(RESULT, 'csv'), 'account,net_cents,note\r\nACC-1,12345,"a, ""quoted"" note"\r\nACC-2,1152921504606846976,\r\n');
});

test('unrestored archived objects are named on stderr with the restore command', async () => {
  const { err } = await run(recorder({ ...RESULT, unreadable: ['events/year=2024/month=03/day=07/hour=09/segment.ndjson'] }).query, 'SELECT 1', '--json');
  assert.match(err, /1 archived object\(s\) in the range are not restored/);
  assert.match(err, /eventlake restore --keys events\/year=2024\/month=03\/day=07\/hour=09\/segment\.ndjson/);
});

test('end to end on DuckDB: the events of a range from the data dir', async () => {
  const dataDir = tempDir();
  for (const e of [SAMPLES.cash_deposit!, SAMPLES.cash_withdrawal!]) {
    mkdirSync(dirname(join(dataDir, eventKey(e))), { recursive: true });
    writeFileSync(join(dataDir, eventKey(e)), `${serializeEvent(e)}\n`);
  }
  const query = new DuckDbEventQuery({ dataDir });
  const { out, dataDir: opened } = await run(query, '--data-dir', dataDir, '--since', '2009-02-13T23:00:00Z', '--csv');
  assert.is(opened, dataDir);
  assert.is(out.split('\r\n')[0], 'event_id,event_type,event_time,object_key');
  assert.equal(out.split('\r\n').slice(1, -1).map((l) => l.split(',')[1]), ['cash_deposit', 'cash_withdrawal']);
});

test.run();
