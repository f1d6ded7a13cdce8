// `eventlake query --target aws` reads the index for objects the range cannot read: a wrong indexTable there is worded
// as the lake's own reads word it (the setting, its variable, the stack output), not left as the SDK's bare words.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { openAwsEventQuery } from '../../../adapters/aws/open-aws-event-query.ts';

const athena = mockClient(AthenaClient);
const dynamodb = mockClient(DynamoDBClient);
const test = suite('openAwsEventQuery: a wrong indexTable');

test('a named query over a time range whose index table does not exist names indexTable and the stack output', async () => {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'qe-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'qe-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  dynamodb.onAnyCommand().rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
  const { query, close } = await openAwsEventQuery({
    bucket: 'lake', indexTable: 'no-such-index', controlTable: 'lake-control', region: 'eu-west-1', athena: { workGroup: 'eventlake', database: 'lake' },
    clients: { athena: new AthenaClient({ region: 'eu-west-1' }), dynamodb: new DynamoDBClient({ region: 'eu-west-1' }) },
  });
  try {
    const error = await query.named('counts_per_type_per_day', { from: '2024-03-01', to: '2024-03-02' }).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(error, 'the query fails');
    assert.match(error!.message, 'no-such-index');
    assert.match(error!.message, 'indexTable');
    assert.match(error!.message, 'IndexTableName');
  } finally {
    await close();
  }
});

test.after(() => { athena.restore(); dynamodb.restore(); });

test.run();
