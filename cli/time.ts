// Parsing of the CLI's time arguments: ISO-8601 or epoch seconds.

import { InvalidArgumentError } from '../domain/errors.ts';

/** Epoch seconds of `2024-03-01T00:00:00Z`, `2024-03-01` or `1709251200`. */
export function parseTime(option: string, text: string): number {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(option, `${text} is not a non-negative epoch-seconds value`);
    return n;
  }
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(option, `"${text}" is neither ISO-8601 (2024-03-01T00:00:00Z) nor epoch seconds`);
  return Math.floor(ms / 1000);
}
