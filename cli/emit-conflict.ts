// `eventlake emit` refused because an event of its input is stored already with other content: which input events
// those are, numbered as BATCH_REJECTED numbers them (#position), that nothing of the input was stored, and what to do.

import { EventConflictError } from '../domain/errors.ts';
import { eventId, serializeEvent, type DomainEvent } from '../domain/event.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import type { EventLog } from '../domain/ports/event-log.ts';
import type { Eventlake } from '../projections/eventlake.ts';

/** Positions named in the message; a longer list is cut ("…"): an input repeating one identity that often is rare. */
const NAMED = 10;

/** Where the stored copy is read, to tell a resent copy (same bytes) from the one that conflicts. */
export interface StoredCopies {
  readonly index: Pick<EventIndex, 'get'>;
  readonly log: Pick<EventLog, 'read'>;
}

/**
 * `error` told in the input's terms when it is a conflict with a stored copy (one within the input names its positions
 * already): a new `EventConflictError` (same code, `error` as its cause) whose message names the input positions that
 * carry the identity with other bytes than the stored copy, says what of the input was stored (nothing, or the first
 * `storedBefore` events when earlier chunks of it were), and what to do.
 * Any other error is returned as it is; so is this one when no input event carries its identity. Never throws.
 *
 * @example
 * throw await conflictInInput(error, events, local); // EVENT_CONFLICT: input #2: event … already exists at … Nothing of this input was stored …
 */
export async function conflictInInput(error: unknown, events: readonly DomainEvent[], stored: StoredCopies, storedBefore = 0): Promise<unknown> {
  if (!(error instanceof EventConflictError) || error.positions) return error;
  const positions = await conflictingPositions(error, events, stored);
  if (positions.length === 0) return error;
  const named = positions.length > NAMED ? `${positions.slice(0, NAMED).map((p) => `#${p}`).join(', ')}, …` : listed(positions.map((p) => `#${p}`));
  const told = new EventConflictError(error.eventId, error.key, { cause: error });
  told.message = `input ${named}: ${error.message}. ${nothingStored(storedBefore)}: fix or drop ${named} and send the input again ` +
    '(its other events are safe to send again: those already stored are answered duplicate)';
  return told;
}

/**
 * What of an input a refused emit stored: nothing, or its first `storedBefore` events when it was appended a chunk at a
 * time (`eventlake emit --chunk-size`) and a later chunk was refused.
 */
export function nothingStored(storedBefore: number): string {
  return storedBefore === 0 ? 'Nothing of this input was stored'
    : `Events #0 to #${storedBefore - 1} of this input were stored before it (a long input is appended a chunk at a time, ` +
      `see --chunk-size); nothing from #${storedBefore} on was`;
}

/**
 * As `conflictInInput`, for a POST /events body (one event or an array) as the server's emitter took it: validated
 * again to number it (only on such a conflict). Never throws.
 */
export async function conflictInBody(error: unknown, body: unknown, local: StoredCopies & { readonly lake: Pick<Eventlake, 'prepare'> }): Promise<unknown> {
  if (!(error instanceof EventConflictError) || error.positions) return error;
  let events: DomainEvent[];
  try {
    events = local.lake.prepare(Array.isArray(body) ? body : [body]);
  } catch {
    return error;
  }
  return conflictInInput(error, events, local);
}

/**
 * Input positions carrying `error`'s identity (RequestIds compared in any case: a legacy copy may be stored in
 * another) whose bytes differ from the stored copy: a copy resent unchanged beside the changed one is no conflict.
 * All of them when the stored copy cannot be read (not indexed yet, archived, gone) or none differs.
 */
async function conflictingPositions(error: EventConflictError, events: readonly DomainEvent[], stored: StoredCopies): Promise<number[]> {
  const id = error.eventId.toLowerCase();
  const carrying = events.flatMap((e, i) => (eventId(e).toLowerCase() === id ? [i] : []));
  if (carrying.length < 2) return carrying;
  let copy: string;
  try {
    const entry = await stored.index.get(error.eventId);
    if (!entry) return carrying;
    copy = serializeEvent(await stored.log.read(entry.location));
  } catch {
    return carrying;
  }
  const differing = carrying.filter((i) => serializeEvent(events[i]!) !== copy);
  return differing.length > 0 ? differing : carrying;
}

/** "#1", "#1 and #4", "#1, #4 and #7". */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
