// When DynamoDB retries are spent, the TransientError says what failed and how to fix it: the SDK error's own text
// (a refused connection names its endpoint) and whether the cause was the network or a busy table.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import { withRetries } from '../../../adapters/aws/dynamodb-codec.ts';
import { rejects } from '../../support/async.ts';

const test = suite('DynamoDB: the message once retries are spent');
const fast = { attempts: 2, baseDelayMs: 0 };

test('a refused connection names the endpoint and says to check it', async () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED', syscall: 'connect' });
  const error = await rejects(() => withRetries('GetItem', () => Promise.reject(refused), fast), TransientError);
  assert.match(error.message, 'GetItem failed after 2 attempts');
  assert.match(error.message, 'connect ECONNREFUSED 127.0.0.1:8000');
  assert.match(error.message, 'check the endpoint, region and network');
  assert.is(error.cause, refused);
});

test('throttling names the exception and says to retry later', async () => {
  const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
  const error = await rejects(() => withRetries('Query', () => Promise.reject(throttled), fast), TransientError);
  assert.match(error.message, 'ProvisionedThroughputExceededException: Rate of requests exceeds');
  assert.match(error.message, 'run the command again later');
});

test.run();
