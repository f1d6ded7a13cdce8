// The indexer's logic: an S3 "Object Created" event → read the object → index its events → publish them to the bus;
// an S3 storage-class change or restore of a log object → its storage state in the index (storage-changes.ts).

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TransientError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { accountsOf, EVENT_OBJECT_SUFFIX, EVENTS_PREFIX, eventId, serializeEvent } from '../../../domain/event.ts';
import { contentDigest } from '../../../projections/event-digest.ts';
import type { ArchiveTier } from '../../../domain/ports/archive-tier.ts';
import type { Dispatcher } from '../../../domain/ports/dispatcher.ts';
import type { EventIndex, NewIndexEntry } from '../../../domain/ports/event-index.ts';
import type { EventLog, LocatedEvent } from '../../../domain/ports/event-log.ts';
import type { BusEvent } from './envelopes.ts';
import { busEventOf, createdObjectKey, isSqsEvent, processSqsBatch } from './envelopes.ts';
import type { LambdaLogger, LambdaMetrics } from './observability.ts';
import { errorSummary, METRIC } from './observability.ts';
import { isStorageChange, recordStorageChange } from './storage-changes.ts';
import { readCreatedObject } from './compacted-objects.ts';
import { indexByIdentity, type IdentityVerdict } from './indexer-identity.ts';

const isConflict = (v: IdentityVerdict) => v.kind === 'conflict';

export interface IndexerDeps {
  /** `read` and `get`: a notification of an object compaction removed since is answered from the index's location. */
  readonly log: Pick<EventLog, 'readObject' | 'read'>;
  readonly index: Pick<EventIndex, 'put' | 'setObjectStorage' | 'get'>;
  /** Where the current storage class and restore state of an object are read (HeadObject on AWS). */
  readonly archive: Pick<ArchiveTier, 'storage'>;
  readonly dispatcher: Dispatcher;
  readonly logger: LambdaLogger;
  readonly metrics: LambdaMetrics;
  /**
   * The accounts an event is indexed under: `registry.accountsOf` of the schemas the stack bundled (a type's
   * `x-eventlake-accounts`). Default SourceAccount / TargetAccount, the built-in types' accounts.
   */
  readonly accountsOf?: (event: DomainEvent) => string[];
}

/** What one invocation did (direct EventBridge invocations return it; SQS batches return their failures). */
export interface IndexerSummary {
  readonly key: string;
  readonly indexed: number;
  readonly published: number;
  /** Events indexed before (a redelivery, or a copy at another key with the same bytes): not counted as indexed. */
  readonly duplicates?: number;
  /** Copies at another key with other bytes than the indexed one: logged, counted in ConflictingCopies, never published. */
  readonly conflicts?: number;
  /** For a storage change: the state recorded in the index (absent when the object was gone or not a log object). */
  readonly storage?: { readonly storageClass: string; readonly restore: string };
}

/**
 * The index entry of an event read from the log, under the accounts `accounts` names (default SourceAccount /
 * TargetAccount): a new object is hot (STANDARD) and needs no restore.
 */
export function indexEntryOf({ event, location }: LocatedEvent, accounts: (event: DomainEvent) => string[] = accountsOf): NewIndexEntry {
  const bytes = serializeEvent(event);
  return {
    id: eventId(event), type: event.EventType, timestamp: event.EventTimeStamp, accounts: accounts(event),
    location, size: Buffer.byteLength(bytes), storageClass: 'STANDARD', restore: 'NONE', digest: contentDigest(bytes),
  };
}

/**
 * The indexer handler, with its dependencies injected. Indexing is idempotent (an indexed id is left as it is) and
 * publishing is at-least-once (projectors are idempotent), so a redelivered notification is harmless; a failed
 * publish fails the invocation so that EventBridge / SQS deliver it again. An identity indexed at another key is not
 * published from this one: the same bytes are a copy, other bytes a conflicting copy (logged, ConflictingCopies).
 *
 * @example
 * export const handler = createIndexer({ log, index, dispatcher, logger, metrics });
 */
