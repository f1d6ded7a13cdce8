// What the handlers receive: an EventBridge event, or an SQS batch whose bodies are EventBridge events.

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { PointerDetail } from '../eventbridge-dispatcher.ts';

/** Any EventBridge event, detail not yet checked. */
export type BusEvent = EventBridgeEvent<string, unknown>;

/** True for an SQS batch (a queue between the rule and the function), false for a direct EventBridge invocation. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  return Array.isArray((event as SQSEvent | undefined)?.Records);
}

/** The EventBridge event an SQS record carries (an EventBridge rule with an SQS target sends the whole event). */
export function busEventOf(record: SQSRecord): BusEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.body);
  } catch (error) {
    throw new InvalidArgumentError('body', `SQS message ${record.messageId} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('detail' in parsed) || !('detail-type' in parsed)) {
    throw new InvalidArgumentError('body', `SQS message ${record.messageId} is not an EventBridge event`);
  }
  return parsed as BusEvent;
}

/** How often SQS has delivered the record (1 on the first delivery). */
export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? '1');
}

/**
 * Key of the object an S3 event of one of `detailTypes` is about. EventBridge carries keys as stored; classic S3
 * notifications (S3 → SQS) URL-encode them, and log keys never contain `%` or `+`, so decoding is unambiguous.
 */
export function s3ObjectKey(event: BusEvent, detailTypes: readonly string[]): string {
  const key = (event.detail as { object?: { key?: unknown } } | undefined)?.object?.key;
  if (!detailTypes.includes(event['detail-type']) || typeof key !== 'string') {
    throw new InvalidArgumentError('detail-type', `expected an S3 ${detailTypes.map((t) => `"${t}"`).join(' or ')} event, got "${event['detail-type']}"`);
  }
  return /[%+]/.test(key) ? decodeURIComponent(key.replace(/\+/g, ' ')) : key;
}

/** Key of the object an S3 "Object Created" event is about (see `s3ObjectKey`). */
export function createdObjectKey(event: BusEvent): string {
  return s3ObjectKey(event, ['Object Created']);
}

/** True when the detail is a pointer to an event too large for the bus. */
export function isPointerDetail(detail: unknown): detail is PointerDetail {
  const p = (detail as { pointer?: { key?: unknown } } | undefined)?.pointer;
  return typeof p === 'object' && p !== null && typeof p.key === 'string';
}

/**
 * Run `handle` per record with Powertools' BatchProcessor and report failures as `batchItemFailures`, so SQS
 * redelivers only those (the event source mapping needs ReportBatchItemFailures). When every record fails it
 * throws, and the whole batch is retried.
 */
export function processSqsBatch(event: SQSEvent, handle: (record: SQSRecord) => Promise<void>, context?: Context): Promise<SQSBatchResponse> {
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), context ? { context } : undefined);
}
