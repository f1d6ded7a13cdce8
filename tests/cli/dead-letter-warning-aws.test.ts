// balance/statement's dead-letter warning on a target whose dead letters this process cannot list (AWS: SQS queues,
// DeadLetterStore.list throws UNSUPPORTED_ON_TARGET): no warning, and the read goes on; it failed the whole command.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import { SqsConsoleDeadLetterStore } from '../../adapters/aws/sqs-dead-letters.ts';
import { deadLetterWarnings } from '../../cli/dead-letter-warning.ts';
import { followUp } from '../../cli/follow-up.ts';

const test = suite('dead-letter warning where dead letters cannot be listed');

test('an AWS runtime (SQS dead letters) gets no warning and no error', async () => {
  const lake = { deadLetters: new SqsConsoleDeadLetterStore(), index: { get: async () => undefined } } as never;
  assert.equal(await deadLetterWarnings(lake, 'DE89370400440532013000', ['balances', 'statement'], followUp()), []);
});

test('any other failure to list dead letters still fails the read', async () => {
  const failing = { deadLetters: { list: async () => { throw new Error('disk gone'); } }, index: { get: async () => undefined } } as never;
  const error = await deadLetterWarnings(failing, 'A-1', ['balances'], followUp()).then(() => undefined, (e: unknown) => e);
  assert.instance(error, Error);
  assert.not.instance(error, UnsupportedOnTargetError);
});

test.run();
