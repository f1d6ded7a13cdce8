// A client upgraded to a newer schema version retrying a request it first sent at the older one: the stored copy and
// the retry upcast alike, so the retry is a duplicate, never a conflict whose advice (a new RequestId) booked it twice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventConflictError } from '../../domain/errors.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import { Eventlake } from '../../projections/eventlake.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { rejects } from '../support/async.ts';
import { MemoryArchiveTier } from '../support/fakes/memory-archive-tier.ts';
import { MemoryEventLog } from '../support/fakes/memory-event-log.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('emit of a retry at another schema version');

const v1 = SAMPLES['cash_withdrawal']!;
// What the built-in upcaster makes of v1 (an ATM withdrawal: Channel ATM), sent as v2 by an upgraded client.
const v2 = variant('cash_withdrawal', { SchemaVersion: 2, Channel: 'ATM' });
const other = variant('incoming_payment', { RequestId: '7d3f5a1b-2c4e-4f60-8a9b-0c1d2e3f4a5b', TargetAccount: 'NL91-ABNA-0417' });

test('a v2 retry of a stored v1 event that upcasts alike is reported duplicate and books nothing', async () => {
  await withLake(async ({ lake }) => {
    await lake.emit(v1);
    const [result] = await lake.emit(v2);
    assert.is(result?.status, 'duplicate');
    assert.is(await lake.balance(String(v1['SourceAccount'])), '-200.00');
  });
});

test('a batch with such a retry stores its other events', async () => {
  await withLake(async ({ lake }) => {
    await lake.emit(v1);
    const results = await lake.emit([other, v2]);
    assert.equal(results.map((r) => r.status), ['stored', 'duplicate']);
  });
});

test('a v2 whose upcast form differs is still a conflict, and its batch stores nothing', async () => {
  await withLake(async ({ lake }) => {
    await lake.emit(v1);
    const error = await rejects(() => lake.emit([other, { ...v2, Channel: 'BRANCH' }]), EventConflictError);
    assert.match(error.message, /a retry of the same operation must send the content first sent/);
    assert.is(await lake.balance('NL91-ABNA-0417'), undefined);
  });
});

test('a batch holding such a retry and a real conflict is refused whole', async () => {
  await withLake(async ({ lake }) => {
    const deposit = SAMPLES['cash_deposit']!;
    await lake.emit([v1, deposit]);
    await rejects(() => lake.emit([other, v2, { ...deposit, Reference: 'changed' }]), EventConflictError);
    assert.is(await lake.balance('NL91-ABNA-0417'), undefined);
  });
});

test('without an index (a log keyed as on S3), the stored copy is read from the object the conflict names', async () => {
  const lake = new Eventlake({ registry: SchemaRegistry.load(), log: new MemoryEventLog(new MemoryArchiveTier(Date.now)), store: {} as ProjectionStore });
  const [stored] = await lake.emit(v1);
  const [retry] = await lake.emit(v2);
  assert.equal(retry, { ...stored, status: 'duplicate' });
});

test.run();
