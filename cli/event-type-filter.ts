// Whether an EventType filter (`events --type`, GET /events?type=, `query --type`) names a type this lake can hold: an
// unknown one is refused, listing the known ones, instead of answering "(none)" as if the range had no such events.

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
    throw unknownType(type, registered, argument, ', or any type the log holds events of');
  }
}

/**
 * Refuse (`InvalidArgumentError` on `argument`) the first of `types` no loaded schema declares, without asking the
 * index: for an index with no lookup by type (DynamoDB's has none: finding that a type has no event reads every hour
 * bucket of the log). A type the log holds whose schema is not loaded is refused too; `otherwise(type)` (put after
 * the known types, from its separator on) says how to reach it.
 *
 * @example
 * assertRegisteredEventTypes(['nope'], registeredTypes, '--type', () => '; or load its schema folder with --schemas');
 */
export function assertRegisteredEventTypes(types: readonly string[] | undefined, registered: readonly string[], argument: string, otherwise: (type: string) => string): void {
  const type = [...new Set(types ?? [])].find((t) => !registered.includes(t));
  if (type !== undefined) throw unknownType(type, registered, argument, otherwise(type));
}

function unknownType(type: string, registered: readonly string[], argument: string, also: string): InvalidArgumentError {
  return new InvalidArgumentError(argument, `unknown event type ${JSON.stringify(type)}: use one of ${[...registered].sort().join(', ')} ` +
    `(the built-in types and those of the --schemas folders loaded${also})`);
}

/** Whether the index holds any event of `type`, at any time. */
async function indexed(index: EventIndex, type: string): Promise<boolean> {
  // Leaving the loop closes the range read after its first entry.
  for await (const _ of index.between({ ...WHOLE_LOG, types: [type] })) return true;
  return false;
}
