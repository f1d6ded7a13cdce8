// EventLakeProps.schemaFolders: the fields of your own event types are columns of the Glue table, so Athena selects them.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { EVENT_COLUMNS } from '../../domain/query-columns.ts';
import { CONTEXT, propsFromContext } from '../../infra/app.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const test = suite('EventLake query: user event types');
const SCHEMAS = join(import.meta.dirname, '../../examples/outgoing-payment/schemas');
const code = Code.fromInline('export const handler = async () => {};');

function glueColumns(lake: object): { Name: string; Type: string }[] {
  const template = Template.fromStack(new EventLakeStack(new App(), 'Test', { lake: { code, ...lake } }));
  return Object.values(template.findResources('AWS::Glue::Table'))[0]!.Properties.TableInput.StorageDescriptor.Columns;
}

test('a field only a user schema declares is a column, lower case as Glue wants, typed from the schema', () => {
  const columns = glueColumns({ schemaFolders: [SCHEMAS] });
  assert.equal(columns.find((c) => c.Name === 'targetinstitution'), { Name: 'targetinstitution', Type: 'string', Comment: 'outgoing_payment v1' });
  assert.is(columns.length, EVENT_COLUMNS.length + 1);
});

test('without schemaFolders the table has the built-in columns only', () => {
  assert.is(glueColumns({}).length, EVENT_COLUMNS.length);
});

test('the app reads the folders from -c eventlake:schemaFolders, comma separated', () => {
  assert.equal(propsFromContext((k) => (k === CONTEXT.schemaFolders ? ' ./a, ./b ' : undefined)).schemaFolders, ['./a', './b']);
});

test.run();
