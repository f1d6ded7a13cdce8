// The envelope rules every event type obeys: a UUID RequestId, whole epoch seconds.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isRequestId } from '../../schemas/envelope.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SchemaValidationError } from '../../domain/errors.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('envelope');

// First in its file (its own process): the memo of the last matched id is still empty here.
test('an empty RequestId is not a UUID, even as the first one a process checks', () => {
  assert.is(isRequestId(''), false);
  assert.throws(() => SchemaRegistry.load().validate({ ...SAMPLES['cash_deposit'], RequestId: '' }), (e: unknown) => e instanceof SchemaValidationError);
});

test('a RequestId is answered the same whether it was the last one matched or not', () => {
  const id = '3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f';
  assert.is(isRequestId(id), true);
  assert.is(isRequestId(id), true);
  assert.is(isRequestId(`${id}x`), false);
  assert.is(isRequestId(''), false);
});

test.run();
