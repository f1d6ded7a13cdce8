// The projector's logic: an event from the bus (or an SQS batch of them) → the projection's live generation.

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CounterRangeError, InvalidArgumentError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId } from '../../../domain/event.ts';
import { EventNotInLogError } from '../../../domain/log-membership-errors.ts';
import { isChangesCheckError } from '../../../domain/projection-changes-check.ts';
import type { EventIndex } from '../../../domain/ports/event-index.ts';
import type { EventLog } from '../../../domain/ports/event-log.ts';
import type { ApplyOutcome } from '../../../domain/ports/projection-store.ts';
import type { BusEvent } from './envelopes.ts';
import { busEventOf, isPointerDetail, isSqsEvent, processSqsBatch, receiveCount } from './envelopes.ts';
import type { LambdaLogger, LambdaMetrics } from './observability.ts';
import { errorSummary, METRIC } from './observability.ts';
import { vouchFor } from './vouch-event.ts';

export interface ProjectorDeps {
  /** Apply events to the projection's live generation (exactly once per identity: the store's idempotency keys). */
  readonly apply: (events: readonly DomainEvent[]) => Promise<ApplyOutcome[]>;
  /** Reads events that arrive as pointers (too large for the bus), and stored copies indexed without a digest. */
  readonly log: Pick<EventLog, 'read'>;
  /**
   * The event index every event is vouched for against before it is applied (vouch-event.ts): an event it does not
   * hold with the same content is refused (`EventNotInLogError`). Its `get` must read consistently.
   */
  readonly index: Pick<EventIndex, 'get'>;
  readonly logger: LambdaLogger;
  readonly metrics: LambdaMetrics;
  /** Epoch ms, for the replay lag metric (tests). */
  readonly clock?: () => number;
  /**
   * The queue's maxReceiveCount: a record failing on that delivery goes to the DLQ and is counted as dead-lettered (one
   * every delivery fails alike, `CounterRangeError` or Changes the check refused, is counted on its first delivery instead).
   */
  readonly maxReceiveCount?: number;
}

/**
 * Why no delivery of the event can pass, and what to log of it; undefined for a failure another delivery may not meet.
 * Its own value (`CounterRangeError`: a change no store of the projection holds), or its rule's answer for it (Changes
 * the check refused: the rule answers the same for the same event until it is fixed).
 */
function eventFaultOf(error: unknown): { why: string; names: Record<string, unknown> } | undefined {
  if (error instanceof CounterRangeError) {
    const { projection, key, eventId: id } = error.range;
    return { why: 'the event\'s value can never fit its projection\'s store', names: { eventId: id, projection, counter: key } };
  }
  if (isChangesCheckError(error)) {
    return { why: 'its projection\'s rule returns Changes the check refuses for it', names: { eventId: error.eventId, projection: error.projection } };
  }
  return undefined;
}

function asEvent(detail: unknown): DomainEvent {
  const e = detail as Partial<DomainEvent> | undefined;
  if (typeof e?.EventType !== 'string' || typeof e.RequestId !== 'string' || typeof e.EventTimeStamp !== 'number') {
    throw new InvalidArgumentError('detail', 'not an eventlake event (EventType, RequestId and EventTimeStamp are required)');
  }
  return e as DomainEvent;
}

/** Who sent a bus event, for the log line of a refusal (ids and origin only, never the payload). */
function origin(busEvent: BusEvent): Record<string, unknown> {
  const replay = (busEvent as { 'replay-name'?: unknown })['replay-name'];
  return {
    busEventId: busEvent.id, source: busEvent.source, account: busEvent.account, detailType: busEvent['detail-type'],
    ...(typeof replay === 'string' ? { replayName: replay } : {}),
  };
}

