// GroupEmitter (how serve appends concurrent POSTs) when one call's resend meets an archived copy indexed without a
// digest: only that call is refused; the calls grouped with it are stored, not told to retry with it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { ArchivedCopyUncomparableError } from '../../domain/archived-copy-error.ts';
import { GroupEmitter } from '../../projections/group-emitter.ts';
import { rejects } from '../support/async.ts';
import { ARCHIVED_EVENT, withArchivedCopy } from '../support/archived-copy.ts';
import { withDb } from '../support/check-data-dir.ts';
import { variant } from '../support/samples.ts';

const payment = () => variant('incoming_payment', { RequestId: randomUUID(), Amount: '10.00' });

const test = suite('GroupEmitter and archived copies');

test('a group with one resend the index cannot compare stores the other calls and refuses only that one', () => withArchivedCopy(async (local, dataDir) => {
  withDb(dataDirLayout(dataDir).indexDb, (db) => db.exec('UPDATE events SET digest = NULL'));
  const emitter = new GroupEmitter(local.lake);
  const first = emitter.emit(payment()); // alone: nothing was running
  const others = Array.from({ length: 4 }, () => emitter.emit(payment()));
  const resend = emitter.emit(ARCHIVED_EVENT);
  await rejects(() => resend, ArchivedCopyUncomparableError);
  assert.ok((await Promise.all([first, ...others])).every(([r]) => r!.status === 'stored'));
  assert.is(await local.index.count(), 6);
}));

test.run();
