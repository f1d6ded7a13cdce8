// Contract of the Dispatcher port: every adapter (the local bus, EventBridge) must pass these, through the port alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId } from '../../domain/event.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { Dispatcher } from '../../domain/ports/dispatcher.ts';
import { SAMPLES } from '../support/samples.ts';

interface Subject { dispatcher: Dispatcher; cleanup?: (() => Promise<void>) | undefined }

/**
 * Runs the Dispatcher contract against a fresh, healthy dispatcher (targets that accept everything) per test.
 *
 * @example
 * dispatcherContract('LocalDispatcher', async () => ({ subject: new LocalDispatcher({ rules: [...], deadLetters }) }));
 */
export function dispatcherContract(name: string, makeSubject: () => Promise<{ subject: Dispatcher; cleanup?: () => Promise<void> }>): void {
  const test = suite<Subject>(`Dispatcher contract: ${name}`, { dispatcher: undefined as unknown as Dispatcher });
  test.before.each(async (ctx) => {
    const made = await makeSubject();
    ctx.dispatcher = made.subject;
    ctx.cleanup = made.cleanup;
  });
  test.after.each(async (ctx) => ctx.cleanup?.());

  test('publishing nothing returns no outcomes', async ({ dispatcher }) => {
    assert.equal(await dispatcher.publish([]), []);
  });

  test('publish returns one outcome per event, in input order, with its identity', async ({ dispatcher }) => {
    const events = Object.values(SAMPLES);
    const outcomes = await dispatcher.publish(events);
    assert.equal(outcomes.map((o) => o.id), events.map(eventId));
  });

  test('a healthy dispatcher publishes every event', async ({ dispatcher }) => {
    const outcomes = await dispatcher.publish(Object.values(SAMPLES));
    assert.ok(outcomes.every((o) => o.status === 'published'), JSON.stringify(outcomes));
  });

  test('an event given twice gets an outcome for each occurrence', async ({ dispatcher }) => {
    const event = SAMPLES['incoming_payment']!;
    const outcomes = await dispatcher.publish([event, event]);
    assert.equal(outcomes.map((o) => [o.id, o.status]), [[eventId(event), 'published'], [eventId(event), 'published']]);
  });

  test('a batch larger than one bus request (EventBridge takes 10 entries) keeps every outcome in order', async ({ dispatcher }) => {
    const events: DomainEvent[] = generateEvents({ accounts: 5, days: 1, eventsPerDay: 37, start: 1_700_000_000, seed: 11 });
    const outcomes = await dispatcher.publish(events);
    assert.equal(outcomes.map((o) => o.id), events.map(eventId));
    assert.ok(outcomes.every((o) => o.status === 'published'));
  });

  test.run();
}
