// Small typed helpers shared by the DynamoDB adapters: attribute values, paginated reads, retries of transient errors.
//
// Why not @aws-sdk/util-dynamodb: it is not a dependency, and the adapters need few types: S, N (as strings, so
// bigint cents never pass through a JS number), BOOL and string lists.

import { QueryCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { EventlakeError, StorageError, TransientError } from '../../domain/errors.ts';
import { configFix, credentialsFix, isConnectionFailure } from './errors.ts';

export type Item = Record<string, AttributeValue>;

export const str = (v: string): AttributeValue => ({ S: v });
export const num = (v: number | bigint): AttributeValue => ({ N: v.toString() });
export const bool = (v: boolean): AttributeValue => ({ BOOL: v });
/** A list of strings (a DynamoDB L, since string sets cannot be empty and do not keep order). */
export const strList = (v: readonly string[]): AttributeValue => ({ L: v.map(str) });

export function readStr(item: Item, attr: string): string {
  const v = item[attr]?.S;
  if (v === undefined) throw new TypeError(`DynamoDB item has no string attribute ${attr}`);
  return v;
}

export function readOptStr(item: Item, attr: string): string | undefined {
  return item[attr]?.S;
}

/** A number attribute as a JS number: only for positions, offsets and sizes, never for money. */
export function readNum(item: Item, attr: string): number {
  const v = item[attr]?.N;
  if (v === undefined) throw new TypeError(`DynamoDB item has no number attribute ${attr}`);
  return Number(v);
}

/** A number attribute as an exact bigint (counters, cents). */
export function readBigInt(item: Item, attr: string): bigint {
  const v = item[attr]?.N;
  if (v === undefined) throw new TypeError(`DynamoDB item has no number attribute ${attr}`);
  return BigInt(v);
}

export function readStrList(item: Item, attr: string): string[] {
  return (item[attr]?.L ?? []).map((v) => v.S ?? '');
}

/** The SDK error's name (`ConditionalCheckFailedException`, …), or undefined for non-errors. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Error names that mean "the service is busy or briefly unavailable": the same request may succeed later. */
export const TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError',
  'ServiceUnavailable', 'TransactionInProgressException', 'TransactionConflictException', 'LimitExceededException',
  'TimeoutError', 'ECONNRESET',
]);

/** A busy service (TRANSIENT_ERRORS) or a request that never got its answer (a refused, timed-out or reset connection). */
export function isTransient(error: unknown): boolean {
  return TRANSIENT_ERRORS.has(errorName(error) ?? '') || isConnectionFailure(error);
}

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Full-jitter exponential backoff delay for attempt `n` (0-based). */
export function backoff(n: number, baseDelayMs: number): number {
  return Math.random() * baseDelayMs * 2 ** Math.min(n, 8);
}

/**
 * Run `fn`, retrying transient errors (`isTransient`) with jittered backoff; after the last attempt they become a
 * TransientError (with the SDK error as `cause`). Other errors pass through untouched for the caller to map.
 */
export async function withRetries<T>(what: string, fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let n = 0; ; n++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (n + 1 >= attempts) throw new TransientError(retriesSpentMessage(what, attempts, error), { cause: error });
      await sleep(backoff(n, options.baseDelayMs ?? 50));
    }
  }
}

/**
 * Why the message carries the SDK error's own text: its name alone is "Error" for a refused connection, which told the
 * operator nothing (not the endpoint, not that it was the network rather than throttling).
 */
function retriesSpentMessage(what: string, attempts: number, error: unknown): string {
  const detail = error instanceof Error ? `${error.name}: ${error.message || (error as { code?: string }).code || 'no message'}` : String(error);
  const fix = isConnectionFailure(error)
    ? 'DynamoDB could not be reached: check the endpoint, region and network, then run the command again'
    : 'DynamoDB is busy: run the command again later, or raise the table\'s capacity if it keeps happening';
  return `DynamoDB: ${what} failed after ${attempts} attempts: ${detail}: ${fix}`;
}

/**
 * The domain error for a failure an adapter method did not handle itself: eventlake errors as they are, throttling
 * and lost connections as TransientError, anything else (access denied, a missing table, a validation error) as StorageError, with the
 * SDK error as `cause` either way, so no SDK error type leaves the adapters. The message ends with the fix: for missing
 * credentials, or the one the runtime's client gave a missing or forbidden table (the table, its setting, the region).
 */
export function storageError(what: string, error: unknown): EventlakeError {
  if (error instanceof EventlakeError) return error;
  const name = errorName(error) ?? 'Error';
  const fix = credentialsFix(error) ?? configFix(error);
  const message = `DynamoDB: ${what} failed: ${name}: ${error instanceof Error ? error.message : String(error)}${fix ? `: ${fix}` : ''}`;
  return isTransient(error) ? new TransientError(message, { cause: error }) : new StorageError(message, { cause: error });
}

/** Run one public operation of a DynamoDB adapter, its failures mapped by `storageError`. */
export async function storageCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw storageError(what, error);
  }
}

/** Every item of a Query, following LastEvaluatedKey page by page. */
export async function* queryItems(client: DynamoDBClient, input: QueryCommandInput): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const out = await withRetries('Query', () => client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) })));
    for (const item of out.Items ?? []) yield item;
    start = out.LastEvaluatedKey;
  } while (start);
}

/** Every item of a Scan, following LastEvaluatedKey page by page. */
export async function* scanItems(client: DynamoDBClient, input: ScanCommandInput): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const out = await withRetries('Scan', () => client.send(new ScanCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) })));
    for (const item of out.Items ?? []) yield item;
    start = out.LastEvaluatedKey;
  } while (start);
}

/** Reason codes of a TransactionCanceledException, one per action (`'None'` for actions that were fine). */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (errorName(error) !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

/** Cancellation codes that a later identical transaction may not hit (contention, throttling). */
export const TRANSIENT_CANCELLATIONS: ReadonlySet<string> = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
