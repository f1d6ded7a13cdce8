// `eventlake query --target aws --type` checks its types against the loaded schemas only (built-in, --schemas): the
// deployed DynamoDB index has no lookup by type, and finding that a type has no event would read every hour bucket of
// the log. So an unknown type is refused before any request, saying how to reach a type whose schema is not loaded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runCli } from '../security/cli-run.ts';
import { ACCOUNT_FIELDS_SCHEMAS } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const athena = mockClient(AthenaClient);
const dynamodb = mockClient(DynamoDBClient);

/** A config file of a deployed stack (names only: every request goes to the mocks). */
function configFile(): string {
  const file = join(tempDir(), 'eventlake.json');
  writeFileSync(file, JSON.stringify({
    target: 'aws', region: 'eu-west-1', bucket: 'lake', indexTable: 'lake-index', controlTable: 'lake-control', athena: { workGroup: 'eventlake', database: 'lake' },
  }));
  return file;
}

/** `query --named events_to_replay --since 2024-03-01 …args` on the stack, with `globals` before the command. */
const named = (args: readonly string[], globals: readonly string[] = []) =>
  runCli(['--config', configFile(), ...globals, 'query', '--named', 'events_to_replay', '--since', '2024-03-01', '--until', '2024-03-02', ...args, '--json']);

const test = suite('eventlake query --target aws --type: the loaded schemas\' types only');
test.before.each(() => {
  athena.reset();
  dynamodb.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'qe-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'qe-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  dynamodb.onAnyCommand().resolves({});
});

test('an unknown --type is refused before any request, naming --schemas and the SQL that selects it', async () => {
  const r = await named(['--type', 'nope']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'INVALID_ARGUMENT: --type: unknown event type "nope": use one of cash_deposit, ');
  assert.match(r.stderr, 'a deployed index is not searched by type, so a type whose schema is not loaded is refused even if the log holds events of it: ' +
    'load its folder with --schemas, or select it in SQL: WHERE EventType = \'nope\'');
  assert.is(athena.calls().length, 0, 'Athena was asked');
  assert.is(dynamodb.calls().length, 0, 'the index was read');
});

test('a type of the --schemas folders passes the check and the query runs', async () => {
  const r = await named(['--param', 'type=card_payment'], ['--schemas', ACCOUNT_FIELDS_SCHEMAS]);
  assert.not.match(r.stderr, 'unknown event type');
  assert.is(athena.commandCalls(StartQueryExecutionCommand).length, 1, r.stderr);
});

test.after(() => { athena.restore(); dynamodb.restore(); });

test.run();
