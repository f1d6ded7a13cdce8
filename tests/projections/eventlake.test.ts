// The emit facade on the embedded default: repeats the log alone cannot see.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { EventConflictError } from '../../domain/errors.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { compactHour } from '../../projections/compactor.ts';
import { rejects } from '../support/async.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('Eventlake.emit');
const deposit = SAMPLES['cash_deposit']!;

test('a missing RequestId is generated (a time-ordered UUIDv7), so the event gets an identity', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    const [r] = await local.lake.emit(variant('cash_withdrawal', { RequestId: undefined }));
    assert.match(r!.id, /^cash_withdrawal_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.is(r!.status, 'stored');
  } finally {
    await local.close();
  }
});

test('re-emitting an event after its hour was compacted is a duplicate, not a second copy', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await local.lake.emit(deposit);
    await compactHour(local, partitionPrefix(deposit.EventTimeStamp));
    const [again] = await local.lake.emit(deposit);
    assert.is(again!.status, 'duplicate');
    assert.match(again!.key, /segment/);
    assert.is(await local.index.count(), 1);
    assert.is(await local.lake.balance('DE44-5001-0517'), '123.45');
  } finally {
    await local.close();
  }
});

test('a RequestId reused with another timestamp is a conflict, though it would land in another hour', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await local.lake.emit(deposit);
    await rejects(() => local.lake.emit({ ...deposit, EventTimeStamp: deposit.EventTimeStamp + 7200 }), EventConflictError);
    assert.is(await local.index.count(), 1);
  } finally {
    await local.close();
  }
});

test('changed content of a compacted event is a conflict', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await local.lake.emit(deposit);
    await compactHour(local, partitionPrefix(deposit.EventTimeStamp));
    await rejects(() => local.lake.emit({ ...deposit, Reference: 'changed' }), EventConflictError);
  } finally {
    await local.close();
  }
});

test.run();
