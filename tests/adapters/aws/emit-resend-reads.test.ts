// A batch re-sent after compaction: every event is indexed at its segment, so the emit reads each stored copy to
// compare it. On AWS each read is an S3 GET; one after another, a re-sent batch of 1,000 took 1,000 round trips.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventConflictError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import type { IndexEntry } from '../../../domain/ports/event-index.ts';
import type { EventLocation, EventLog } from '../../../domain/ports/event-log.ts';
import type { ProjectionStore } from '../../../domain/ports/projection-store.ts';
import { Eventlake } from '../../../projections/eventlake.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const deposit = SAMPLES['cash_deposit']! as DomainEvent;
const SEGMENT = 'events/year=2009/month=02/day=13/hour=23/segment.ndjson';
const batch = Array.from({ length: 40 }, (_, i) => ({ ...deposit, RequestId: `12345678-1234-4234-8234-${String(i).padStart(12, '0')}` }));

/** A lake whose index has every event of `stored` in one segment, and whose log serves them slowly (an S3 GET). */
function resentLake(stored: readonly DomainEvent[]) {
  const byId = new Map(stored.map((e, i): [string, { event: DomainEvent; entry: IndexEntry }] => [eventId(e), {
    event: e,
    entry: { id: eventId(e), type: e.EventType, timestamp: e.EventTimeStamp, accounts: [], location: { key: SEGMENT, offset: i * 100, length: 100 }, size: 100, storageClass: 'STANDARD', restore: 'NONE', position: i },
  }]));
  const reads = { inFlight: 0, most: 0 };
  const log = {
    read: async (location: EventLocation): Promise<DomainEvent> => {
      reads.most = Math.max(reads.most, ++reads.inFlight);
      await new Promise((r) => setTimeout(r, 2));
      reads.inFlight--;
      return [...byId.values()].find((s) => s.entry.location.offset === location.offset)!.event;
    },
    append: async () => assert.unreachable('a re-sent batch appends nothing'),
  } as unknown as EventLog;
  const index = {
    get: async (id: string) => byId.get(id)?.entry,
    getMany: async (ids: readonly string[]) => new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!.entry] as const] : []))),
  };
  const lake = new Eventlake({ registry: SchemaRegistry.load({ folders: [] }), log, store: {} as ProjectionStore, index: index as never });
  return { lake, reads };
}

const test = suite('emit of a batch re-sent after compaction');

test('the stored copies are read several at a time, not one after another, and every event is a duplicate', async () => {
  const { lake, reads } = resentLake(batch);
  const results = await lake.emit(batch);
  assert.ok(results.every((r) => r.status === 'duplicate' && r.key === SEGMENT));
  assert.ok(reads.most > 1, `at most ${reads.most} read in flight`);
});

test('of several events that differ from their stored copy, the first in input order is the one refused', async () => {
  const { lake } = resentLake(batch);
  const changed = batch.map((e, i) => (i === 5 || i === 30 ? { ...e, Reference: 'changed' } : e));
  const error = await rejects(() => lake.emit(changed), EventConflictError);
  assert.match(error.message, new RegExp(eventId(batch[5]!)));
});

test.run();
