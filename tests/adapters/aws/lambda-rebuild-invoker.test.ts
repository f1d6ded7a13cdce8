// LambdaRebuildInvoker: the exact Invoke request, and what each kind of answer of the rebuild function becomes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvokeCommand, LambdaClient, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { isRestoring, LambdaRebuildInvoker } from '../../../adapters/aws/lambda-rebuild-invoker.ts';
import { openRemoteRebuild } from '../../../adapters/aws/open-remote-rebuild.ts';
import { RebuildFunctionError } from '../../../adapters/aws/rebuild-function-error.ts';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';

const client = new LambdaClient({ region: 'eu-west-1' });
const lambda = mockClient(client);
const invoker = new LambdaRebuildInvoker({ client, functionName: 'bank-rebuild' });
const MARCH = Date.parse('2024-03-01T00:00:00Z');

/** A response as Lambda sends it: the payload is bytes (the SDK's Uint8ArrayBlobAdapter is a Uint8Array). */
const answer = (payload: unknown, extra: Partial<InvokeCommandOutput> = {}) =>
  ({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(payload)), ...extra }) as unknown as InvokeCommandOutput;
const sent = () => lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);

const test = suite('LambdaRebuildInvoker');
test.before.each(() => { lambda.reset(); });

test('one synchronous invocation of the function, the request as its exact JSON bytes', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'planned', plan: {} }));
  await invoker.invoke({ projection: 'balances', from: MARCH, until: MARCH + 3_600_000, dryRun: true });
  const [input] = sent();
  assert.equal([input?.FunctionName, input?.InvocationType, input?.LogType, input?.Qualifier], ['bank-rebuild', 'RequestResponse', undefined, undefined]);
  assert.instance(input?.Payload, Uint8Array);
  assert.is(new TextDecoder().decode(input?.Payload as Uint8Array), `{"projection":"balances","from":${MARCH},"until":${MARCH + 3_600_000},"dryRun":true}`);
  assert.is(sent().length, 1);
});

test('the function\'s report comes back as it returned it, with its status', async () => {
  const report = { status: 'promoted', plan: { projection: 'balances' }, promoted: { generation: 4, previous: 3, toppedUp: 0 } };
  lambda.on(InvokeCommand).resolves(answer(report));
  const got = await invoker.invoke({ projection: 'balances', from: 0, dryRun: false });
  assert.equal(got, { status: 'promoted', report });
  assert.is(isRestoring(got), false);
});

test('a restoring answer is returned as such, with the function\'s message, so the caller can invoke again later', async () => {
  const report = { status: 'restoring', plan: { projection: 'balances' }, message: '3 object(s) still restoring (invoke again with the same request)' };
  lambda.on(InvokeCommand).resolves(answer(report));
  const got = await invoker.invoke({ projection: 'balances', from: 0, dryRun: false });
  assert.is(isRestoring(got), true);
  assert.equal(got.report, report);
});

test('a function error becomes RebuildFunctionError carrying the errorType and errorMessage Lambda reported', async () => {
  lambda.on(InvokeCommand).resolves(answer({ errorType: 'StorageError', errorMessage: 'AccessDenied on eventlake-control', trace: ['at x'] }, { FunctionError: 'Unhandled' }));
  const error = await rejects(() => invoker.invoke({ projection: 'balances', from: 0, dryRun: false }), RebuildFunctionError);
  const e = error;
  assert.equal([e.code, e.functionName, e.functionError, e.errorType, e.errorMessage], ['REBUILD_FUNCTION_FAILED', 'bank-rebuild', 'Unhandled', 'StorageError', 'AccessDenied on eventlake-control']);
  assert.ok(e.message.includes('StorageError: AccessDenied on eventlake-control') && e.message.includes('/aws/lambda/bank-rebuild'), e.message);
});

