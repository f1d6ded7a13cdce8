// The HTTP API's error answers: each typed error of the lake as a status and `{ error: CODE, message }`.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { ArchivedEventError, BatchRejectedError, ClosedError, DataDirNotWritableError, EventConflictError, EventlakeError, InvalidArgumentError, SchemaValidationError, StorageError, StorageFullError, TransientError } from '../domain/errors.ts';
import { DispatchBlockedError } from '../domain/projection-errors.ts';
import { ArchivedCopyUncomparableError } from '../domain/archived-copy-error.ts';
import { LISTED_FAILURES } from '../domain/batch-failures.ts';

/** Seconds a client is told to wait (`Retry-After`) before retrying a request refused on a full disk. */
export const STORAGE_FULL_RETRY_AFTER_S = 30;

/** Seconds a client is told to wait before retrying a read refused while dispatch waits on an archived object. */
export const ARCHIVED_RETRY_AFTER_S = 60;

/**
 * Answer `error` in the API's error shape; anything not an `EventlakeError` is rethrown (Fastify's handler answers
 * INTERNAL_ERROR and logs it).
 */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof BatchRejectedError) {
    // The first failures only, as the message lists them: a body of a million bad events was answered 500 MB.
    const listed = error.failures.slice(0, LISTED_FAILURES);
    return reply.code(400).send({
      error: error.code,
      message: error.message,
      failures: listed.map((f) => ({ index: f.index, code: f.error.code, message: f.error.message, issues: f.error instanceof SchemaValidationError ? f.error.issues : undefined })),
      failuresOmitted: error.failures.length - listed.length,
    });
  }
  if (error instanceof EventConflictError) return reply.code(409).send({ error: error.code, message: error.message, id: error.eventId });
  if (error instanceof InvalidArgumentError) return reply.code(400).send({ error: error.code, message: error.message });
  // A busy catalogue or a throttled dependency says nothing about the request: a 4xx would tell the client to drop it.
  // Every caller of a failed group hears this; a retry is safe (what was stored answers `duplicate`).
  // A shutdown (a request cut short or queued when `serve` stopped) is not the request's fault either: another instance,
  // or this one restarted, takes the retry.
  if (error instanceof TransientError || error instanceof ClosedError) return reply.code(503).header('retry-after', '1').send({ error: error.code, message: error.message });
  // A full disk is not the request's fault either, and freeing space takes an operator minutes, not a second: a client
  // retrying at once would only add load. The message names the disk and the fix for whoever reads the client's logs.
  if (error instanceof StorageFullError) return reply.code(503).header('retry-after', String(STORAGE_FULL_RETRY_AFTER_S)).send({ error: error.code, message: error.message });
  // Projections cannot be brought up to date until an operator fixes the schemas or upcasters: not the client's fault.
  if (error instanceof DispatchBlockedError) return reply.code(503).send({ error: error.code, message: error.message });
  // Dispatch waits on an archived object (no route reads one directly): the projections catch up once an operator's
  // restore completes, minutes to hours away, so the client is told to come back much later, not in a second.
  // A resend whose archived stored copy has no digest to compare with is neither refused for its content nor stored:
  // once the restore completes the same request is answered (duplicate, or 409), so it is told to come back as well.
  if (error instanceof ArchivedEventError || error instanceof ArchivedCopyUncomparableError) {
    return reply.code(503).header('retry-after', String(ARCHIVED_RETRY_AFTER_S)).send({ error: error.code, message: error.message });
  }
  // Storage the server may not write (permissions, a read-only file system) is not the request's fault, and unlike a
  // full disk it does not come right by waiting: a 500, and a line in the server log for whoever runs it. So is a file
  // a writable server's write found it may not write (a read-only server refuses POST before this: http-read-only.ts).
  if (error instanceof StorageError || error instanceof DataDirNotWritableError) {
    logFailure(reply.request, error);
    return reply.code(500).send({ error: error.code, message: error.message });
  }
  if (error instanceof EventlakeError) return reply.code(422).send({ error: error.code, message: error.message });
  throw error;
}

/** What a 500 that is not a typed error answers: its errno or SQLite code is no stable code a client may branch on. */
export const INTERNAL_ERROR = { error: 'INTERNAL', message: 'internal error: see the server log' } as const;

/**
 * Write one stderr line naming the failed request (method, path, request id) and `error` (class, code, first line of
 * its message, where it was thrown). Never the body or query: the events' payloads stay out of the log.
 */
export function logFailure(request: FastifyRequest, error: unknown): void {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
  const code = typeof e.code === 'string' ? ` ${e.code}` : '';
  const message = String(e.message ?? error).split('\n')[0]!.slice(0, 500);
  const at = typeof e.stack === 'string' ? e.stack.split('\n').find((l) => l.trimStart().startsWith('at '))?.trim() : undefined;
  process.stderr.write(`eventlake serve: ${request.method} ${request.url.split('?')[0]} (${request.id}) failed: ` +
    `${String(e.name ?? 'Error')}${code}: ${message}${at ? ` (${at})` : ''}\n`);
}
