// AthenaEventQuery never leaves a query running when it stops waiting for it: every failure after the start stops
// it (best-effort), and a throttled status poll is retried a few times before it gives up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, InvalidRequestException, StartQueryExecutionCommand,
  StopQueryExecutionCommand, TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { AthenaEventQuery } from '../../../adapters/aws/athena-event-query.ts';
import { THROTTLED_POLL_RETRIES } from '../../../adapters/aws/athena-query-wait.ts';
import { QueryFailedError, TransientError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';

const athena = mockClient(AthenaClient);
const ID = 'qe-stop-1';
const throttle = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
const refuse = () => new InvalidRequestException({ message: 'not authorized to perform athena:GetQueryExecution', $metadata: {} });
const stops = () => athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input);
const polls = () => athena.commandCalls(GetQueryExecutionCommand).length;

function subject(): { query: AthenaEventQuery; sleeps: number[] } {
  const sleeps: number[] = [];
  let clock = 0;
  const query = new AthenaEventQuery({
    client: new AthenaClient({ region: 'eu-west-1' }), workGroup: 'eventlake', database: 'lake', firstPollMs: 100, maxPollMs: 800,
    now: () => clock, sleep: async (ms) => { sleeps.push(ms); clock += ms; },
  });
  return { query, sleeps };
}

const test = suite('AthenaEventQuery stops what it gives up on');
test.before.each(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
  athena.on(StopQueryExecutionCommand).resolves({});
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] }, Rows: [] } });
});

test('a refused status poll stops the query and throws the poll\'s failure with the SDK error as cause', async () => {
  athena.on(GetQueryExecutionCommand).rejects(refuse());
  const error = await rejects(() => subject().query.sql('SELECT 1'), QueryFailedError);
  assert.match(error.message, /polling the query failed: not authorized/);
  assert.instance(error.cause, InvalidRequestException);
  assert.equal(stops(), [{ QueryExecutionId: ID }]);
});

test('a throttled status poll is retried with doubling waits until Athena answers, and nothing is stopped', async () => {
  let poll = athena.on(GetQueryExecutionCommand);
  for (let i = 0; i < THROTTLED_POLL_RETRIES; i++) poll = poll.rejectsOnce(throttle());
  poll.resolves({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'SUCCEEDED' } } });
  const { query, sleeps } = subject();
  await query.sql('SELECT 1');
  assert.equal([polls(), sleeps, stops()], [THROTTLED_POLL_RETRIES + 1, [100, 200, 400, 800], []]);
});

test('a status poll throttled past the retries stops the query and throws a TransientError with the SDK error as cause', async () => {
  athena.on(GetQueryExecutionCommand).rejects(throttle());
  const error = await rejects(() => subject().query.sql('SELECT 1'), TransientError);
  assert.instance(error.cause, TooManyRequestsException);
  assert.equal([polls(), stops()], [THROTTLED_POLL_RETRIES + 1, [{ QueryExecutionId: ID }]]);
});

test('throttled polls are counted in a row: an answer between them starts the count again', async () => {
  let poll = athena.on(GetQueryExecutionCommand);
  for (let i = 0; i < THROTTLED_POLL_RETRIES; i++) poll = poll.rejectsOnce(throttle());
  poll = poll.resolvesOnce({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'RUNNING' } } });
  for (let i = 0; i < THROTTLED_POLL_RETRIES; i++) poll = poll.rejectsOnce(throttle());
  poll.resolves({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'SUCCEEDED' } } });
  await subject().query.sql('SELECT 1');
  assert.equal([polls(), stops()], [2 * THROTTLED_POLL_RETRIES + 2, []]);
});

test('a stop that fails too leaves the poll\'s failure as the error thrown', async () => {
  athena.on(GetQueryExecutionCommand).rejects(refuse());
  athena.on(StopQueryExecutionCommand).rejects(throttle());
  const error = await rejects(() => subject().query.sql('SELECT 1'), QueryFailedError);
  assert.instance(error.cause, InvalidRequestException);
  assert.equal(stops(), [{ QueryExecutionId: ID }]);
});

test('a query that FAILED or was CANCELLED by itself has ended: it is not stopped', async () => {
  athena.on(GetQueryExecutionCommand).resolvesOnce({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'FAILED', StateChangeReason: 'SYNTAX_ERROR' } } })
    .resolves({ QueryExecution: { QueryExecutionId: ID, Status: { State: 'CANCELLED' } } });
  await rejects(() => subject().query.sql('SELECT 1'), QueryFailedError);
  await rejects(() => subject().query.sql('SELECT 1'), QueryFailedError);
  assert.equal(stops(), []);
});

test.run();
