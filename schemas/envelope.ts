// The envelope rules every event type obeys whatever its schema says: a UUID RequestId, whole epoch seconds from 1970 to 2100.

import type { FieldIssue } from '../domain/errors.ts';
import { REQUEST_ID_PATTERN } from '../domain/event.ts';

/**
 * The last string REQUEST_ID_PATTERN matched: a memo of one, since the uuid format and the envelope test it in a row.
 * Undefined until a string matched: an initial '' answered "valid" for an empty RequestId in a fresh process.
 */
let lastRequestId: string | undefined;

/** Whether `text` matches REQUEST_ID_PATTERN; the string matched last is answered from the memo. */
export function isRequestId(text: string): boolean {
  if (text === lastRequestId) return true;
  if (!REQUEST_ID_PATTERN.test(text)) return false;
  lastRequestId = text;
  return true;
}

const MAX_TIMESTAMP = 4_102_444_800; // 2100-01-01, as in the built-in schemas
const NO_ISSUES: FieldIssue[] = Object.freeze([]) as unknown as FieldIssue[];

/**
 * The envelope rules every type obeys whatever its schema says, because RequestId and EventTimeStamp become the
 * object key: a user schema that only says `"type": "string"` must not let `../../x` into a path.
 */
export function checkEnvelope(record: Record<string, unknown>): FieldIssue[] {
  const [id, ts] = [record['RequestId'], record['EventTimeStamp']];
  const idOk = typeof id === 'string' && isRequestId(id);
  const tsOk = typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0 && ts <= MAX_TIMESTAMP;
  if (idOk && tsOk) return NO_ISSUES; // the common case, without an array per event
  const issues: FieldIssue[] = [];
  if (!idOk) issues.push({ pointer: '/RequestId', reason: 'is not a UUID', expected: 'a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f"' });
  if (!tsOk) issues.push(timestampIssue(ts));
  return issues;
}

/**
 * What is wrong with an EventTimeStamp the envelope refuses, told apart: a user schema without `minimum` lets -5
 * reach here, and "is not whole epoch seconds" sent its author looking for a fraction.
 */
function timestampIssue(ts: unknown): FieldIssue {
  const expected = `whole epoch seconds (UTC) from 0 (1970-01-01) to ${MAX_TIMESTAMP} (2100-01-01), such as 1714000000`;
  const issue = (reason: string, fix = expected): FieldIssue => ({ pointer: '/EventTimeStamp', reason, expected: fix });
  if (typeof ts !== 'number') return issue(ts === undefined ? 'is missing' : `is ${JSON.stringify(ts) ?? String(ts)}, not a number`);
  if (!Number.isFinite(ts)) return issue(`is ${ts}, not a number of seconds`);
  if (ts < 0) return issue(`is ${ts}, before 1970-01-01 (negative epoch seconds), which eventlake does not store`);
  if (ts > MAX_TIMESTAMP) {
    // Milliseconds (Date.now()) are the usual cause: any present-day count of them, read as seconds, is past 2100.
    const ms = ts / 1000 <= MAX_TIMESTAMP ? `; in seconds, not milliseconds: ${Math.floor(ts / 1000)} for this one` : '';
    return issue(`is ${ts}, after 2100-01-01`, `${expected}${ms}`);
  }
  return issue(`is ${ts}, not whole seconds`, `${expected}: round it, e.g. ${Math.floor(ts)}`);
}

/**
 * The issue of an EventTimeStamp more than `skewSeconds` after `now` (epoch seconds), if it is one: a clock that far
 * ahead would place the event where no query for the present finds it.
 */
export function futureTimestampIssue(record: Record<string, unknown>, now: number, skewSeconds: number): FieldIssue | undefined {
  const ts = record['EventTimeStamp'] as number;
  if (ts <= now + skewSeconds) return undefined;
  return { pointer: '/EventTimeStamp', reason: `is ${ts - now} s in the future`, expected: `epoch seconds no later than ${now + skewSeconds} (now + ${skewSeconds} s)` };
}

/**
 * A schema's issues with the envelope's own EventTimeStamp issue first, in place of the schema's: the built-in
 * schemas' `must be <= 4102444800` hid "in seconds, not milliseconds", the fix. A missing or non-number timestamp the
 * schema reports as well as the envelope would ("is required", "must be integer"): its issues stay as they are.
 */
export function withEnvelopeTimestamp(schemaIssues: FieldIssue[], record: Record<string, unknown>): FieldIssue[] {
  if (typeof record['EventTimeStamp'] !== 'number') return schemaIssues;
  const own = checkEnvelope(record).find((i) => i.pointer === '/EventTimeStamp');
  return own === undefined ? schemaIssues : [own, ...schemaIssues.filter((i) => i.pointer !== '/EventTimeStamp')];
}
