// The root of eventlake's error hierarchy: the base class every typed error extends, and the field issue they report.

/** One failing field of an event: where (JSON pointer), what is wrong, and what would be valid. */
export interface FieldIssue {
  /** JSON pointer to the field, e.g. `/Amount`; `''` for the event as a whole. */
  readonly pointer: string;
  /** What is wrong, e.g. `must match pattern`. */
  readonly reason: string;
  /** What would be valid, e.g. `a decimal string with exactly two decimals, such as "123.45"`. */
  readonly expected: string;
}

/** Base of every eventlake error. Branch on the class (or on `code`, which never changes). */
export abstract class EventlakeError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
