// AthenaEventQuery against a mocked Athena: request shapes, polling, paging, statistics, failures and timeouts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, InvalidRequestException, StartQueryExecutionCommand,
  StopQueryExecutionCommand, TooManyRequestsException,
} from '@aws-sdk/client-athena';
import type { QueryExecutionState } from '@aws-sdk/client-athena';
import { AthenaEventQuery } from '../../../adapters/aws/athena-event-query.ts';
import type { AthenaEventQueryOptions } from '../../../adapters/aws/athena-event-query.ts';
import { QueryFailedError, TransientError } from '../../../domain/errors.ts';
import { QUERY_CATALOGUE } from '../../../domain/query-catalogue.ts';
import type { TimeRange } from '../../../domain/query-params.ts';
import { rejects } from '../../support/async.ts';

const athena = mockClient(AthenaClient);
const ID = 'qe-1';
const T1 = 1_709_802_000;
const T2 = T1 + 7200;

const columns = (...cols: [string, string][]) => cols.map(([Name, Type]) => ({ Name, Label: Name, Type }));
const row = (...values: (string | undefined)[]) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
const execution = (State: QueryExecutionState, extra: object = {}) =>
  ({ QueryExecution: { QueryExecutionId: ID, StatementType: 'DML' as const, Status: { State }, ...extra } });

/** A query that succeeds at once with one page of `rows` (header first). */
function succeeds(info = columns(['n', 'bigint']), rows = [row('n'), row('1')]): void {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
  athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { Statistics: { DataScannedInBytes: 4096, EngineExecutionTimeInMillis: 321 } }));
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: rows } });
}

function subject(extra: Partial<AthenaEventQueryOptions> = {}): { query: AthenaEventQuery; sleeps: number[] } {
  const sleeps: number[] = [];
  let clock = 0;
  const query = new AthenaEventQuery({
    client: new AthenaClient({ region: 'eu-west-1' }), workGroup: 'eventlake', database: 'lake',
    now: () => clock, sleep: async (ms) => { sleeps.push(ms); clock += ms; }, ...extra,
  });
  return { query, sleeps };
}

const test = suite('AthenaEventQuery');
test.before.each(() => { athena.reset(); });

test('a named query starts with its catalogue SQL, quoted and bare parameters, the workgroup and the database', async () => {
  succeeds();
  await subject({ outputLocation: 's3://results/eventlake/' }).query.named('account_history', { account: 'ACC-000042', from: T1, to: T2 });
  assert.equal(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input, {
    QueryString: QUERY_CATALOGUE['account_history']!.sql,
    WorkGroup: 'eventlake',
    QueryExecutionContext: { Database: 'lake', Catalog: 'AwsDataCatalog' },
    ExecutionParameters: ["'2024'", "'2024'", "'2024030709'", "'2024030710'", String(T1), String(T2), "'ACC-000042'", "'ACC-000042'"],
    ResultConfiguration: { OutputLocation: 's3://results/eventlake/' },
  });
});

test('raw SQL without values sends no ExecutionParameters, and no ResultConfiguration unless one is set', async () => {
  succeeds();
  await subject().query.sql('SELECT count(*) AS n FROM events');
  assert.equal(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input, {
    QueryString: 'SELECT count(*) AS n FROM events', WorkGroup: 'eventlake', QueryExecutionContext: { Database: 'lake', Catalog: 'AwsDataCatalog' },
  });
});

test('a quote in a value is doubled inside its parameter and never reaches the query text', async () => {
  succeeds();
  await subject().query.sql('SELECT * FROM events WHERE TargetAccount = ?', ["x' OR '1'='1"]);
  const input = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
  assert.equal(input.ExecutionParameters, ["'x'' OR ''1''=''1'"]);
  assert.not.ok(input.QueryString!.includes("'1'='1"));
});

test('eventsBetween runs events_to_replay with the types and accounts as lists', async () => {
  succeeds();
  await subject().query.eventsBetween({ from: T1, to: T2, types: ['cash_deposit', 'cash_withdrawal'], accounts: ['ACC-1'] });
  const input = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
  assert.is(input.QueryString, QUERY_CATALOGUE['events_to_replay']!.sql);
  assert.equal(input.ExecutionParameters!.slice(6), ["',cash_deposit,cash_withdrawal,'", "',cash_deposit,cash_withdrawal,'", "',ACC-1,'", "',ACC-1,'", "',ACC-1,'"]);
});

