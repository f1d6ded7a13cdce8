// A retry sent at another schema version than the stored copy of its event: a duplicate when both upcast alike.
//
// Why: the log compares bytes, so a client upgraded to v2 re-sending a request it first sent as v1 met EVENT_CONFLICT,
// and its advice then (a new RequestId) booked the operation twice. Asked only once an append is refused with a
// conflict: an append that meets none pays nothing for it.

import { ArchivedEventError, EventConflictError, EventNotFoundError } from '../domain/errors.ts';
import { eventId, serializeEvent, type DomainEvent } from '../domain/event.ts';
import type { EventIndex, IndexEntry } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import { settleArchivedRetry, type ArchivedCopy } from './version-retry-archived.ts';

/** What the stored copy of a conflicting event is read and upcast with. */
export interface VersionRetryDeps {
  readonly registry: SchemaRegistry;
  readonly log: EventLog;
  readonly index?: Pick<EventIndex, 'get'>;
}

/** What `append` reports for one input position. */
interface Settled {
  readonly id: string;
  readonly key: string;
  readonly status: 'stored' | 'duplicate';
}

/**
 * Append `input` with `appendOnce`; when it is refused with a stored conflict whose stored copy has another
 * SchemaVersion and upcasts (to the latest version, with the registry's upcasters) to what the input's copies of that
 * identity upcast to, those positions are reported `duplicate` of the stored copy and the rest is appended again.
 * Two copies of one identity within the input at other versions that upcast alike are settled the same way: the
 * later one is `duplicate` of the earlier, as for a repeat of the same bytes. A stored copy that is archived cannot
 * be read: its entry's digest proves a retry only when the copy is the retry upcast to the latest version, else a
 * possible retry throws `ArchivedCopyUncomparableError` (reason `other-version`: restore, then resend). Each try refuses the whole batch on
 * a conflict (nothing written), so a batch holding a real conflict is still refused whole, with that conflict. At
 * most one try more than the input has such retries.
 */
export async function appendSettlingVersions<R extends Settled>(
  deps: VersionRetryDeps, input: readonly DomainEvent[], appendOnce: (events: readonly DomainEvent[]) => Promise<R[]>,
): Promise<(R | Settled)[]> {
  // The first try as the caller gave it: an append that meets no conflict pays for none of the bookkeeping below.
  try {
    return await appendOnce(input);
  } catch (error) {
    return settleAndRetry(deps, input, appendOnce, error);
  }
}

async function settleAndRetry<R extends Settled>(
  deps: VersionRetryDeps, input: readonly DomainEvent[], appendOnce: (events: readonly DomainEvent[]) => Promise<R[]>, first: unknown,
): Promise<(R | Settled)[]> {
  const settled = new Map<number, Settlement>();
  let error = first;
  for (;;) {
    const at = input.flatMap((_, i) => (settled.has(i) ? [] : [i]));
    const events = at.map((i) => input[i]!);
    if (!(error instanceof EventConflictError)) throw error;
    if (error.positions) {
      // Two copies of one identity in this try (numbered by its events): the later one a retry of the earlier at
      // another version when both upcast alike, reported as the log reports a repeat of the same bytes in one input.
      const [earlier, later] = error.positions;
      if (!sameOnceUpcast(deps.registry, events[earlier]!, events[later]!)) throw settled.size > 0 ? error.inInput(at) : error;
      settled.set(at[later]!, { copyOf: at[earlier]! });
    } else {
      const copy = await upcastEqualCopy(deps, events, error);
      if (!copy) throw error;
      for (const p of copy.positions) settled.set(at[p]!, { id: copy.id, key: copy.key, status: 'duplicate' });
    }
    const rest = input.flatMap((e, i) => (settled.has(i) ? [] : [e]));
    try {
      return resolve(input, settled, await appendOnce(rest));
    } catch (next) {
      error = next;
    }
  }
}

/** A position settled without appending: a duplicate of a stored copy, or of the input's earlier copy at `copyOf`. */
type Settlement = Settled | { readonly copyOf: number };

