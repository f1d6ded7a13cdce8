// LambdaRebuildInvoker: an SDK failure before the function answers leaves as a domain error, never as an SDK error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LambdaRebuildInvoker } from '../../../adapters/aws/lambda-rebuild-invoker.ts';
import { EventlakeError, StorageError, TransientError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';

const client = new LambdaClient({ region: 'eu-west-1' });
const lambda = mockClient(client);
const invoker = new LambdaRebuildInvoker({ client, functionName: 'bank-rebuild' });
const request = { projection: 'balances', from: 0, dryRun: false } as const;

const test = suite('LambdaRebuildInvoker: SDK errors');
test.before.each(() => { lambda.reset(); });

test('missing credentials are a StorageError naming the function and how to provide credentials', async () => {
  lambda.on(InvokeCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
  const error = await rejects(() => invoker.invoke(request), StorageError);
  assert.is(error.code, 'STORAGE_FAILED');
  assert.ok(error.message.includes('bank-rebuild') && error.message.includes('AWS_PROFILE') && error.message.includes('without --target aws'), error.message);
  assert.is((error.cause as Error).name, 'CredentialsProviderError');
});

test('a refused connection is a TransientError that says to run the command again', async () => {
  lambda.on(InvokeCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
  const error = await rejects(() => invoker.invoke(request), TransientError);
  assert.ok(error.message.includes('run the same command again'), error.message);
});

test('access denied is a StorageError naming the function and the service\'s error', async () => {
  lambda.on(InvokeCommand).rejects(new LambdaServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized to perform lambda:InvokeFunction' }));
  const error = await rejects(() => invoker.invoke(request), StorageError);
  assert.ok(error.message.includes('bank-rebuild') && error.message.includes('AccessDeniedException'), error.message);
});

test('no SDK error leaves untyped, whatever it is', async () => {
  lambda.on(InvokeCommand).rejects(new Error('something unforeseen'));
  await rejects(() => invoker.invoke(request), EventlakeError);
});

test.run();