export function createIndexer(deps: IndexerDeps): (event: BusEvent | SQSEvent, context?: Context) => Promise<IndexerSummary | SQSBatchResponse> {
  async function indexObject(event: BusEvent): Promise<IndexerSummary> {
    const key = createdObjectKey(event);
    // Segments are written by the compactor, which re-points the index itself; other keys are not events.
    if (!key.startsWith(EVENTS_PREFIX) || !key.endsWith(EVENT_OBJECT_SUFFIX)) {
      deps.logger.debug('object is not a one-event object; skipped', { key });
      return { key, indexed: 0, published: 0 };
    }
    const { located, compacted } = await readCreatedObject(deps, key);
    // A compacted event is indexed already, at its segment: only its publishing can still be missing.
    const verdicts: IdentityVerdict[] = compacted
      ? located.map(() => ({ kind: 'redelivered' }))
      : await indexByIdentity(deps, located, located.map((l) => indexEntryOf(l, deps.accountsOf)));
    const count = (...kinds: IdentityVerdict['kind'][]) => verdicts.filter((v) => kinds.includes(v.kind)).length;
    deps.metrics.addMetric(METRIC.indexed, 'Count', count('indexed'));
    // Compaction's redelivery was never a duplicate notification of a present object: it stays uncounted as before.
    const duplicates = compacted ? 0 : count('redelivered', 'copy');
    if (duplicates > 0) deps.metrics.addMetric(METRIC.duplicate, 'Count', duplicates);
    reportConflicts(key, located, verdicts);
    // Other bytes than the indexed copy's must never reach a projection. The same bytes are published again, as a
    // redelivery is: projectors apply an identity once, and skipping them lost the publish of a notification redriven
    // from the DLQ after compaction re-pointed the index, before it removed the original.
    const events: DomainEvent[] = located.filter((_, i) => !isConflict(verdicts[i]!)).map((l) => l.event);
    const outcomes = events.length > 0 ? await deps.dispatcher.publish(events) : [];
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) {
      deps.logger.error('publishing failed; the notification will be retried', { key, failed: failed.map((f) => ({ id: f.id, error: f.error })) });
      throw new TransientError(`publishing ${failed.length} event(s) of ${key} failed: ${failed[0]?.error ?? ''}`);
    }
    deps.logger.info('indexed and published', { key, ids: events.map(eventId) });
    const conflicts = count('conflict');
    return { key, indexed: count('indexed'), published: outcomes.length, ...(duplicates > 0 ? { duplicates } : {}), ...(conflicts > 0 ? { conflicts } : {}) };
  }

  /** One structured line per conflicting copy (both keys, no payload) and the ConflictingCopies metric an alarm watches. */
  function reportConflicts(key: string, located: readonly LocatedEvent[], verdicts: readonly IdentityVerdict[]): void {
    const conflicts = verdicts.flatMap((v, i) => (v.kind === 'conflict' ? [{ id: eventId(located[i]!.event), key, indexedKey: v.indexedKey }] : []));
    if (conflicts.length > 0) deps.metrics.addMetric(METRIC.conflictingCopies, 'Count', conflicts.length);
    for (const c of conflicts) {
      deps.logger.error('conflicting copy: this identity is indexed at another key with other content; this copy is not published', c);
    }
  }

  async function storageChange(event: BusEvent): Promise<IndexerSummary> {
    const { key, state } = await recordStorageChange(deps, event);
    deps.logger.info(state ? 'storage state recorded' : 'storage change of an object that is gone or not in the log; skipped', { key, ...state });
    return { key, indexed: 0, published: 0, ...(state ? { storage: state } : {}) };
  }

  async function logged(read: () => BusEvent, ref: Record<string, string>): Promise<IndexerSummary> {
    try {
      const event = read();
      return await (isStorageChange(event) ? storageChange(event) : indexObject(event));
    } catch (error) {
      deps.logger.error('indexing a notification failed', { ...ref, ...errorSummary(error) });
      throw error;
    }
  }

  return async (event, context) => {
    if (!isSqsEvent(event)) return logged(() => event, { notification: event.id });
    return processSqsBatch(event, async (record) => { await logged(() => busEventOf(record), { messageId: record.messageId }); }, context);
  };
}
