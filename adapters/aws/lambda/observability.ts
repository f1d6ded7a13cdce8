// What the Lambda factories log and count: metric names, the logger/metrics shapes they need, safe error summaries.

/** CloudWatch metric names (EMF) the handlers emit; dashboards and alarms in the CDK stack use the same names. */
export const METRIC = {
  indexed: 'EventsIndexed',
  applied: 'EventsApplied',
  duplicate: 'EventsDuplicate',
  /** The indexer found an identity indexed at another key with other content (an alarm watches it). */
  conflictingCopies: 'ConflictingCopies',
  deadLettered: 'EventsDeadLettered',
  /** A projector refused an event the log does not hold (a forged or altered bus event; an alarm should watch it). */
  notInLog: 'EventsNotInLog',
  replayLag: 'ReplayLagSeconds',
} as const;

/** The part of Powertools' Logger the factories use (tests pass a recorder). */
export interface LambdaLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** The part of Powertools' Metrics the factories use. */
export interface LambdaMetrics {
  addMetric(name: string, unit: 'Count' | 'Seconds', value: number): void;
}

/**
 * An error as it may be logged: class, code and message with 12-digit account numbers masked (SDK messages
 * quote ARNs). Never the event payload: handlers log identities and keys only.
 */
export function errorSummary(error: unknown): Record<string, string> {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  const out: Record<string, string> = { errorName: typeof e?.name === 'string' ? e.name : 'Error' };
  if (typeof e?.code === 'string') out.errorCode = e.code;
  out.errorMessage = (typeof e?.message === 'string' ? e.message : String(error)).replace(/\b\d{12}\b/g, '************');
  return out;
}

/** A value Lambda can serialise as JSON: bigints (money, counters) become decimal strings. */
export function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null');
}
