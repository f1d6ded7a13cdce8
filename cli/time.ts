// Parsing of the CLI's time arguments: ISO-8601 (UTC unless a zone is given) or epoch seconds.

import { parseTime as parseTimeArgument } from '../domain/query-params.ts';

/** Epoch seconds of `2024-03-01T00:00:00Z`, `2024-03-01` or `1709251200`; `option` names the flag in errors. */
export function parseTime(option: string, text: string): number {
  return parseTimeArgument(text, option);
}
