// eventlakeStatus: what an operator reads first, from the ports alone, changing nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { Projection } from '../../domain/projection.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { decorateWith } from '../support/faults.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlakeStatus');
const deposits = (n: number) => Array.from({ length: n }, (_, i) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` }));

test('a caught-up data dir: every event counted, nothing behind, no dead letters, the hot bytes in STANDARD', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await local.lake.emit(deposits(3));
    const s = await eventlakeStatus(local);
    assert.is(s.events, 3);
    assert.is(s.lastPosition, 3);
    assert.is(s.undispatchedPositions, 0);
    assert.equal(s.deadLetters, {});
    assert.equal(s.projections.map((p) => [p.name, p.liveGeneration, p.latestSnapshot]), [['balances', 1, undefined], ['statement', 1, undefined]]);
    assert.equal(s.storage.map((t) => [t.class, t.events]), [['STANDARD', 3], ['GLACIER', 0], ['DEEP_ARCHIVE', 0]]);
  } finally {
    await local.close();
  }
});

test('indexed events whose dispatch checkpoint did not move show as behind, and status does not catch them up', async () => {
  const local = await openLocalEventlake({
    dataDir: tempDir(), decorate: decorateWith({ checkpoints: { method: 'set', failFirst: 1 } }), onCatchUpError: () => {},
  });
  try {
    await local.lake.emit(deposits(4));
    assert.is((await eventlakeStatus(local)).undispatchedPositions, 4);
    assert.is((await eventlakeStatus(local)).undispatchedPositions, 4);
    await local.catchUp();
    assert.is((await eventlakeStatus(local)).undispatchedPositions, 0);
  } finally {
    await local.close();
  }
});

test('dead letters are counted per target', async () => {
  const poison = eventId(SAMPLES['cash_deposit']! as DomainEvent);
  const failing: Projection = {
    name: 'failing', version: 1, handles: () => true, related: () => [],
    decide: (e: DomainEvent) => {
      if (eventId(e) === poison) throw new Error('cannot apply');
      return { counters: [] };
    },
  };
  const local = await openLocalEventlake({ dataDir: tempDir(), projections: [failing], dispatch: { maxAttempts: 1, baseDelayMs: 0 } });
  try {
    await local.lake.emit([SAMPLES['cash_deposit']!, ...deposits(2)]);
    const s = await eventlakeStatus(local);
    assert.equal(s.deadLetters, { failing: 1 });
    assert.is(s.undispatchedPositions, 0);
  } finally {
    await local.close();
  }
});

test('the newest snapshot of each projection is named with its position', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    await local.lake.emit(deposits(2));
    const generation = await local.store.liveGeneration('balances');
    await local.snapshots.take('balances', generation, 1);
    const taken = await local.snapshots.take('balances', generation, 2);
    const [balances] = (await eventlakeStatus(local)).projections;
    assert.equal(balances!.latestSnapshot, { id: taken.id, takenAt: taken.takenAt, highWaterMark: 2, generation });
  } finally {
    await local.close();
  }
});

/** The local runtime with its dead-letter store's `list` replaced (as the AWS target's refuses). */
const listing = (list: () => Promise<never>) => <P extends object>(name: string, port: P): P =>
  (name === 'deadLetters' ? Object.assign(Object.create(port) as P, { list }) : port);

test('a target that cannot list dead letters says where they are instead of counting none', async () => {
  const refused = () => Promise.reject(new UnsupportedOnTargetError('eventlake dlq list', 'aws', 'read the SQS dead-letter queues'));
  const local = await openLocalEventlake({ dataDir: tempDir(), decorate: listing(refused) });
  try {
    const s = await eventlakeStatus(local);
    assert.is(s.deadLetters, undefined);
    assert.match(s.deadLettersElsewhere!, /read the SQS dead-letter queues/);
  } finally {
    await local.close();
  }
});

test('any other failure to list dead letters fails the status', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir(), decorate: listing(() => Promise.reject(new Error('disk gone'))) });
  try {
    await eventlakeStatus(local).then(() => assert.unreachable('status answered'), (e: Error) => assert.is(e.message, 'disk gone'));
  } finally {
    await local.close();
  }
});

test.run();
