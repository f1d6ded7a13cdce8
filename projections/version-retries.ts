// A retry sent at another schema version than the stored copy of its event: a duplicate when both upcast alike.
//
// Why: the log compares bytes, so a client upgraded to v2 re-sending a request it first sent as v1 met EVENT_CONFLICT,
// and its advice then (a new RequestId) booked the operation twice. Asked only once an append is refused with a
// conflict: an append that meets none pays nothing for it.

import { ArchivedEventError, EventConflictError, EventNotFoundError } from '../domain/errors.ts';
import { eventId, serializeEvent, type DomainEvent } from '../domain/event.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';

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
 * Each try refuses the whole batch on a conflict (nothing written), so a batch holding a real conflict is still
 * refused whole, with that conflict. At most one try more than the input has such retries.
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
  const settled = new Map<number, Settled>();
  let error = first;
  for (;;) {
    const at = input.flatMap((_, i) => (settled.has(i) ? [] : [i]));
    const events = at.map((i) => input[i]!);
    if (!(error instanceof EventConflictError)) throw error;
    // A conflict within the input is numbered by this try's events: renumbered by the caller's input.
    if (error.positions) throw settled.size > 0 ? error.inInput(at) : error;
    const copy = await upcastEqualCopy(deps, events, error);
    if (!copy) throw error;
    for (const p of copy.positions) settled.set(at[p]!, { id: copy.id, key: copy.key, status: 'duplicate' });
    const rest = input.flatMap((e, i) => (settled.has(i) ? [] : [e]));
    try {
      const appended = await appendOnce(rest);
      let next = 0;
      return input.map((_, i) => settled.get(i) ?? appended[next++]!);
    } catch (next) {
      error = next;
    }
  }
}

/**
 * The positions of `events` holding the identity `conflict` names and the stored copy's key, when every one of them
 * repeats that copy at another SchemaVersion (equal once both are upcast); undefined when the conflict stands.
 */
async function upcastEqualCopy(deps: VersionRetryDeps, events: readonly DomainEvent[], conflict: EventConflictError):
  Promise<{ positions: number[]; id: string; key: string } | undefined> {
  // The facade may have taken a stored copy's RequestId case (storedCase): identities match case-insensitively.
  const wanted = conflict.eventId.toLowerCase();
  const positions = events.flatMap((e, i) => (eventId(e).toLowerCase() === wanted ? [i] : []));
  if (positions.length === 0) return undefined;
  const stored = await storedCopy(deps, conflict);
  if (!stored) return undefined;
  const storedForm = upcastForm(deps.registry, stored.event, stored.event.RequestId);
  const same = positions.every((p) => {
    const event = events[p]!;
    return event.SchemaVersion !== stored.event.SchemaVersion && storedForm !== undefined && upcastForm(deps.registry, event, stored.event.RequestId) === storedForm;
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

/** The stored copy the conflict names: by the index when it has the identity, else found in the object at its key. */
async function storedCopy(deps: VersionRetryDeps, conflict: EventConflictError): Promise<{ event: DomainEvent; key: string } | undefined> {
  const wanted = conflict.eventId.toLowerCase();
  try {
    const entry = await deps.index?.get(conflict.eventId);
    if (entry) return { event: await deps.log.read(entry.location), key: entry.location.key };
    for await (const { event, location } of deps.log.readObject(conflict.key)) {
      if (eventId(event).toLowerCase() === wanted) return { event, key: location.key };
    }
    return undefined;
  } catch (error) {
    // An archived or vanished copy cannot be compared: the conflict stands, as it would have.
    if (error instanceof ArchivedEventError || error instanceof EventNotFoundError) return undefined;
    throw error;
  }
}