/**
 * The projector handler, with its dependencies injected. Idempotent by construction: the store records each
 * event's identity in the same transaction as its changes, so redeliveries and replays report `duplicate`. Applies
 * only events the log holds: each is vouched for against the index first, and one it does not hold as sent is
 * refused (`EventNotInLogError`, logged with the bus event's id, source and account, counted in EventsNotInLog), so a
 * forged bus event neither changes the projection nor turns the real event of its identity into a duplicate.
 *
 * @example
 * export const handler = createProjector({ apply: (events) => store.apply(balances, gen, events), log, index, logger, metrics });
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
    await vouchFor(deps, event);
    const [outcome] = await deps.apply([event]);
    if (!outcome) throw new Error(`the store returned no outcome for ${eventId(event)}`);
    if (outcome.status === 'applied') deps.metrics.addMetric(METRIC.applied, 'Count', 1);
    if (outcome.status === 'duplicate') deps.metrics.addMetric(METRIC.duplicate, 'Count', 1);
    deps.metrics.addMetric(METRIC.replayLag, 'Seconds', Math.max(0, clock() / 1000 - event.EventTimeStamp));
    deps.logger.info('projected', { id: outcome.id, status: outcome.status });
    return outcome;
  }

  /** Counts and logs a refusal; true when `error` was one (it is then logged here, with who sent the event). */
  function refused(error: unknown, busEvent: BusEvent | undefined, ref: Record<string, unknown>, then: string): boolean {
    if (!(error instanceof EventNotInLogError)) return false;
    deps.metrics.addMetric(METRIC.notInLog, 'Count', 1);
    deps.logger.error(`refused an event the log does not hold; it was not applied and ${then}`,
      { ...ref, ...(busEvent ? origin(busEvent) : {}), eventId: error.eventId, ...errorSummary(error) });
    return true;
  }

  /**
   * Logs an event every delivery fails alike (`eventFaultOf`); true when `error` was one. It is still thrown, so the
   * dead-letter queue keeps the event (on AWS the only record of a dead letter); `then` says how it gets there. Counted
   * once, when `first` (its first delivery), not per delivery.
   */
  function eventFault(error: unknown, ref: Record<string, unknown>, then: string, first: boolean): boolean {
    const fault = eventFaultOf(error);
    if (!fault) return false;
    if (first) deps.metrics.addMetric(METRIC.deadLettered, 'Count', 1);
    deps.logger.error(`dead-lettered: ${fault.why}, so every delivery fails alike and nothing of it is applied; ${then}`,
      { ...ref, ...fault.names, ...errorSummary(error) });
    return true;
  }

  return async (event, context) => {
    if (!isSqsEvent(event)) {
      try {
        return [await project(event)];
      } catch (error) {
        // Thrown: Lambda retries the invocation, then the function's dead-letter queue keeps it (and its alarm fires).
        if (refused(error, event, {}, 'fails the invocation')) throw error;
        // Not counted: an invocation does not know whether it is Lambda's first attempt or a retry of it.
        if (eventFault(error, { busEventId: event.id }, 'Lambda\'s retries fail alike and the function\'s dead-letter queue keeps it', false)) throw error;
        deps.logger.error('projecting an event failed', { busEventId: event.id, ...errorSummary(error) });
        throw error;
      }
    }
    // A refusal is final: the indexer publishes an event only after indexing it, so a delivery the index does not vouch
    // for is never the only way a real event reaches the projection. A refused record is acknowledged once logged and
    // counted, not reported as a batch item failure: it would never pass, and in a redrive of a dead-letter queue
    // (which has no maxReceiveCount of its own) it would cycle until the queue's retention ran out.
    return processSqsBatch(event, async (record) => {
      const ref = { messageId: record.messageId, receiveCount: receiveCount(record) };
      let busEvent: BusEvent | undefined;
      try {
        busEvent = busEventOf(record);
        await project(busEvent);
      } catch (error) {
        if (refused(error, busEvent, ref, 'its message is deleted (a refusal is final)')) return;
        // Reported failed like any other: SQS moves it to the dead-letter queue after maxReceiveCount deliveries.
        if (eventFault(error, ref, 'SQS redelivers it until the queue\'s maxReceiveCount moves it to the DLQ (a DLQ consumed for a redrive keeps it)', receiveCount(record) === 1)) throw error;
        const last = deps.maxReceiveCount !== undefined && receiveCount(record) >= deps.maxReceiveCount;
        if (last) deps.metrics.addMetric(METRIC.deadLettered, 'Count', 1);
        deps.logger.error(last ? 'projecting failed on the last delivery; the message goes to the DLQ' : 'projecting failed; SQS will redeliver',
          { ...ref, ...errorSummary(error) });
        throw error;
      }
    }, context);
  };
}
