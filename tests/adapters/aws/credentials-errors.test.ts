// Missing AWS credentials or region: every AWS command's StorageError names the fix, not just the SDK's error name.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { StorageError } from '../../../domain/errors.ts';
import { storageError } from '../../../adapters/aws/dynamodb-codec.ts';
import { credentialsFix } from '../../../adapters/aws/errors.ts';

/** What @smithy/property-provider throws when no provider in the chain has credentials. */
const noCredentials = () => Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError', tryNextLink: false });
const denied = () => new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'not authorized' });

const test = suite('AWS errors: missing credentials');

test('a CredentialsProviderError gets a fix naming AWS_PROFILE, AWS_REGION, aws configure and running without --target aws', () => {
  const fix = credentialsFix(noCredentials()) ?? '';
  for (const part of ['AWS_PROFILE', 'AWS_REGION', 'aws configure', 'without --target aws']) assert.ok(fix.includes(part), `${part} in: ${fix}`);
});

test('the SDK\'s "Region is missing" gets a fix naming AWS_REGION', () => {
  assert.ok((credentialsFix(new Error('Region is missing')) ?? '').includes('AWS_REGION'));
});

test('an error that is not about credentials or region gets no credentials fix', () => {
  assert.is(credentialsFix(denied()), undefined);
  assert.is(credentialsFix(undefined), undefined);
});

test('the shared DynamoDB mapping puts the fix in the StorageError it makes of a credentials error', () => {
  const error = storageError('reading checkpoint dispatch', noCredentials());
  assert.instance(error, StorageError);
  assert.ok(error.message.includes('CredentialsProviderError') && error.message.includes('AWS_PROFILE'), error.message);
  assert.is((error.cause as Error).name, 'CredentialsProviderError');
});

test.run();
