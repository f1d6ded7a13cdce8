// One input holding the v1 and the v2 copy of one request (a client's retry queue flushing both): when they upcast
// alike the later copy is a duplicate of the earlier, as a repeat of the same bytes in one input is.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { EventConflictError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('emit of one input holding a request at two schema versions');

/**
 * Request `n` (its own RequestId and account, so the tests share one lake): at v1, as the built-in upcaster lifts it
 * (an ATM withdrawal: Channel ATM) sent at v2 by an upgraded client, and at v2 with another content.
 */
function request(n: number) {
  const account = `DE44-5001-05${String(n).padStart(2, '0')}`;
  const v1 = variant('cash_withdrawal', { RequestId: `9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c${String(n).padStart(2, '0')}`, SourceAccount: account });
  return { account, v1, v2: { ...v1, SchemaVersion: 2, Channel: 'ATM' }, branch: { ...v1, SchemaVersion: 2, Channel: 'BRANCH' } };
}
const other = variant('incoming_payment', { RequestId: '7d3f5a1b-2c4e-4f60-8a9b-0c1d2e3f4a5b', TargetAccount: 'NL91-ABNA-0417' });

let local: LocalEventlake;
test.before(async () => { local = await openLocalEventlake({ dataDir: tempDir() }); });
test.after(() => local.close());

for (const [n, first, later] of [[1, 'v1', 'v2'], [2, 'v2', 'v1']] as const) {
  test(`the ${first} copy is stored and the later ${later} copy reported duplicate of it, booked once`, async () => {
    const copies = request(n);
    const [stored, again] = await local.lake.emit([copies[first], copies[later]]);
    assert.is(stored?.status, 'stored');
    assert.equal(again, { id: stored!.id, key: stored!.key, status: 'duplicate' });
    assert.is(await local.lake.balance(copies.account), '-200.00');
  });
}

test('both copies of a request already stored are reported duplicate of the stored copy', async () => {
  const { account, v1, v2 } = request(3);
  const [stored] = await local.lake.emit(v1);
  for (const input of [[v1, v2], [v2, v1]]) {
    assert.equal(await local.lake.emit(input), [{ ...stored!, status: 'duplicate' }, { ...stored!, status: 'duplicate' }]);
  }
  assert.is(await local.lake.balance(account), '-200.00');
});

test('copies that upcast differently still conflict naming both positions, and the input stores nothing', async () => {
  const { account, v1, branch } = request(4);
  const error = await rejects(() => local.lake.emit([other, v1, branch]), EventConflictError);
  assert.equal(error.positions, [1, 2]);
  assert.equal([await local.lake.balance('NL91-ABNA-0417'), await local.lake.balance(account)], [undefined, undefined]);
});

test('a third copy that upcasts differently is named by its input position once the second is settled', async () => {
  const { account, v1, v2, branch } = request(5);
  const error = await rejects(() => local.lake.emit([v1, v2, other, branch]), EventConflictError);
  assert.equal(error.positions, [0, 3]);
  assert.match(error.message, /#0 and #3/);
  assert.is(await local.lake.balance(account), undefined);
});

test.run();
