// An error's message as the CLI shows it: the API's words, plus the CLI option that fixes it where the API names none.

import { BatchRejectedError, EventlakeError, QueryFailedError } from '../domain/errors.ts';
import { UnknownEventTypeError, UnknownSchemaVersionError } from '../domain/schema-errors.ts';

/** What UnknownEventTypeError asks for, in the API's words: a schema file may exist in a folder not loaded. */
const ADD_SCHEMA = 'add a schema file for it';

/** UnknownSchemaVersionError's words for a version no loaded schema defines (its file may be in a folder not loaded). */
const NO_VERSION = /(EventType "([^"]+)" has no SchemaVersion (\d+): use one of [\d, ]+)/g;

/** DuckDB's words for a column the `events` view lacks (a bare name, or one after an alias). */
const UNKNOWN_COLUMN = /Binder Error: (?:Referenced column "([^"]*)" not found|.* does not have a column named "([^"]*)")/;

/** A field of the loaded schemas that is no column of `events`, and why (schemaColumns' `skipped`). */
export interface SkippedField { readonly field: string; readonly why: string }

/**
 * `error.message` with the CLI's hint: an unknown event type or version may have its schema in a folder not loaded (`--schemas`),
 * and a column a local query does not know is either a field of the loaded schemas left out of `events` (in `skipped`:
 * its reason is quoted) or may come from such a folder. Any other message is returned as it is.
 *
 * @example
 * cliMessage(new UnknownEventTypeError('card_payment', [])); // '… add a schema file for it, or load its folder with --schemas DIR (EVENTLAKE_SCHEMAS) …'
 */
export function cliMessage(error: EventlakeError, skipped: readonly SkippedField[] = []): string {
  const unknownType = error instanceof UnknownEventTypeError ||
    (error instanceof BatchRejectedError && error.failures.some((f) => f.error instanceof UnknownEventTypeError));
  if (unknownType) return error.message.replaceAll(ADD_SCHEMA, `${ADD_SCHEMA}, or load its folder with --schemas DIR (EVENTLAKE_SCHEMAS)`);
  const unknownVersion = error instanceof UnknownSchemaVersionError ||
    (error instanceof BatchRejectedError && error.failures.some((f) => f.error instanceof UnknownSchemaVersionError));
  if (unknownVersion) return error.message.replace(NO_VERSION, '$1, or load the folder holding $2.v$3.json with --schemas DIR (EVENTLAKE_SCHEMAS)');
  const column = error instanceof QueryFailedError ? UNKNOWN_COLUMN.exec(error.message) : null;
  if (column) {
    const name = column[1] ?? column[2] ?? '';
    const left = skipped.find((s) => s.field.toLowerCase() === name.toLowerCase());
    if (left !== undefined) return `${error.message}\n"${name}" is not a column of events: the loaded schemas have it, but ${left.why.startsWith('is ') ? `${left.field} ${left.why}` : left.why}, so SQL cannot read it as a column`;
    return `${error.message}\n"${name}" is not a column of events here: columns come from the loaded schemas; is the folder of the schema with ${name} loaded with --schemas DIR (EVENTLAKE_SCHEMAS)?`;
  }
  return error.message;
}
