// The errors of validating an event read back from the log (replay): validate()'s, reworded for a stored event,
// whose fix is in the schemas (a file changed or not loaded), never in the event, which is not rewritten.

import {
  SchemaValidationError, StoredEventInvalidError, StoredEventTypeUnknownError, StoredEventVersionUnknownError,
  UnknownEventTypeError, UnknownSchemaVersionError,
} from '../domain/errors.ts';
import { eventId } from '../domain/event.ts';
import { printable } from '../domain/printable.ts';
import type { SchemaRegistry } from './registry.ts';

/**
 * `error`, thrown by `registry.validate(stored)`, as the error of a stored event: a schema failure names the schema
 * file the event was written against; an unknown type or version says which schema file to load back. Anything else
 * (a domain rule, the size limit) is returned as it is.
 */
export function storedEventError(error: unknown, stored: unknown, registry: SchemaRegistry): unknown {
  const record = (stored ?? {}) as Record<string, unknown>;
  const [type, version] = [record['EventType'], record['SchemaVersion']];
  if (typeof type !== 'string') return error;
  const id = errorEventId(record, type);
  if (error instanceof UnknownSchemaVersionError) return new StoredEventVersionUnknownError(id, type, version, error.known);
  if (error instanceof UnknownEventTypeError) return new StoredEventTypeUnknownError(id, type, version, error.known);
  if (!(error instanceof SchemaValidationError) || typeof version !== 'number') return error;
  const entry = registry.entry(type, version);
  // Only a failure of the schema itself points at the file; a domain rule's failure keeps validate()'s wording.
  return entry.validate(stored) ? error : new StoredEventInvalidError(error.eventId, error.issues, { type, version, file: entry.file });
}

/**
 * The identity an error about `record` (of `type`) names; built only when there is an error to throw. Its control
 * characters are escaped: an invalid RequestId is echoed as given, and the CLI prints the message on a terminal.
 */
export function errorEventId(record: Record<string, unknown>, type: string): string {
  const id = record['RequestId'];
  return typeof id === 'string' ? printable(eventId({ EventType: type, RequestId: id })) : `${type}_(no RequestId)`;
}
