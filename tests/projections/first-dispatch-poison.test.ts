// A poison event in a large dispatch batch (a backlog's, grown to 64k events): the LocalDispatcher finds it by halving
// the batch down to 64 events, so the events around it are delivered each once and in order, not one commit per event.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { LocalDispatcher, type LocalRoute } from '../../adapters/local/local-dispatcher.ts';
import { numberedDeposit } from '../support/fakes/array-log.ts';

const BATCH = 1_024;
const events = Array.from({ length: BATCH }, (_, i) => numberedDeposit(i));

/** A projector route that throws on a batch holding any of `poison`, and records the batches it applied. */
function route(poison: ReadonlySet<DomainEvent>) {
  const applied: string[][] = [];
  let calls = 0;
  const r: LocalRoute = {
    rule: { name: 'balances-projector', pattern: { source: ['eventlake'] }, target: 'balances' },
    handler: async (batch) => {
      calls++;
      if (batch.some((e) => poison.has(e))) throw new RangeError('rule threw');
      applied.push(batch.map(eventId));
    },
  };
  return { route: r, applied, calls: () => calls };
}

function dispatcher(r: LocalRoute) {
  const letters: DeadLetter[] = [];
  const deadLetters: DeadLetterStore = { add: async (l) => void letters.push(l), list: async () => letters, remove: async () => undefined };
  return { d: new LocalDispatcher({ rules: [r], deadLetters, maxAttempts: 3, sleep: async () => undefined }), letters };
}

const test = suite('LocalDispatcher: a poison event in a large batch');

test('one poison event among 1,024 costs a delivery per halving and per event of its last 64, not one per event', async () => {
  const r = route(new Set([events[700]!]));
  await dispatcher(r.route).d.publish(events);
  // The whole batch, both halves at each of 4 levels (1,024 → 64), the other 63 events alone, the poison's 3 attempts.
  assert.is(r.calls(), 1 + 2 * 4 + 63 + 3);
});

test('the events around a poison event are delivered once each, in publish order, and it alone is dead-lettered', async () => {
  const poison = new Set([events[3]!, events[700]!]);
  const r = route(poison);
  const { d, letters } = dispatcher(r.route);
  const outcomes = await d.publish(events);
  assert.ok(outcomes.every((o) => o.status === 'published'));
  assert.equal(r.applied.flat(), events.filter((e) => !poison.has(e)).map(eventId));
  assert.equal(letters.map((l) => [l.id, l.attempts]), [[eventId(events[3]!), 3], [eventId(events[700]!), 3]]);
  assert.is(d.stats.delivered, BATCH - 2);
  assert.is(d.stats.deadLettered, 2);
});

test.run();
