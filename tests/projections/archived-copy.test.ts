// A resend whose stored copy is archived (compacted and moved to an archive class by an archive run): its entry's
// content digest tells an exact resend (duplicate) from a changed one (EVENT_CONFLICT), without reading the object.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventConflictError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { ARCHIVED_ACCOUNT, ARCHIVED_EVENT, CHANGED_RESENDS, withArchivedCopy } from '../support/archived-copy.ts';

const test = suite('archived copy: a resend is compared by the content digest its entry recorded');

for (const [change, event] of Object.entries(CHANGED_RESENDS)) {
  test(`a resend with ${change} fails with EVENT_CONFLICT, stores nothing and leaves the balance`, () => withArchivedCopy(async (local) => {
    const before = { count: await local.index.count(), balance: await local.lake.balance(ARCHIVED_ACCOUNT) };
    const error = await rejects(() => local.lake.emit(event), EventConflictError);
    assert.is(error.code, 'EVENT_CONFLICT');
    assert.equal({ count: await local.index.count(), balance: await local.lake.balance(ARCHIVED_ACCOUNT) }, before);
  }));
}

test('an exact resend of the archived event is answered duplicate', () => withArchivedCopy(async (local) => {
  const count = await local.index.count();
  assert.equal((await local.lake.emit(ARCHIVED_EVENT)).map((r) => r.status), ['duplicate']);
  assert.is(await local.index.count(), count);
  assert.is(await local.lake.balance(ARCHIVED_ACCOUNT), '1.00');
}));

test.run();
