// "Behind" counts events, not position numbers: on a data dir whose positions have gaps (burned by re-puts of already
// indexed ids, as a second indexer's race does), status and /health say how many events dispatch has still to
// deliver, and 0 once it has.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { undispatchedEvents } from '../../projections/status-dispatch.ts';
import { decorateWith } from '../support/faults.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('dispatch lag on a data dir with position gaps');
const deposits = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}` }));

/**
 * Positions 1-2 dispatched, 3-5 burned by re-puts of event 1, then 3 events (6-8) whose dispatch checkpoint did not
 * move: 3 events behind, 6 position numbers.
 */
async function gappedLake(work: (local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({
    dataDir: tempDir(), decorate: decorateWith({ checkpoints: { method: 'set', failOnCalls: [2] } }), onCatchUpError: () => {},
  });
  try {
    const [first] = await local.lake.emit(deposits(1, 2));
    const indexed = (await local.index.get(first!.id))!;
    for (let i = 0; i < 3; i++) await local.index.put([indexed]);
    await local.lake.emit(deposits(3, 3));
    assert.equal([await local.index.lastPosition(), await local.dispatchedPosition()], [8, 2], 'the fixture has its gap');
    await work(local);
  } finally {
    await local.close();
  }
}

test('status counts the undispatched events, not the positions between the checkpoint and the last one', () => gappedLake(async (local) => {
  const s = await eventlakeStatus(local);
  assert.equal([s.undispatchedEvents, s.undispatchedPositions], [3, 3]);
}));

test('status says 0 behind once dispatch has caught up', () => gappedLake(async (local) => {
  await local.catchUp();
  assert.is((await eventlakeStatus(local)).undispatchedEvents, 0);
}));

test('/health counts the undispatched events', () => gappedLake(async (local) => {
  const app = buildServer(local);
  try {
    const body = (await app.inject({ method: 'GET', url: '/health' })).json<{ undispatchedEvents: number; undispatchedPositions: number }>();
    assert.equal([body.undispatchedEvents, body.undispatchedPositions], [3, 3]);
  } finally {
    await app.close();
  }
}));

test('an index with only the port (no countBetweenPositions) is counted page by page, gaps skipped', () => gappedLake(async (local) => {
  const portOnly: Pick<EventIndex, 'afterPosition'> = { afterPosition: (after, limit) => local.index.afterPosition(after, limit) };
  assert.is(await undispatchedEvents(portOnly, 2, 8), 3);
}));

test.run();
