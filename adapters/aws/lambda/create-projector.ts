// The projector's logic: an event from the bus (or an SQS batch of them) → the projection's live generation.

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId } from '../../../domain/event.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import type { ApplyOutcome } from '../../../domain/ports/projection-store.ts';
import type { BusEvent } from './envelopes.ts';
import { busEventOf, isPointerDetail, isSqsEvent, processSqsBatch, receiveCount } from './envelopes.ts';
import type { LambdaLogger, LambdaMetrics } from './observability.ts';
import { errorSummary, METRIC } from './observability.ts';

export interface ProjectorDeps {
  /** Apply events to the projection's live generation (exactly once per identity: the store's idempotency keys). */
  readonly apply: (events: readonly DomainEvent[]) => Promise<ApplyOutcome[]>;
  /** Reads events that arrive as pointers (too large for the bus). */
  readonly log: Pick<EventLog, 'read'>;
  readonly logger: LambdaLogger;
  readonly metrics: LambdaMetrics;
  /** Epoch ms, for the replay lag metric (tests). */
  readonly clock?: () => number;
  /** The queue's maxReceiveCount: a record failing on that delivery goes to the DLQ and is counted as dead-lettered. */
  readonly maxReceiveCount?: number;
}

function asEvent(detail: unknown): DomainEvent {
  const e = detail as Partial<DomainEvent> | undefined;
  if (typeof e?.EventType !== 'string' || typeof e.RequestId !== 'string' || typeof e.EventTimeStamp !== 'number') {
    throw new InvalidArgumentError('detail', 'not an eventlake event (EventType, RequestId and EventTimeStamp are required)');
  }
  return e as DomainEvent;
}

/**
 * The projector handler, with its dependencies injected. Idempotent by construction: the store records each
 * event's identity in the same transaction as its changes, so redeliveries and replays report `duplicate`.
 *
 * @example
 * export const handler = createProjector({ apply: (events) => store.apply(balances, gen, events), log, logger, metrics });
 */
export function createProjector(deps: ProjectorDeps): (event: BusEvent | SQSEvent, context?: Context) => Promise<ApplyOutcome[] | SQSBatchResponse> {
  const clock = deps.clock ?? Date.now;

  async function resolve(busEvent: BusEvent): Promise<DomainEvent> {
    if (!isPointerDetail(busEvent.detail)) return asEvent(busEvent.detail);
    const { bucket: _bucket, ...location } = busEvent.detail.pointer;
    const event = await deps.log.read(location);
    if (eventId(event) !== `${busEvent.detail.EventType}_${busEvent.detail.RequestId}`) {
      throw new InvalidArgumentError('pointer', `${location.key} holds ${eventId(event)}, not the event the pointer names`);
    }
    return event;
  }

  async function project(busEvent: BusEvent): Promise<ApplyOutcome> {
    const event = await resolve(busEvent);
    const [outcome] = await deps.apply([event]);
    if (!outcome) throw new Error(`the store returned no outcome for ${eventId(event)}`);
    if (outcome.status === 'applied') deps.metrics.addMetric(METRIC.applied, 'Count', 1);
    if (outcome.status === 'duplicate') deps.metrics.addMetric(METRIC.duplicate, 'Count', 1);
    deps.metrics.addMetric(METRIC.replayLag, 'Seconds', Math.max(0, clock() / 1000 - event.EventTimeStamp));
    deps.logger.info('projected', { id: outcome.id, status: outcome.status });
    return outcome;
  }

  return async (event, context) => {
    if (!isSqsEvent(event)) {
      try {
        return [await project(event)];
      } catch (error) {
        deps.logger.error('projecting an event failed', { busEventId: event.id, ...errorSummary(error) });
        throw error;
      }
    }
    return processSqsBatch(event, async (record) => {
      try {
        await project(busEventOf(record));
      } catch (error) {
        const last = deps.maxReceiveCount !== undefined && receiveCount(record) >= deps.maxReceiveCount;
        if (last) deps.metrics.addMetric(METRIC.deadLettered, 'Count', 1);
        deps.logger.error(last ? 'projecting failed on the last delivery; the message goes to the DLQ' : 'projecting failed; SQS will redeliver',
          { messageId: record.messageId, receiveCount: receiveCount(record), ...errorSummary(error) });
        throw error;
      }
    }, context);
  };
}
