// Raw SQL on AWS (`eventlake query "SELECT …" --target aws`) reads nothing of the index: its range is the whole log,
// which the unreadable-object lookup could only answer with a consistent Scan of every index entry on each query.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { openAwsEventQuery } from '../../../adapters/aws/open-aws-event-query.ts';

const athena = mockClient(AthenaClient);
const dynamodb = mockClient(DynamoDBClient);

async function run(ask: (q: Awaited<ReturnType<typeof openAwsEventQuery>>['query']) => Promise<unknown>): Promise<unknown> {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'qe-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'qe-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  dynamodb.onAnyCommand().resolves({});
  const { query, close } = await openAwsEventQuery({
    bucket: 'lake', indexTable: 'lake-index', controlTable: 'lake-control', region: 'eu-west-1', athena: { workGroup: 'eventlake', database: 'lake' },
    clients: { athena: new AthenaClient({ region: 'eu-west-1' }), dynamodb: new DynamoDBClient({ region: 'eu-west-1' }) },
  });
  try {
    return await ask(query);
  } finally {
    await close();
  }
}

const test = suite('AthenaEventQuery: raw SQL and the index');
test.before.each(() => { athena.reset(); dynamodb.reset(); });

test('raw SQL sends Athena its three calls and the index none (no Scan of the whole index)', async () => {
  await run((q) => q.sql('SELECT count(*) FROM events'));
  assert.equal(athena.calls().map((c) => c.args[0].constructor.name), ['StartQueryExecutionCommand', 'GetQueryExecutionCommand', 'GetQueryResultsCommand']);
  assert.equal(dynamodb.calls().map((c) => c.args[0].constructor.name), []);
});

test('raw SQL reports no unreadable object and leaves restoring absent: not checked, rather than none', async () => {
  const r = await run((q) => q.sql('SELECT 1')) as { unreadable: unknown; restoring?: unknown; unreadableUnchecked?: unknown };
  assert.equal([r.unreadable, 'restoring' in r, r.unreadableUnchecked], [[], false, true]);
});

// mockClient replaces send on the client classes for the whole process: a file run after this one in the same batch
// (the runner batches small files) reached DynamoDB Local through the mock and hung until the batch was killed.
test.after(() => { athena.restore(); dynamodb.restore(); });

test.run();
