// Stored events today's input checks would refuse (schemas/well-formed.ts): both log checks name them, since the log
// cannot be rewritten and validateStored lets them replay, but a query of their hour does not read them.

import type { FieldIssue } from '../domain/errors.ts';
import { withUnnamed } from '../schemas/account-values.ts';
import { columnValueIssues } from '../schemas/column-values.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { withInputIssues } from '../schemas/well-formed.ts';

/** What the finding means, worded once for both checks' reports. */
export const UNQUERYABLE_EVENT_FINDING =
  'stored events that input checks added since refuse (a string or key that is not well-formed Unicode, i.e. a lone ' +
  'UTF-16 surrogate; nesting over 64 levels; a field of another JSON type than its events column, such as a string ' +
  'Currency; or an integer outside its column\'s range, such as -2^63 in a bigint column), written by an older version: not harmless, since SQL over their hour fails (DuckDB: "Malformed JSON … ' +
  'invalid high surrogate", "JSON transform error … Expected OBJECT, but got VARCHAR") or reads wrong and, in an ' +
  'account field, distinct accounts read back as one; replay, rebuild and verify still read them (the log cannot be rewritten: emit a corrected event if one is needed)';

/** Passed to withInputIssues, which returns it as given for a clean event: the clean case allocates nothing. */
const NONE: FieldIssue[] = [];

/** Issues named per example; an event of a million lone surrogates is one finding, not a million lines. */
const SHOWN = 3;

/**
 * Why `event` (parsed from a stored line) would be refused as input today, as `pointer reason` parts, or undefined
 * for the common clean event. Columns: the built-in ones, and the loaded schemas' when `validator` is a registry.
 */
export function unqueryableWhy(event: Record<string, unknown>, validator?: unknown): string | undefined {
  const issues = withUnnamed(withInputIssues(event, NONE), columnValueIssues(event, validator instanceof SchemaRegistry ? validator : undefined));
  if (issues.length === 0) return undefined;
  const shown = issues.slice(0, SHOWN).map((i) => `${i.pointer} ${i.reason}`).join('; ');
  return issues.length > SHOWN ? `${shown}; and more` : shown;
}
