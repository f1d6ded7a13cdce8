// JournalSegmentDeletedError: one class and code for every reader of a deleted journal segment; the fix it names is
// the default one unless the reader that hit it knows a better one.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { JournalSegmentDeletedError } from '../../domain/errors.ts';

const test = suite('JournalSegmentDeletedError');

test('without a hint the message names the offsets and the default fix (restore, or register the reader)', () => {
  const error = new JournalSegmentDeletedError(10, 300);
  assert.is(error.code, 'JOURNAL_SEGMENT_DELETED');
  assert.match(error.message, 'journal offset 10 is in a deleted journal segment (the journal now starts at 300)');
  assert.match(error.message, /restore the data dir .*journalReaders/);
});

test('a hint replaces the default fix; class, code, offsets and cause stay', () => {
  const cause = new Error('first');
  const error = new JournalSegmentDeletedError(10, 300, { cause, hint: 'run `eventlake repair catalogue`' });
  assert.ok(error instanceof JournalSegmentDeletedError);
  assert.equal([error.code, error.offset, error.oldest, error.cause], ['JOURNAL_SEGMENT_DELETED', 10, 300, cause]);
  assert.ok(error.message.endsWith('only in the log\'s objects; run `eventlake repair catalogue`'), error.message);
  assert.not.match(error.message, 'journalReaders');
});

test.run();
