// Whether an EventType filter (`events --type`, GET /events?type=) names a type this lake can hold: an unknown one is
// refused, listing the known ones, instead of answering "(none)" as if the range had no such events.

import { InvalidArgumentError } from '../domain/errors.ts';
import type { EventIndex } from '../domain/ports/event-index.ts';
import { WHOLE_LOG } from '../domain/query-params.ts';

/**
 * Refuse (`InvalidArgumentError` on `argument`) the first of `types` that no loaded schema declares (`registered`:
 * the built-in types and those of --schemas folders and extensions) and no indexed event has.
 * Why the index too: events of a type whose schema was since removed, or was loaded by the emit but not by this
 * command (no --schemas), stay in the log and remain listable by their type. One seek each on the index's
 * (type, timestamp) order; only for types the registry does not know.
 *
 * @example
 * await assertKnownEventTypes(['cash_deposit'], registeredTypes, index); // passes
 * await assertKnownEventTypes(['nope'], registeredTypes, index); // INVALID_ARGUMENT type: unknown event type "nope": use one of …
 */
export async function assertKnownEventTypes(types: readonly string[] | undefined, registered: readonly string[], index: EventIndex, argument = 'type'): Promise<void> {
  for (const type of new Set(types ?? [])) {
    if (registered.includes(type) || await indexed(index, type)) continue;
    throw new InvalidArgumentError(argument, `unknown event type ${JSON.stringify(type)}: use one of ${[...registered].sort().join(', ')} ` +
      '(the built-in types and those of the --schemas folders loaded, or any type the log holds events of)');
  }
}

/** Whether the index holds any event of `type`, at any time. */
async function indexed(index: EventIndex, type: string): Promise<boolean> {
  // Leaving the loop closes the range read after its first entry.
  for await (const _ of index.between({ ...WHOLE_LOG, types: [type] })) return true;
  return false;
}
