// A retry at another schema version whose stored copy is archived: proved a duplicate by the entry's digest where
// that can be done soundly, else refused with the restore that lets it be compared, never with EVENT_CONFLICT's advice.
//
// Why: the digest an index entry records is of the stored copy's canonical bytes at its own version. A retry at
// another version has other bytes, so the digest tells nothing unless the stored copy is exactly what the retry
// upcasts to (a v1 resend of a copy stored at the latest version), or tells that no version but the two compared
// could hold a retry. Anything else needs the bytes, i.e. a restore.

import { ArchivedCopyUncomparableError } from '../domain/archived-copy-error.ts';
import type { ArchivedEventError, EventConflictError } from '../domain/errors.ts';
import { serializeEvent, type DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import { contentDigest } from './event-digest.ts';

/** What is known of a stored copy that could not be read: the refusal and, when the index has it, its entry. */
export interface ArchivedCopy {
  readonly archived: ArchivedEventError;
  readonly entry?: IndexEntry | undefined;
}

/**
 * The stored copy's key when every copy in `events` is proved the archived copy or a retry of it (the entry's digest
 * is that of the copy, or of the copy upcast to the latest version); throws `ArchivedCopyUncomparableError` (reason `other-version`) when one
 * may be a retry but only the bytes could tell; undefined when one cannot be (the conflict stands as it was found).
 */
export function settleArchivedRetry(registry: SchemaRegistry, events: readonly DomainEvent[], conflict: EventConflictError, copy: ArchivedCopy): { key: string } | undefined {
  const verdicts = events.map((event) => verdict(registry, event, conflict.eventId, copy.entry));
  if (verdicts.includes('conflict')) return undefined;
  if (verdicts.includes('unknown')) throw new ArchivedCopyUncomparableError(conflict.eventId, copy.archived.key, copy.archived.storageClass, undefined, 'other-version');
  return { key: copy.entry?.location.key ?? copy.archived.key };
}

/** What the entry's digest tells of `event` against the stored copy: the same event, another one, or nothing. */
function verdict(registry: SchemaRegistry, event: DomainEvent, storedId: string, entry: IndexEntry | undefined): 'same' | 'conflict' | 'unknown' {
  // Upcasting keeps the envelope: a copy at another EventTimeStamp is another event whatever its version.
  if (entry && entry.timestamp !== event.EventTimeStamp) return 'conflict';
  const RequestId = storedId.slice(event.EventType.length + 1);
  const digest = entry?.digest;
  if (digest !== undefined && contentDigest(serializeEvent({ ...event, RequestId })) === digest) return 'same';
  const latest = upcastToLatest(registry, event, RequestId);
  if (latest === undefined) return 'conflict';
  if (digest !== undefined && latest.SchemaVersion !== event.SchemaVersion && contentDigest(serializeEvent(latest)) === digest) return 'same';
  // A copy at the event's own version was compared (bytes or digest) and differs; one at the version `event` upcasts to
  // is, by the digest, not that form. A copy at any other version might upcast alike: only its bytes can tell.
  const decided = (v: number) => v === event.SchemaVersion || (digest !== undefined && v === latest.SchemaVersion);
  return versionsOf(registry, event.EventType).every(decided) ? 'conflict' : 'unknown';
}

/** `event` at its type's latest version with the stored copy's RequestId case; undefined when its upcasters refuse it. */
function upcastToLatest(registry: SchemaRegistry, event: DomainEvent, RequestId: string): DomainEvent | undefined {
  try {
    return { ...registry.upcast(event), RequestId };
  } catch {
    return undefined;
  }
}

/** The registered versions of `type`. */
function versionsOf(registry: SchemaRegistry, type: string): readonly number[] {
  return registry.types().find((t) => t.type === type)?.versions ?? [];
}
