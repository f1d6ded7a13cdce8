// EventReader hands the upcast's `owned` variant only the events it parsed for this read alone: a line at its indexed
// offset. An event found by scanning its object stays on the object for later reads, so it gets the plain upcast.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, serializeEvent } from '../../../domain/event.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import { EventReader } from '../../../projections/rebuild/read-events.ts';
import type { Upcast } from '../../../schemas/upcasters.ts';
import { SAMPLES } from '../../support/samples.ts';

const KEY = 'segment.ndjson';
const first = SAMPLES['cash_deposit']!;
const second = SAMPLES['cash_withdrawal']!;
const lines = [serializeEvent(first), serializeEvent(second)];
const log = { readObjectBytes: async () => Buffer.from(`${lines.join('\n')}\n`) } as unknown as EventLog;
const atLine = (event: DomainEvent, offset: number, length: number) => ({ id: eventId(event), location: { key: KEY, offset, length } });

/** An upcast that records which of its two variants saw each event. */
function recordingUpcast(): { upcast: Upcast; seen: string[] } {
  const seen: string[] = [];
  const upcast = Object.assign((e: DomainEvent) => { seen.push(`plain ${e.EventType}`); return e; }, { owned: (e: DomainEvent) => { seen.push(`owned ${e.EventType}`); return e; } });
  return { upcast, seen };
}

const test = suite('EventReader: owned upcasts');

test('events parsed at their indexed lines go to upcast.owned', async () => {
  const { upcast, seen } = recordingUpcast();
  await new EventReader({ log, upcast }).read([atLine(first, 0, lines[0]!.length), atLine(second, lines[0]!.length + 1, lines[1]!.length)]);
  assert.equal(seen, ['owned cash_deposit', 'owned cash_withdrawal']);
});

test('an event found by scanning its object (its offset was stale) goes to the plain upcast', async () => {
  const { upcast, seen } = recordingUpcast();
  await new EventReader({ log, upcast }).read([atLine(second, 0, lines[0]!.length)]);
  assert.equal(seen, ['plain cash_withdrawal']);
});

test.run();
