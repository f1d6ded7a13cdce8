// SqliteProjectionStore: the ProjectionStore contract, plus what only the SQLite file does (durability across reopen,
// export/import of a generation for snapshots, file permissions).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { projectionStoreContract } from '../../contracts/projection-store.contract.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

projectionStoreContract('SqliteProjectionStore', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  return { subject: store, cleanup: async () => store.close() };
});

const test = suite('SqliteProjectionStore');
const events = generateEvents({ accounts: 20, days: 3, eventsPerDay: 200, start: 1_700_000_000, seed: 3 });

test('applied state survives closing and reopening the file', async () => {
  const file = join(tempDir(), 'projections.db');
  const first = new SqliteProjectionStore(file);
  await first.apply(balancesProjection, 1, events, { replay: true });
  first.close();
  const again = new SqliteProjectionStore(file);
  assert.equal((await again.readState('balances', 1)).counters, foldEvents(balancesProjection, events).counters);
  assert.equal(await again.appliedRecord('balances', 1, eventId(events[0]!)), { replay: true });
  again.close();
});

test('the database file is readable and writable by its owner only', () => {
  const file = join(tempDir(), 'projections.db');
  new SqliteProjectionStore(file).close();
  assert.is(statSync(file).mode & 0o777, 0o600);
});

test('an exported generation imports into another generation with equal state and replay flags', async () => {
  const dir = tempDir();
  const store = new SqliteProjectionStore(join(dir, 'projections.db'));
  await store.apply(balancesProjection, 1, events.slice(0, 300));
  await store.apply(balancesProjection, 1, events.slice(300), { replay: true });
  await store.exportGeneration('balances', 1, join(dir, 'snap.db'));
  assert.is(statSync(join(dir, 'snap.db')).mode & 0o777, 0o600);
  const target = await store.createGeneration('balances');
  await store.importGeneration(join(dir, 'snap.db'), 'balances', target);
  assert.equal(await store.readState('balances', target), await store.readState('balances', 1));
  assert.equal(await store.appliedRecord('balances', target, eventId(events[400]!)), { replay: true });
  assert.equal(await store.appliedRecord('balances', target, eventId(events[0]!)), { replay: false });
  store.close();
});

test('an imported generation keeps its idempotency keys: re-applying its events changes nothing', async () => {
  const dir = tempDir();
  const source = new SqliteProjectionStore(join(dir, 'a.db'));
  await source.apply(balancesProjection, 1, events);
  await source.exportGeneration('balances', 1, join(dir, 'snap.db'));
  const store = new SqliteProjectionStore(join(dir, 'b.db'));
  const target = await store.createGeneration('balances');
  await store.importGeneration(join(dir, 'snap.db'), 'balances', target);
  const outcomes = await store.apply(balancesProjection, target, events);
  assert.ok(outcomes.every((o) => o.status === 'duplicate'));
  assert.equal(await store.counters('balances', target), await source.counters('balances', 1));
  source.close();
  store.close();
});

test('export refuses an existing file; import refuses a generation that holds data', async () => {
  const dir = tempDir();
  const store = new SqliteProjectionStore(join(dir, 'projections.db'));
  await store.apply(balancesProjection, 1, [SAMPLES['incoming_payment']!]);
  await store.exportGeneration('balances', 1, join(dir, 'snap.db'));
  await rejects(() => store.exportGeneration('balances', 1, join(dir, 'snap.db')), InvalidArgumentError);
  await rejects(() => store.importGeneration(join(dir, 'snap.db'), 'balances', 1), InvalidArgumentError);
  await rejects(() => store.importGeneration(join(dir, 'missing.db'), 'balances', 5), InvalidArgumentError);
  store.close();
});

test('a generation that was never created cannot be promoted', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  await rejects(() => store.promote('balances', 7), InvalidArgumentError);
  assert.is(await store.liveGeneration('balances'), 1);
  store.close();
});

test('a second connection sees applies of the first (two processes share the file)', async () => {
  const file = join(tempDir(), 'projections.db');
  const writer = new SqliteProjectionStore(file);
  const reader = new SqliteProjectionStore(file);
  await writer.apply(balancesProjection, 1, [SAMPLES['incoming_payment']!]);
  assert.is(await reader.counter('balances', 1, 'DE44-5001-0517'), 12345n);
  writer.close();
  reader.close();
});

test('a stored event hidden among new ones (not at the batch\'s sampled ends or middle) is still a duplicate', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  try {
    const payment = SAMPLES['incoming_payment']!;
    const batch = [1, 2, 3, 4, 5].map((n) => ({ ...payment, RequestId: `00000000-0000-4000-8000-00000000000${n}` }));
    await store.apply(balancesProjection, 1, [batch[1]!]); // sorts second of five: not probed up front
    const outcomes = await store.apply(balancesProjection, 1, batch);
    assert.equal(outcomes.map((o) => o.status), ['applied', 'duplicate', 'applied', 'applied', 'applied']);
    assert.equal(await store.readState('balances', 1), foldEvents(balancesProjection, batch));
  } finally {
    store.close();
  }
});

test('replaying a batch into a generation twice leaves it as the first time left it', async () => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  try {
    const generation = await store.createGeneration('balances');
    await store.apply(balancesProjection, generation, events, { replay: true });
    const once = await store.readState('balances', generation);
    const again = await store.apply(balancesProjection, generation, events, { replay: true });
    assert.ok(again.every((o) => o.status !== 'applied'));
    assert.equal(await store.readState('balances', generation), once);
  } finally {
    store.close();
  }
});

test.run();