test('an InvalidArgumentError thrown by the function stays one, naming the request field to fix', async () => {
  lambda.on(InvokeCommand).resolves(answer({ errorType: 'InvalidArgumentError', errorMessage: 'until: must be later than from' }, { FunctionError: 'Unhandled' }));
  const error = await rejects(() => invoker.invoke({ projection: 'balances', from: MARCH, until: MARCH, dryRun: false }), InvalidArgumentError);
  assert.is(error.argument, 'until');
  assert.is(error.message, 'until: must be later than from (refused by the rebuild function bank-rebuild)');
});

test('a timed-out invocation says to run the command again, since the rebuild resumes from its checkpoint', async () => {
  lambda.on(InvokeCommand).resolves(answer({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 900.00 seconds' }, { FunctionError: 'Unhandled' }));
  const error = await rejects(() => invoker.invoke({ projection: 'balances', from: 0, dryRun: false }), RebuildFunctionError);
  assert.ok(error.message.includes('resumes from its last checkpoint'), error.message);
});

test('an error payload that is not Lambda\'s error object is still a RebuildFunctionError, with the raw text', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: new TextEncoder().encode('Runtime exited') } as unknown as InvokeCommandOutput);
  const error = await rejects(() => invoker.invoke({ projection: 'balances', from: 0, dryRun: false }), RebuildFunctionError);
  assert.equal([error.errorType, error.errorMessage], ['Unknown', 'Runtime exited']);
});

test('an answer without a status is refused as not a rebuild report', async () => {
  lambda.on(InvokeCommand).resolves(answer({ statusCode: 200, body: '{}' }));
  const error = await rejects(() => invoker.invoke({ projection: 'balances', from: 0, dryRun: false }), RebuildFunctionError);
  assert.is(error.errorType, 'UnexpectedAnswer');
});

test('an unknown function is an InvalidArgumentError naming rebuildFunction and the stack output to use', async () => {
  lambda.on(InvokeCommand).rejects(new ResourceNotFoundException({ message: 'Function not found: bank-rebuild', $metadata: {} }));
  const error = await rejects(() => invoker.invoke({ projection: 'balances', from: 0, dryRun: false }), InvalidArgumentError);
  assert.is(error.argument, 'rebuildFunction');
  assert.ok(error.message.includes('EVENTLAKE_REBUILD_FUNCTION') && error.message.includes('RebuildFunctionName'), error.message);
});

test('a throttled invocation (nothing ran) is a TransientError', async () => {
  lambda.on(InvokeCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
  await rejects(() => invoker.invoke({ projection: 'balances', from: 0, dryRun: false }), TransientError);
});

test.run();

const open = suite('openRemoteRebuild');
const NAMES = { region: 'eu-west-1', bucket: 'b', indexTable: 'i', controlTable: 'c' };

open('without rebuildFunction in the config the error names the setting, its variable and the stack output', async () => {
  const error = await rejects(() => openRemoteRebuild(NAMES), InvalidArgumentError);
  assert.is(error.argument, 'rebuildFunction');
  assert.ok(error.message.includes('EVENTLAKE_REBUILD_FUNCTION') && error.message.includes('RebuildFunctionName'), error.message);
});

open('an injected client is used for the configured function and left to its owner', async () => {
  lambda.reset();
  lambda.on(InvokeCommand).resolves(answer({ status: 'planned', plan: {} }));
  let destroyed = 0;
  const owner = Object.assign(Object.create(client) as LambdaClient, { destroy: () => { destroyed++; } });
  const { invoker: fn, close } = await openRemoteRebuild({ ...NAMES, rebuildFunction: 'arn:aws:lambda:eu-west-1:123456789012:function:bank-rebuild', clients: { lambda: owner } });
  await fn.invoke({ projection: 'statement', from: 0, dryRun: true });
  await close();
  assert.is(sent()[0]?.FunctionName, 'arn:aws:lambda:eu-west-1:123456789012:function:bank-rebuild');
  assert.is(destroyed, 0);
});

open.run();
