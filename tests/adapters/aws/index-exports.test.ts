// The `eventlake/aws` and `eventlake/infra` entries: the names users and the stack build on are exported, by name.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as aws from '../../../adapters/aws/index.ts';
import * as infra from '../../../infra/index.ts';

const test = suite('package entries');

test('eventlake/aws exports the table keys, resource names, the query opener and the Lambda store factories', () => {
  for (const name of [
    'INDEX_PREFIX', 'INDEX_ATTR', 'CONTROL_PREFIX', 'lakeNames', 'NAME_PATTERNS', 'SQS_DEAD_LETTER_HELP', 'openAwsEventQuery', 'ATHENA_ENV',
    'removeDeletionProtection', 'projectionStoreFromEnv', 'snapshotStoreFromEnv', 'tableSettingsFrom', 'RESTORE_MARGIN_MS', 'UnsupportedOnTargetError',
  ]) assert.ok(name in aws, name);
  assert.equal(aws.INDEX_PREFIX, { hour: 'H#', guard: 'ID#' });
});

test('eventlake/aws exports what invokes the rebuild function (eventlake rebuild --remote)', () => {
  for (const name of ['LambdaRebuildInvoker', 'openRemoteRebuild', 'RebuildFunctionError', 'REBUILD_FUNCTION_ENV', 'isRestoring']) assert.ok(name in aws, name);
  assert.is(aws.REBUILD_FUNCTION_ENV, 'EVENTLAKE_REBUILD_FUNCTION');
});

test('eventlake/aws exports what lists and redrives a stack\'s dead letters (eventlake dlq --target aws)', () => {
  for (const name of ['SqsDeadLetterQueues', 'stackDeadLetterQueues', 'openAwsDeadLetters', 'INDEXER_TARGET']) assert.ok(name in aws, name);
  assert.equal(aws.stackDeadLetterQueues('bank', ['balances']).map((q) => q.queueName), ['bank-indexer-dlq', 'bank-projector-balances-dlq']);
});

test('eventlake/aws exports no Lambda handler (entry files build clients at load and are bundled on their own)', () => {
  assert.not.ok('handler' in aws);
});

test('eventlake/infra exports the CLI config of a lake', () => {
  assert.type(infra.cliConfigJson, 'function');
});

test.run();
