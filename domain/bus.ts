// The EventBridge envelope of an event, identical for the local dispatcher and the EventBridge adapter.

import type { DomainEvent } from './event.ts';
import { eventId } from './event.ts';

/** `source` of every event eventlake publishes. */
export const EVENT_SOURCE = 'eventlake';

/** What a rule's pattern is matched against: EventBridge's own event shape. */
export interface BusEntry {
  readonly version: '0';
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly account: string;
  readonly region: string;
  readonly time: string;
  readonly resources: readonly string[];
  readonly detail: DomainEvent;
}

/** The bus envelope of an event: `source` = `eventlake`, `detail-type` = its `EventType`, `detail` = the event. */
export function toBusEntry(event: DomainEvent, where: { account?: string; region?: string } = {}): BusEntry {
  return {
    version: '0',
    id: eventId(event),
    source: EVENT_SOURCE,
    'detail-type': event.EventType,
    account: where.account ?? '000000000000',
    region: where.region ?? 'local',
    time: new Date(event.EventTimeStamp * 1000).toISOString().replace('.000Z', 'Z'),
    resources: [],
    detail: event,
  };
}
