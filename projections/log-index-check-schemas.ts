// Both log checks' schema pass: each whole stored event put to the registry's stored-event validation, the very call
// replay makes (registry.validateStored), so an event `check` passes is one a rebuild reads, and one it names is one a
// rebuild would stop at.

import { bareCommand, type SpellCommand } from '../domain/command-spelling.ts';
import {
  EventlakeError, EventTooLargeError, SchemaValidationError, StoredEventInvalidError, StoredEventTypeUnknownError,
  StoredEventVersionUnknownError, UpcastError, type FieldIssue,
} from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';

/** What the check validates stored events with: `SchemaRegistry` satisfies it (the registry replay uses). */
export interface StoredEventValidator {
  /** Throws the typed error replay would stop with; returns for an event replay reads. */
  validateStored(stored: unknown): DomainEvent;
}

/** A schema finding of one stored event: its kind, and why, without its place (built only when an example is kept). */
export interface SchemaFinding {
  readonly kind: 'invalidEvent' | 'unknownSchema';
  readonly why: () => string;
}

/** Fields named per example: an event failing on every field is one finding, not a screenful. */
const SHOWN = 3;

function issuesText(issues: readonly FieldIssue[]): string {
  const shown = issues.slice(0, SHOWN).map((i) => `${i.pointer || '(event)'} ${i.reason}; expected ${i.expected}`).join('; ');
  return issues.length > SHOWN ? `${shown}; and ${issues.length - SHOWN} more` : shown;
}

const versionOf = (event: DomainEvent): string => `${event.EventType} v${String(event.SchemaVersion)}`;

/** Why `error` stops replay at `event`: its fields, or the first line of a message that is not per field. */
function why(error: EventlakeError, event: DomainEvent): string {
  if (error instanceof StoredEventInvalidError) return `fails ${versionOf(event)} (${error.schema.file}): ${issuesText(error.issues)}`;
  if (error instanceof SchemaValidationError) return `${versionOf(event)}: ${issuesText(error.issues)}`;
  return `${versionOf(event)}: ${error.code}: ${error.message.split('\n')[0]}`;
}

/**
 * The finding of one stored event, or undefined for one replay reads. An unknown type or version is `unknownSchema`; a failure of its schema, a domain rule, the size limit or an
 * upcaster is `invalidEvent`. Anything else (a schema set refused as a whole, a bug) is thrown: it is no fact about
 * this event, and `check` must say it could not check rather than blame every event.
 */
export function schemaFinding(validator: StoredEventValidator, event: DomainEvent): SchemaFinding | undefined {
  try {
    validator.validateStored(event);
    return undefined;
  } catch (error) {
    if (error instanceof StoredEventTypeUnknownError || error instanceof StoredEventVersionUnknownError) {
      return { kind: 'unknownSchema', why: () => `${versionOf(event)}: no loaded schema defines it (load the folder with ${event.EventType}.v${String(event.SchemaVersion)}.json)` };
    }
    if (error instanceof SchemaValidationError || error instanceof UpcastError || error instanceof EventTooLargeError) {
      return { kind: 'invalidEvent', why: () => why(error, event) };
    }
    throw error;
  }
}

/**
 * What `invalidEvent` means and what to do, its commands spelled by `spell` (the CLI adds the global options given).
 * The fix is the README's: the log is never rewritten, so the schema goes back, the change goes forward.
 */
export function invalidEventFinding(spell: SpellCommand): string {
  return 'stored events that fail the validation replay runs on them (the schema of the version they were stored under, ' +
    'a domain rule, the size limit, an upcaster): rebuild and verify stop at the first. If a schema file was changed after ' +
    'its events were stored, restore it as it was and put the change in a new version with an upcaster ' +
    `(\`${spell('schemas', 'check', 'DIR')}\` lints the set); if an upcaster fails, fix it; if an object was edited by hand, ` +
    'put its original bytes back (events in the log are never rewritten)';
}

/** What `unknownSchema` means and what to do. */
export const UNKNOWN_SCHEMA_FINDING = 'stored events of a type or version no loaded schema defines: rebuild and verify stop at the first. ' +
  'Load the folder holding <type>.v<N>.json (--schemas or EVENTLAKE_SCHEMAS): a type or version with stored events must stay';

/** The findings the schema pass adds, as both reports word them for a library caller. */
export const SCHEMA_FINDINGS = {
  invalidEvent: invalidEventFinding(bareCommand),
  unknownSchema: UNKNOWN_SCHEMA_FINDING,
} as const;
