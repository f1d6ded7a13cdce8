// `eventlake query --target aws` (openAwsEventQuery: Athena mocked, the index on DynamoDB Local) names the archived
// objects whose restore the index records as running in `restoring`, beside `unreadable`, for short ranges and long
// ones (the hours the hour directory lists) alike. Raw SQL does not look (athena-raw-sql-index.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { openAwsEventQuery } from '../../../adapters/aws/open-aws-event-query.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { partitionPrefix } from '../../../domain/event.ts';
import type { NewIndexEntry } from '../../../domain/ports/event-index.ts';
import type { EventQuery, QueryResult } from '../../../domain/ports/event-query.ts';
import type { RestoreState, StorageClass } from '../../../domain/ports/storage.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

const athena = mockClient(AthenaClient);
const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z

function entry(id: string, timestamp: number, storageClass: StorageClass, restore: RestoreState): NewIndexEntry {
  return { id, type: 'cash_deposit', timestamp, accounts: [], location: { key: `${partitionPrefix(timestamp)}${id}.event` }, size: 100, storageClass, restore };
}
const key = (e: NewIndexEntry) => e.location.key;

const waiting = entry('waiting', T0, 'GLACIER', 'NONE');
const running = entry('running', T0 + 3600, 'DEEP_ARCHIVE', 'RESTORING');
const done = entry('done', T0 + 7200, 'GLACIER', 'RESTORED');

/** The stack's query, its index holding one archived object of each restore state and a hot one. */
async function stackQuery() {
  const db = await dynamoDb();
  const indexTable = await db.createTable(EVENT_INDEX_TABLE, 'index');
  await new DynamoDbEventIndex({ client: db.client, tableName: indexTable }).put([waiting, running, done, entry('hot', T0 + 60, 'STANDARD', 'NONE')]);
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'qe-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'qe-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  return openAwsEventQuery({
    bucket: 'lake', indexTable, controlTable: 'control', region: 'eu-west-1', athena: { workGroup: 'eventlake', database: 'lake' },
    clients: { athena: new AthenaClient({ region: 'eu-west-1' }), dynamodb: db.client },
  });
}

/** What a query of the stack misses: `unreadable` and `restoring`. */
async function missingOf(run: (query: EventQuery) => Promise<QueryResult>): Promise<Pick<QueryResult, 'unreadable' | 'restoring'>> {
  const { query, close } = await stackQuery();
  try {
    const r = await run(query);
    return { unreadable: r.unreadable, restoring: r.restoring };
  } finally {
    await close();
  }
}

const test = suite('openAwsEventQuery: restoring objects');
test.before.each(() => { athena.reset(); });

test('a range of hour buckets: the object whose restore is running is in restoring and stays in unreadable', async () => {
  assert.equal(await missingOf((q) => q.eventsBetween({ from: T0, to: T0 + 86_400 })), { unreadable: [key(waiting), key(running)].sort(), restoring: [key(running)] });
});

test('a range of over a month (the directory\'s hours): the same split', async () => {
  assert.equal(await missingOf((q) => q.eventsBetween({ from: T0 - 40 * 86_400, to: T0 + 86_400 })), { unreadable: [key(waiting), key(running)].sort(), restoring: [key(running)] });
});

test('a range without a running restore: restoring is empty, known to be none', async () => {
  assert.equal(await missingOf((q) => q.named('counts_per_type_per_day', { from: T0, to: T0 + 1800 })), { unreadable: [key(waiting)], restoring: [] });
});

test.run();