/** Each input position's result: `appended` holds the unsettled positions' in order. */
function resolve<R extends Settled>(input: readonly DomainEvent[], settled: ReadonlyMap<number, Settlement>, appended: readonly R[]): (R | Settled)[] {
  let next = 0;
  const results: (R | Settled)[] = [];
  input.forEach((_, i) => {
    const s = settled.get(i);
    if (!s) results.push(appended[next++]!);
    // The earlier copy comes first in the input, so its result is already there.
    else if ('copyOf' in s) results.push({ id: results[s.copyOf]!.id, key: results[s.copyOf]!.key, status: 'duplicate' });
    else results.push(s);
  });
  return results;
}

/** Whether two copies of one identity are at other SchemaVersions and equal once both are upcast. */
function sameOnceUpcast(registry: SchemaRegistry, a: DomainEvent, b: DomainEvent): boolean {
  if (a.SchemaVersion === b.SchemaVersion) return false;
  const form = upcastForm(registry, a, a.RequestId);
  return form !== undefined && upcastForm(registry, b, a.RequestId) === form;
}

/**
 * The positions of `events` holding the identity `conflict` names and the stored copy's key, when every one of them
 * repeats that copy, as its bytes or at another SchemaVersion (equal once both are upcast); undefined when the
 * conflict stands.
 */
async function upcastEqualCopy(deps: VersionRetryDeps, events: readonly DomainEvent[], conflict: EventConflictError):
  Promise<{ positions: number[]; id: string; key: string } | undefined> {
  // The facade may have taken a stored copy's RequestId case (storedCase): identities match case-insensitively.
  const wanted = conflict.eventId.toLowerCase();
  const positions = events.flatMap((e, i) => (eventId(e).toLowerCase() === wanted ? [i] : []));
  if (positions.length === 0) return undefined;
  const stored = await storedCopy(deps, conflict);
  if (!stored) return undefined;
  if ('archived' in stored) {
    const copy = settleArchivedRetry(deps.registry, positions.map((p) => events[p]!), conflict, stored);
    return copy && { positions, id: conflict.eventId, key: copy.key };
  }
  const { RequestId } = stored.event;
  const storedForm = upcastForm(deps.registry, stored.event, RequestId);
  const storedBytes = serializeEvent(stored.event);
  // A copy of the stored bytes beside a retry at another version in one input (the facade may compare it first).
  const same = positions.every((p) => {
    const event = events[p]!;
    if (event.SchemaVersion === stored.event.SchemaVersion) return serializeEvent({ ...event, RequestId }) === storedBytes;
    return storedForm !== undefined && upcastForm(deps.registry, event, RequestId) === storedForm;
  });
  return same ? { positions, id: eventId(stored.event), key: stored.key } : undefined;
}

/** Canonical bytes of `event` at its type's latest version; undefined when its upcasters refuse it. */
function upcastForm(registry: SchemaRegistry, event: DomainEvent, requestId: string): string | undefined {
  try {
    return serializeEvent({ ...registry.upcast(event), RequestId: requestId });
  } catch {
    return undefined;
  }
}

/**
 * The stored copy the conflict names: by the index when it has the identity, else found in the object at its key;
 * an archived one as what is known of it without its bytes.
 */
async function storedCopy(deps: VersionRetryDeps, conflict: EventConflictError): Promise<{ event: DomainEvent; key: string } | ArchivedCopy | undefined> {
  const wanted = conflict.eventId.toLowerCase();
  let entry: IndexEntry | undefined;
  try {
    entry = await deps.index?.get(conflict.eventId);
    if (entry) return { event: await deps.log.read(entry.location), key: entry.location.key };
    for await (const { event, location } of deps.log.readObject(conflict.key)) {
      if (eventId(event).toLowerCase() === wanted) return { event, key: location.key };
    }
    return undefined;
  } catch (error) {
    if (error instanceof ArchivedEventError) return { archived: error, entry };
    // A vanished copy cannot be compared: the conflict stands, as it would have.
    if (error instanceof EventNotFoundError) return undefined;
    throw error;
  }
}
