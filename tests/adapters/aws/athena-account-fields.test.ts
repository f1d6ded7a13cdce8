// AthenaEventQuery given the account fields user schemas declare: the catalogue's account filters read them, in the
// SQL text it sends, with the account values bound as ExecutionParameters (never in the text).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { AthenaEventQuery } from '../../../adapters/aws/athena-event-query.ts';
import { queryCatalogue } from '../../../domain/query-catalogue.ts';
import type { AccountDeclaration } from '../../../domain/query-accounts.ts';

const athena = mockClient(AthenaClient);
const T1 = 1_709_802_000;
const T2 = T1 + 7200;
const DECLARED: readonly AccountDeclaration[] = [
  { type: 'card_payment', version: 1, fields: ['CardAccount'] },
  { type: 'fee_charged', version: 1, fields: ['Account', 'WaivedFor'] },
];
/** The two account slots the SQL reads: declared fields by type and version, SourceAccount / TargetAccount otherwise. */
const SLOT_0 = `CASE WHEN (EventType = 'card_payment' AND SchemaVersion IN (1)) THEN "CardAccount" WHEN (EventType = 'fee_charged' AND SchemaVersion IN (1)) THEN "Account" ELSE SourceAccount END`;
const SLOT_1 = `CASE WHEN (EventType = 'card_payment' AND SchemaVersion IN (1)) THEN CAST(NULL AS VARCHAR) WHEN (EventType = 'fee_charged' AND SchemaVersion IN (1)) THEN "WaivedFor" ELSE TargetAccount END`;

function query(): AthenaEventQuery {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'qe-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'qe-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  return new AthenaEventQuery({ client: new AthenaClient({ region: 'eu-west-1' }), workGroup: 'eventlake', database: 'lake', accounts: DECLARED, sleep: async () => undefined });
}
const sent = () => athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;

const test = suite('AthenaEventQuery: declared account fields');
test.before.each(() => { athena.reset(); });

test('account_history sends the catalogue over the declared fields, the account bound twice', async () => {
  await query().named('account_history', { account: 'CARD-0001', from: T1, to: T2 });
  assert.equal(sent(), {
    QueryString: queryCatalogue(DECLARED)['account_history']!.sql,
    WorkGroup: 'eventlake',
    QueryExecutionContext: { Database: 'lake', Catalog: 'AwsDataCatalog' },
    ExecutionParameters: ["'2024'", "'2024'", "'2024030709'", "'2024030710'", String(T1), String(T2), "'CARD-0001'", "'CARD-0001'"],
  });
  assert.match(sent().QueryString!, ` AND (${SLOT_0} = ? OR ${SLOT_1} = ?)\n), unique_events`);
});

test('eventsBetween by account filters both slots, the account list bound three times as ever', async () => {
  await query().eventsBetween({ from: T1, to: T2, accounts: ['CARD-0001', 'ACC-000001'] });
  assert.equal(sent().ExecutionParameters, ["'2024'", "'2024'", "'2024030709'", "'2024030710'", String(T1), String(T2), "''", "''",
    "',CARD-0001,ACC-000001,'", "',CARD-0001,ACC-000001,'", "',CARD-0001,ACC-000001,'"]);
  assert.match(sent().QueryString!, `strpos(?, ',' || coalesce(${SLOT_0}, '') || ',') > 0 OR strpos(?, ',' || coalesce(${SLOT_1}, '') || ',') > 0)\n), unique_events`);
  assert.not.match(sent().QueryString!, 'CARD-0001');
});

test('a type name or field that is not a plain name is refused rather than spliced into the SQL', () => {
  assert.throws(() => queryCatalogue([{ type: "x' OR 1=1 --", version: 1, fields: ['A'] }]), /accounts/);
  assert.throws(() => queryCatalogue([{ type: 'card_payment', version: 1, fields: ['Card Account'] }]), /plain identifiers/);
});

test.run();
