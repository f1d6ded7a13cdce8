// Recognising AWS SDK errors by code and HTTP status, and turning them into eventlake's domain errors.

import { ArchivedEventError, EventNotFoundError, TransientError } from '../../domain/errors.ts';
import type { StorageClass } from '../../domain/ports/storage.ts';

/** The fields of an SDK v3 service exception we branch on (no SDK import needed to read them). */
interface SdkErrorShape {
  readonly name?: string;
  readonly Code?: string;
  readonly StorageClass?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const shape = (error: unknown): SdkErrorShape => (typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {});

/** The service's error code (`NoSuchKey`, `SlowDown`, `ThrottlingException`, …). */
export function errorCode(error: unknown): string | undefined {
  const e = shape(error);
  return e.Code ?? e.name;
}

/** HTTP status of the failed response, when the error came from one. */
export function httpStatus(error: unknown): number | undefined {
  return shape(error).$metadata?.httpStatusCode;
}

const THROTTLING = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException',
  'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'LimitExceededException',
  'InternalError', 'InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException',
  'TimeoutError', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
]);

/**
 * Throttling (S3 503 SlowDown, 429s), a server-side hiccup or a lost connection (`isConnectionFailure`): worth
 * retrying with backoff, and a `TransientError` once the retries are spent.
 */
export function isThrottled(error: unknown): boolean {
  const status = httpStatus(error);
  return THROTTLING.has(errorCode(error) ?? '') || status === 429 || (status !== undefined && status >= 500) || shape(error).$retryable !== undefined ||
    isConnectionFailure(error);
}

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * The request never got a service's answer (refused, timed out, the socket hung up: ECONNRESET): Node's socket errors
 * carry their errno name in `code`, which the service-code checks above do not read.
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return (typeof code === 'string' && CONNECTION_FAILURES.has(code)) || errorCode(error) === 'TimeoutError';
}

/** The object (or key) does not exist: GetObject's `NoSuchKey`, HeadObject's bare 404 `NotFound`. */
export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'NoSuchKey' || code === 'NotFound' || (httpStatus(error) === 404 && code !== 'NoSuchBucket');
}

/** `If-None-Match: *` lost: an object with that key already exists (412). */
export function isPreconditionFailed(error: unknown): boolean {
  return errorCode(error) === 'PreconditionFailed' || httpStatus(error) === 412;
}

/**
 * Another conditional write on the same key was in flight (409 `ConditionalRequestConflict`, or the older
 * `OperationAborted`). S3 asks the caller to retry; the retry then either wins or gets a 412.
 */
export function isConditionalConflict(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ConditionalRequestConflict' || code === 'OperationAborted' || (httpStatus(error) === 409 && code !== 'RestoreAlreadyInProgress');
}

/** GetObject on an archived object that has no restored copy. */
export function isArchived(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'InvalidObjectState' || code === 'ObjectNotInActiveTierError';
}

/**
 * What to do when the SDK found no credentials (`CredentialsProviderError`) or no region (its plain `Region is missing`
 * Error), or undefined for any other error. Why here: the SDK's own message names neither the variables nor the
 * local alternative, and every AWS command hits this first on a machine that was never configured.
 */
export function credentialsFix(error: unknown): string | undefined {
  if (errorCode(error) === 'CredentialsProviderError') {
    return 'no AWS credentials were found: set AWS_PROFILE to a profile made with `aws configure` (or AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY) and AWS_REGION to the stack\'s region, or run the command locally without --target aws';
  }
  if (error instanceof Error && error.message === 'Region is missing') {
    return 'no AWS region was set: set AWS_REGION (or "region" in the config file, or a profile\'s region with `aws configure`), ' +
      'or run the command locally without --target aws';
  }
  return undefined;
}

/** Config fixes of SDK errors, set by the runtime's clients (config-errors.ts): the SDK error is kept as it is, since callers branch on its name. */
const configFixes = new WeakMap<object, string>();

/** Give `error` the fix a config mistake explains (config-errors.ts), which `configFix` reads. */
export function setConfigFix(error: object, fix: string): void {
  configFixes.set(error, fix);
}

/** The config fix `error` was given (the table or bucket its request named, the setting, the region), if any. */
export function configFix(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? configFixes.get(error) : undefined;
}

/** eventlake's name for an S3 storage class: the two archive classes, and everything instantly readable as STANDARD. */
export function toStorageClass(s3Class: string | undefined): StorageClass {
  return s3Class === 'GLACIER' || s3Class === 'DEEP_ARCHIVE' ? s3Class : 'STANDARD';
}

/**
 * The domain error for a failed read of `ref` (an object key, or `key@offset`), or the error itself when no
 * domain error fits (access denied, say), so nothing is hidden.
 */
export function readError(error: unknown, key: string, ref: string = key): unknown {
  if (isArchived(error)) return new ArchivedEventError(key, shape(error).StorageClass ?? 'GLACIER', { cause: error });
  if (isNotFound(error) || errorCode(error) === 'InvalidRange' || httpStatus(error) === 416) return new EventNotFoundError(ref, { cause: error });
  if (isThrottled(error)) return new TransientError(`reading ${ref}: ${(error as Error).message}`, { cause: error });
  return error;
}
