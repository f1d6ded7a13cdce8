// The Glue table of the log: JSON SerDe, hour partitions by projection, restored Glacier objects readable.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTable } from 'aws-cdk-lib/aws-glue';
import { EVENT_LOG_TABLE, JSON_SERDE, eventLogTableInput } from '../../../adapters/aws/glue-table.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { EVENT_COLUMNS } from '../../../domain/query-columns.ts';

const isInvalid = (e: unknown) => e instanceof InvalidArgumentError;
const test = suite('eventLogTableInput');
const { databaseName, tableInput } = eventLogTableInput({ bucketName: 'my-log-bucket' });

test('partitions are year/month/day/hour strings, projected from the key layout', () => {
  assert.equal(tableInput.partitionKeys, [
    { name: 'year', type: 'string' }, { name: 'month', type: 'string' }, { name: 'day', type: 'string' }, { name: 'hour', type: 'string' },
  ]);
  const p = tableInput.parameters;
  assert.is(p['projection.enabled'], 'true');
  assert.equal([p['projection.year.type'], p['projection.year.range']], ['integer', '2020,2100']);
  for (const [col, range] of [['month', '1,12'], ['day', '1,31'], ['hour', '0,23']]) {
    assert.equal([p[`projection.${col}.type`], p[`projection.${col}.range`], p[`projection.${col}.digits`]], ['integer', range, '2'], col);
  }
  assert.is(p['storage.location.template'], 's3://my-log-bucket/events/year=${year}/month=${month}/day=${day}/hour=${hour}/');
});

test('restored Glacier objects are readable', () => {
  assert.is(tableInput.parameters['read_restored_glacier_objects'], 'true');
});

test('objects are read as JSON lines by the OpenX SerDe, failing on malformed lines', () => {
  const sd = tableInput.storageDescriptor;
  assert.is(sd.serdeInfo.serializationLibrary, JSON_SERDE);
  assert.is(sd.serdeInfo.parameters['ignore.malformed.json'], 'false');
  assert.is(sd.location, 's3://my-log-bucket/events/');
  assert.is(sd.inputFormat, 'org.apache.hadoop.mapred.TextInputFormat');
});

test('columns are the flat event fields: amounts as strings, breakdowns as maps, the timestamp as bigint', () => {
  const cols = Object.fromEntries(tableInput.storageDescriptor.columns.map((c) => [c.name, c.type]));
  assert.is(tableInput.storageDescriptor.columns.length, EVENT_COLUMNS.length);
  assert.equal([cols['amount'], cols['currency'], cols['verifiedcurrency'], cols['eventtimestamp']], ['string', 'map<string,int>', 'map<string,int>', 'bigint']);
});

test('names and the first projected year can be chosen; bad values are refused', () => {
  const t = eventLogTableInput({ bucketName: 'b', databaseName: 'lake_prod', tableName: 'events', firstYear: 2024 });
  assert.equal([t.databaseName, t.tableInput.name, t.tableInput.parameters['projection.year.range']], ['lake_prod', 'events', '2024,2100']);
  assert.equal([databaseName, tableInput.name], ['eventlake', EVENT_LOG_TABLE]);
  assert.throws(() => eventLogTableInput({ bucketName: 'b', firstYear: 1900 }), isInvalid);
  assert.throws(() => eventLogTableInput({ bucketName: 'a/b' }), isInvalid);
});

test('CfnTable accepts it as props, and synthesizes the table with its projection', () => {
  // Without aws-cdk-lib's CloudFormation validation (its WASM engine: ~9 s CPU here): the test reads the table's
  // properties, and tests/infra/app.test.ts validates the stack that holds this same table (infra/query.ts).
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'GlueTableTest');
  new CfnTable(stack, 'Events', { catalogId: '123456789012', ...eventLogTableInput({ bucketName: 'my-log-bucket' }) });
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
    DatabaseName: 'eventlake',
    TableInput: {
      Name: 'events',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { 'projection.enabled': 'true', read_restored_glacier_objects: 'true' },
      StorageDescriptor: { SerdeInfo: { SerializationLibrary: JSON_SERDE } },
      PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }, { Name: 'day', Type: 'string' }, { Name: 'hour', Type: 'string' }],
    },
  });
});

test.run();