test('it polls with doubling waits, capped, until the query succeeds', async () => {
  succeeds();
  athena.on(GetQueryExecutionCommand)
    .resolvesOnce(execution('QUEUED')).resolvesOnce(execution('RUNNING')).resolvesOnce(execution('RUNNING')).resolvesOnce(execution('RUNNING'))
    .resolves(execution('SUCCEEDED'));
  const { query, sleeps } = subject({ firstPollMs: 100, maxPollMs: 300 });
  await query.sql('SELECT 1');
  assert.equal(sleeps, [100, 200, 300, 300]);
});

test('results are paged with NextToken, values typed by column', async () => {
  succeeds();
  const info = columns(['event_id', 'varchar'], ['net_cents', 'bigint'], ['amount', 'decimal'], ['ok', 'boolean'], ['big', 'bigint']);
  athena.on(GetQueryResultsCommand)
    .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('event_id', 'net_cents', 'amount', 'ok', 'big'), row('a', '-1250', '12.50', 'true', '9007199254740993')] }, NextToken: 'page-2' })
    .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('b', undefined, undefined, 'false', '1')] } });
  const r = await subject().query.sql('SELECT …');
  assert.equal(r.columns, ['event_id', 'net_cents', 'amount', 'ok', 'big']);
  assert.equal(r.rows, [
    { event_id: 'a', net_cents: -1250, amount: '12.50', ok: true, big: 9007199254740993n },
    { event_id: 'b', net_cents: null, amount: null, ok: false, big: 1 },
  ]);
  const calls = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
  assert.equal(calls, [{ QueryExecutionId: ID, MaxResults: 1000 }, { QueryExecutionId: ID, MaxResults: 1000, NextToken: 'page-2' }]);
});

test('only the first page starts with the header row', async () => {
  succeeds();
  const info = columns(['name', 'varchar']);
  athena.on(GetQueryResultsCommand)
    .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('name'), row('a')] }, NextToken: 'p2' })
    .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('name'), row('b')] } });
  assert.equal((await subject().query.sql('SELECT name FROM t')).rows, [{ name: 'a' }, { name: 'name' }, { name: 'b' }]);
});

test("Athena's statistics are returned: bytes scanned and engine time", async () => {
  succeeds();
  assert.equal((await subject().query.sql('SELECT 1')).stats, { bytesScanned: 4096, engineMs: 321 });
});

test("a FAILED query is a QueryFailedError with Athena's reason", async () => {
  succeeds();
  athena.on(GetQueryExecutionCommand).resolves(execution('FAILED', { Status: { State: 'FAILED', StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" } }));
  const error = await rejects(() => subject().query.sql('SELECT nope FROM events'), QueryFailedError);
  assert.match(error.message, /FAILED: COLUMN_NOT_FOUND/);
  assert.is(athena.commandCalls(GetQueryResultsCommand).length, 0);
});

test('a CANCELLED query is a QueryFailedError too', async () => {
  succeeds();
  athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', { Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' } }));
  assert.match((await rejects(() => subject().query.sql('SELECT 1'), QueryFailedError)).message, /CANCELLED: Query cancelled by user/);
});

test('a query still running at the timeout is stopped and reported as a QueryFailedError', async () => {
  succeeds();
  athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
  athena.on(StopQueryExecutionCommand).resolves({});
  const error = await rejects(() => subject({ timeoutMs: 1_000, firstPollMs: 100, maxPollMs: 400 }).query.sql('SELECT 1'), QueryFailedError);
  assert.match(error.message, /did not finish within 1000 ms \(still RUNNING\)/);
  assert.equal(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input), [{ QueryExecutionId: ID }]);
});

test('throttling is a TransientError, a rejected request a QueryFailedError; both keep the SDK error as cause', async () => {
  athena.on(StartQueryExecutionCommand).rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
    .rejectsOnce(new InvalidRequestException({ message: 'line 1:1: mismatched input', $metadata: {} }));
  const throttled = await rejects(() => subject().query.sql('SELECT 1'), TransientError);
  assert.instance(throttled.cause, TooManyRequestsException);
  const invalid = await rejects(() => subject().query.sql('SELEKT 1'), QueryFailedError);
  assert.match(invalid.message, /mismatched input/);
});

test('unrestored archived objects of the range come from the injected lookup', async () => {
  succeeds();
  const asked: TimeRange[] = [];
  const unreadable = async (range: TimeRange) => { asked.push(range); return ['events/year=2024/month=03/day=07/hour=09/segment.ndjson']; };
  const r = await subject({ unreadable }).query.named('counts_per_type_per_day', { from: T1, to: T2 });
  assert.equal([r.unreadable, asked], [['events/year=2024/month=03/day=07/hour=09/segment.ndjson'], [{ from: T1, to: T2 }]]);
});

test.run();
