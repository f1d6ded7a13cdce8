import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventNotFoundError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, serializeEvent } from '../../../domain/event.ts';
import type { EventLocation, EventLog } from '../../../domain/ports/event-log.ts';
import { EventReader } from '../../../projections/rebuild/read-events.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';

const test = suite('EventReader (projections/rebuild/read-events.ts)');

const payment = SAMPLES['incoming_payment']!;
const eventN = (n: number, extra: Partial<DomainEvent> = {}): DomainEvent =>
  ({ ...payment, RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, ...extra });

/** A log of multi-event objects served as bytes (`readObjectBytes`), counting reads per key. */
function bytesLog(objects: Record<string, DomainEvent[]>) {
  const bodies = new Map<string, Buffer>();
  const entries: { id: string; location: EventLocation }[] = [];
  for (const [key, events] of Object.entries(objects)) {
    let offset = 0;
    const lines: string[] = [];
    for (const e of events) {
      const line = serializeEvent(e);
      entries.push({ id: eventId(e), location: { key, offset, length: Buffer.byteLength(line) } });
      offset += Buffer.byteLength(line) + 1;
      lines.push(line);
    }
    bodies.set(key, Buffer.from(`${lines.join('\n')}\n`));
  }
  const reads = new Map<string, number>();
  const log = {
    readObjectBytes: async (key: string) => {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      const body = bodies.get(key);
      if (!body) throw new EventNotFoundError(key);
      return body;
    },
  } as unknown as EventLog;
  return { log, entries, reads };
}

test('events come back in the order of their entries, parsed at their indexed lines', async () => {
  const { log, entries } = bytesLog({ 'a.ndjson': [eventN(1), eventN(2)], 'b.ndjson': [eventN(3)] });
  const read = await new EventReader({ log }).read([entries[2]!, entries[0]!, entries[1]!]);
  assert.equal(read.map(eventId), [entries[2]!.id, entries[0]!.id, entries[1]!.id]);
});

test('entries alternating between objects read each object once', async () => {
  const { log, entries, reads } = bytesLog({ 'a.ndjson': [eventN(1), eventN(3), eventN(5)], 'b.ndjson': [eventN(2), eventN(4), eventN(6)] });
  const byId = new Map(entries.map((e) => [e.id, e]));
  const alternating = [1, 2, 3, 4, 5, 6].map((n) => byId.get(eventId(eventN(n)))!);
  await new EventReader({ log }).read(alternating);
  assert.equal([...reads.values()], [1, 1]);
});

test('objects beyond the cache budget are read again rather than kept', async () => {
  const { log, entries, reads } = bytesLog({ 'a.ndjson': [eventN(1)], 'b.ndjson': [eventN(2)] });
  const reader = new EventReader({ log }, undefined, 1);
  await reader.read([entries[0]!, entries[1]!, entries[0]!]);
  assert.is(reads.get('a.ndjson'), 2);
});

test('non-ASCII objects are read at byte offsets', async () => {
  const { log, entries } = bytesLog({ 'a.ndjson': [eventN(1, { Reference: 'Miete für März ✓' }), eventN(2)] });
  const read = await new EventReader({ log }).read(entries);
  assert.is(read[0]!['Reference'], 'Miete für März ✓');
  assert.is(eventId(read[1]!), entries[1]!.id);
});

test('an entry whose offset does not hold its event is found by scanning its object', async () => {
  const { log, entries } = bytesLog({ 'a.ndjson': [eventN(1), eventN(2)] });
  const stale = { id: entries[1]!.id, location: { ...entries[1]!.location, offset: 0 } };
  const [event] = await new EventReader({ log }).read([stale]);
  assert.is(eventId(event!), entries[1]!.id);
});

test('an entry whose event is not in its object is EventNotFoundError', async () => {
  const { log, entries } = bytesLog({ 'a.ndjson': [eventN(1)] });
  const missing = { id: eventId(eventN(9)), location: entries[0]!.location };
  await rejects(() => new EventReader({ log }).read([missing]), EventNotFoundError);
});

test.run();
