// An archived stored copy whose entry has no content digest (indexed by a version before digests, not repaired since):
// a resend is refused, naming the restore, instead of being guessed a duplicate; after the restore it is compared.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { ArchivedCopyUncomparableError } from '../../domain/archived-copy-error.ts';
import { EventConflictError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { ARCHIVED_ACCOUNT, ARCHIVED_EVENT, CHANGED_RESENDS, withArchivedCopy } from '../support/archived-copy.ts';
import { withDb } from '../support/check-data-dir.ts';

const CHANGED = Object.values(CHANGED_RESENDS)[0]!;
/** Make the data dir's entries look as an index older than digests left them. */
const forgetDigests = (dataDir: string) => withDb(dataDirLayout(dataDir).indexDb, (db) => db.exec('UPDATE events SET digest = NULL'));

const test = suite('archived copy without a digest: the resend is refused until a restore');

test('a changed resend is refused with EVENT_COPY_ARCHIVED naming restore --keys, and nothing is stored', () => withArchivedCopy(async (local, dataDir, key) => {
  forgetDigests(dataDir);
  const before = { count: await local.index.count(), balance: await local.lake.balance(ARCHIVED_ACCOUNT) };
  const error = await rejects(() => local.lake.emit(CHANGED), ArchivedCopyUncomparableError);
  assert.is(error.code, 'EVENT_COPY_ARCHIVED');
  assert.is(error.key, key);
  assert.ok(error.message.includes(`eventlake restore --keys ${key}`), error.message);
  assert.match(error.message, /nothing was stored.*answered duplicate, or EVENT_CONFLICT/);
  assert.equal({ count: await local.index.count(), balance: await local.lake.balance(ARCHIVED_ACCOUNT) }, before);
}));

test('an exact resend is refused the same way: without a digest the copy cannot be told from a correction', () => withArchivedCopy(async (local, dataDir) => {
  forgetDigests(dataDir);
  await rejects(() => local.lake.emit(ARCHIVED_EVENT), ArchivedCopyUncomparableError);
}));

test('the refusal respells its restore command as the CLI asks', () => withArchivedCopy(async (local, dataDir, key) => {
  forgetDigests(dataDir);
  const error = await rejects(() => local.lake.emit(CHANGED), ArchivedCopyUncomparableError);
  const spelled = error.spelledWith((...args) => ['eventlake', '--data-dir', 'D', ...args].join(' '));
  assert.instance(spelled, ArchivedCopyUncomparableError);
  assert.ok(spelled.message.includes(`eventlake --data-dir D restore --keys ${key}`), spelled.message);
}));

test('after the restore the same resends are answered duplicate and EVENT_CONFLICT', () => withArchivedCopy(async (local, dataDir, key) => {
  forgetDigests(dataDir);
  await local.archive.restore([key], { tier: 'Bulk', days: 1 });
  assert.equal((await local.lake.emit(ARCHIVED_EVENT)).map((r) => r.status), ['duplicate']);
  await rejects(() => local.lake.emit(CHANGED), EventConflictError);
  assert.is(await local.lake.balance(ARCHIVED_ACCOUNT), '1.00');
}));

test.run();
