// A retry at another schema version whose stored copy is archived: its bytes cannot be read, and the entry's digest is
// of the stored version's bytes. Proved a duplicate, or a conflict, where the digest can tell; else refused with the
// restore that lets it be compared, never with EVENT_CONFLICT's advice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { ArchivedCopyUncomparableError } from '../../domain/archived-copy-error.ts';
import { EventConflictError } from '../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { rejects } from '../support/async.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('emit of a retry at another schema version whose stored copy is archived');

/**
 * Request `n` (its own RequestId and account: the tests share one lake) at v1, and at v2 as the built-in upcaster
 * lifts it (an ATM withdrawal: Channel ATM), as an upgraded client sends it.
 */
function request(n: number): { account: string; v1: DomainEvent; v2: DomainEvent } {
  const account = `DE44-5001-05${n}0`;
  const v1 = variant('cash_withdrawal', { RequestId: `9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c${n}0`, SourceAccount: account }) as DomainEvent;
  return { account, v1, v2: { ...v1, SchemaVersion: 2, Channel: 'ATM' } };
}
// Stored: A at v1, B at v2 (v1's upcast form), C at v2 with another Channel than v1 upcasts to.
const A = request(1);
const B = request(2);
const C = request(3);
const storedC = { ...C.v2, Channel: 'BRANCH' };

let local: LocalEventlake;
/** The archived object holding the stored copies (one hour: one segment). */
let key: string;
test.before(async () => {
  local = await openLocalEventlake({ dataDir: tempDir() });
  await local.lake.emit([A.v1, B.v2, storedC]);
  await runLifecycle(local, { now: Date.now() });
  const entry = await local.index.get(eventId(A.v1));
  assert.ok(entry && entry.storageClass !== 'STANDARD', 'the stored copies are archived');
  key = entry.location.key;
});
test.after(() => local.close());

test('a v2 retry of an archived v1 copy is refused with EVENT_COPY_ARCHIVED naming the restore, and stores nothing', async () => {
  const count = await local.index.count();
  const error = await rejects(() => local.lake.emit(A.v2), ArchivedCopyUncomparableError);
  assert.is(error.code, 'EVENT_COPY_ARCHIVED');
  assert.ok(error.message.includes(`eventlake restore --keys ${key}`), error.message);
  assert.match(error.message, /another SchemaVersion/);
  assert.is(await local.index.count(), count);
});

test('the refusal respells its restore command as the CLI asks', async () => {
  const error = await rejects(() => local.lake.emit(A.v2), ArchivedCopyUncomparableError);
  const spelled = error.spelledWith((...args) => ['eventlake', '--data-dir', 'D', ...args].join(' '));
  assert.ok(spelled.message.includes(`eventlake --data-dir D restore --keys ${key}`) && /another SchemaVersion/.test(spelled.message), spelled.message);
});

test('an input holding the archived v1 copy and its v2 retry is refused the same way', async () => {
  await rejects(() => local.lake.emit([A.v1, A.v2]), ArchivedCopyUncomparableError);
});

test('an input holding the v2 copy archived and its v1 resend answers both duplicate', async () => {
  assert.equal(await local.lake.emit([B.v2, B.v1]), [{ id: eventId(B.v1), key, status: 'duplicate' }, { id: eventId(B.v1), key, status: 'duplicate' }]);
});

test('a v1 resend of a copy archived at v2 (its upcast form) is answered duplicate by the digest', async () => {
  assert.equal(await local.lake.emit(B.v1), [{ id: eventId(B.v1), key, status: 'duplicate' }]);
  assert.is(await local.lake.balance(B.account), '-200.00');
});

test('a v1 resend whose upcast form differs from a copy archived at v2 is EVENT_CONFLICT: the digest decides', async () => {
  const error = await rejects(() => local.lake.emit(C.v1), EventConflictError);
  assert.is(error.code, 'EVENT_CONFLICT');
});

test('a copy at another EventTimeStamp cannot be a retry: EVENT_CONFLICT as before', async () => {
  await rejects(() => local.lake.emit({ ...A.v2, EventTimeStamp: A.v1.EventTimeStamp + 7200 }), EventConflictError);
});

// Last: the restore makes the other stored copies readable too.
test('after the restore the same v2 retry is answered duplicate and books nothing', async () => {
  await local.archive.restore([key], { tier: 'Bulk', days: 1 });
  assert.equal((await local.lake.emit(A.v2)).map((r) => r.status), ['duplicate']);
  assert.is(await local.lake.balance(A.account), '-200.00');
});

test.run();
