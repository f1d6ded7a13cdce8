// EventBridgeDispatcher: publishes logged events to an EventBridge bus with PutEvents, resending only failed entries.

import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../domain/bus.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId, eventKey, serializeEvent } from '../../domain/event.ts';
import type { Dispatcher, PublishOutcome } from '../../domain/ports/dispatcher.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { errorCode, isThrottled } from './errors.ts';
import type { RetryOptions } from './retry.ts';
import { attemptsOf, pause } from './retry.ts';

/** PutEvents limits: entries per request, and the request's summed entry size (EventBridge wants it below 256 KB). */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** `detail` of an event too large for an entry: where to read it, and enough envelope to route and log it. */
export interface PointerDetail {
  readonly pointer: { readonly bucket: string } & EventLocation;
  readonly EventType: string;
  readonly RequestId: string;
  readonly EventTimeStamp: number;
}

export interface EventBridgeDispatcherOptions {
  readonly client: EventBridgeClient;
  readonly eventBusName: string;
  /** The log's bucket, named in pointer details. */
  readonly bucket: string;
  /** Where an event's bytes are, for pointers (default: its one-event object). */
  readonly locate?: (event: DomainEvent) => EventLocation;
  readonly retry?: RetryOptions;
  /** Lower limits for tests; never above PutEvents' own. */
  readonly maxEntries?: number;
  readonly maxRequestBytes?: number;
}

/**
 * Size of an entry as EventBridge counts it: 14 bytes for `Time`, plus the UTF-8 bytes of `Source`, `DetailType`,
 * `Detail` and each of `Resources` (EventBridge User Guide, "Calculating PutEvents event entry size").
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  const utf8 = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (entry.Time ? 14 : 0) + utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail)
    + (entry.Resources ?? []).reduce((n, r) => n + utf8(r), 0);
}

interface Slot { readonly index: number; readonly entry: PutEventsRequestEntry; readonly size: number }

/**
 * The bus side of dispatch. `source` = `eventlake`, `detail-type` = EventType, `detail` = the canonical event,
 * `time` = EventTimeStamp: exactly what the local dispatcher matches rules against.
 *
 * @example
 * const bus = new EventBridgeDispatcher({ client: new EventBridgeClient({}), eventBusName: 'eventlake', bucket: 'my-lake' });
 * const failed = (await bus.publish(events)).filter((o) => o.status === 'failed');
 */
export class EventBridgeDispatcher implements Dispatcher {
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(private readonly options: EventBridgeDispatcherOptions) {
    this.maxEntries = Math.min(options.maxEntries ?? PUT_EVENTS_MAX_ENTRIES, PUT_EVENTS_MAX_ENTRIES);
    this.maxBytes = Math.min(options.maxRequestBytes ?? PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_BYTES);
  }

  async publish(events: readonly DomainEvent[]): Promise<PublishOutcome[]> {
    const outcomes = new Array<PublishOutcome>(events.length);
    const slots = events.map((e, index) => this.slot(e, index));
    for (const batch of this.batches(slots)) {
      for (const [index, failure] of await this.send(batch)) {
        outcomes[index] = failure === undefined ? { id: eventId(events[index]!), status: 'published' } : { id: eventId(events[index]!), status: 'failed', error: failure };
      }
    }
    return outcomes;
  }

  /** The entry of one event, or of its pointer when the event alone would reach the request limit. */
  private slot(event: DomainEvent, index: number): Slot {
    const base = { EventBusName: this.options.eventBusName, Source: EVENT_SOURCE, DetailType: event.EventType, Time: new Date(event.EventTimeStamp * 1000) };
    const full = { ...base, Detail: serializeEvent(event) };
    const size = entrySize(full);
    if (size < this.maxBytes) return { index, entry: full, size };
    const location = this.options.locate?.(event) ?? { key: eventKey(event) };
    const pointer: PointerDetail = {
      pointer: { bucket: this.options.bucket, ...location }, EventType: event.EventType, RequestId: event.RequestId, EventTimeStamp: event.EventTimeStamp,
    };
    const entry = { ...base, Detail: JSON.stringify(pointer) };
    return { index, entry, size: entrySize(entry) };
  }

  /** Greedy packing, in order: at most `maxEntries` per request and a summed size below `maxBytes`. */
  private batches(slots: readonly Slot[]): Slot[][] {
    const out: Slot[][] = [];
    let current: Slot[] = [];
    let bytes = 0;
    for (const slot of slots) {
      if (current.length === this.maxEntries || (current.length > 0 && bytes + slot.size >= this.maxBytes)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(slot);
      bytes += slot.size;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  /**
   * Send one batch; after a partial failure resend only the failed entries that may succeed later (throttling,
   * internal failures). Returns, per event index, undefined when published or the reason it failed.
   */
  private async send(batch: readonly Slot[]): Promise<Map<number, string | undefined>> {
    const result = new Map<number, string | undefined>();
    const attempts = attemptsOf(this.options.retry);
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await pause(attempt - 1, this.options.retry);
      const last = attempt + 1 >= attempts;
      const retry: Slot[] = [];
      try {
        const out = await this.options.client.send(new PutEventsCommand({ Entries: pending.map((s) => s.entry) }));
        pending.forEach((slot, i) => {
          const r = out.Entries?.[i];
          if (r && !r.ErrorCode) return void result.set(slot.index, undefined);
          const code = r?.ErrorCode ?? 'MissingResultEntry';
          if (!last && isThrottled({ name: code })) retry.push(slot);
          else result.set(slot.index, `${code}: ${r?.ErrorMessage ?? 'no result entry'}`);
        });
      } catch (error) {
        if (!last && isThrottled(error)) retry.push(...pending);
        else for (const slot of pending) result.set(slot.index, `${errorCode(error) ?? 'Error'}: ${(error as Error).message}`);
      }
      pending = retry;
    }
    return result;
  }
}
