// deadLetterNote: only a failed verification against the log with dead letters of its projection gets a note; the
// AWS dead-letter store, which cannot list, gives none rather than failing the verification's report.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deadLetterNote } from '../../cli/commands/verify-dead-letters.ts';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { DeadLetter } from '../../domain/ports/dead-letter-store.ts';
import type { IndexEntry } from '../../domain/ports/event-index.ts';
import type { VerifyReport } from '../../projections/rebuild/verify.ts';

const failed: VerifyReport = {
  projection: 'balances', generation: 1, against: 'log', reference: 'the log', mark: 9, passed: false, accounts: 2, rows: 0,
  differences: [{ kind: 'counter', account: 'A', key: 'A', expected: '5', actual: '0' }],
};
const letter: DeadLetter = { id: 'e1', target: 'balances', error: 'COUNTER_OUT_OF_RANGE: …', attempts: 1, failedAt: 0 };
const index = { get: async (id: string) => (id === 'e1' ? ({ accounts: ['B', 'A'] } as unknown as IndexEntry) : undefined) };
const next = (...args: string[]) => `eventlake ${args.join(' ')}`;
const lettersOf = (letters: DeadLetter[]) => ({ list: async () => letters });

const test = suite('deadLetterNote');

test('names the count, the dlq command and the touched accounts that differ', async () => {
  const note = await deadLetterNote({ deadLetters: lettersOf([letter]), index }, failed, next);
  assert.equal(note, {
    events: 1, accounts: ['A'],
    note: '1 event(s) of this projection are dead-lettered (eventlake dlq list --projection balances); they explain differences on accounts A',
  });
});

test('none for a passed verification, one against a snapshot, or no dead letters', async () => {
  const runtime = { deadLetters: lettersOf([letter]), index };
  assert.is(await deadLetterNote(runtime, { ...failed, passed: true, differences: [] }, next), undefined);
  assert.is(await deadLetterNote(runtime, { ...failed, against: 'snapshot' }, next), undefined);
  assert.is(await deadLetterNote({ deadLetters: lettersOf([]), index }, failed, next), undefined);
});

test('none where the dead letters cannot be listed (AWS)', async () => {
  const aws = { list: async () => { throw new UnsupportedOnTargetError('eventlake dlq list', 'aws', 'see the SQS queues'); } };
  assert.is(await deadLetterNote({ deadLetters: aws, index }, failed, next), undefined);
});

test.run();
