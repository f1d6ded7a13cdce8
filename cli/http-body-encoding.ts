// Request bodies the HTTP API cannot read as sent: compressed (Content-Encoding, or gzip bytes without it) or in a
// charset other than UTF-8. Each is a 415 that says to send it uncompressed UTF-8, never a 400 about its bytes.

import { EventlakeError } from '../domain/eventlake-error.ts';

/** A body the API does not decode; `statusCode` 415 for Fastify's error handler, which answers `{ error, message }`. */
export class UnsupportedBodyEncodingError extends EventlakeError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly statusCode = 415;
}

const UTF8_NAMES = new Set(['utf-8', 'utf8']);

/**
 * Why the body of a request with these headers cannot be read, or undefined: a Content-Encoding other than identity
 * (nothing is decompressed: a gzip body was refused as "not UTF-8"), or a `charset` other than UTF-8 (it was ignored,
 * and latin1 text was read as UTF-8).
 */
export function bodyEncodingProblem(headers: Record<string, string | string[] | undefined>): UnsupportedBodyEncodingError | undefined {
  const encoding = String(headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return new UnsupportedBodyEncodingError(`content-encoding: ${encoding} is not supported: send the body uncompressed (no Content-Encoding header)`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(String(headers['content-type'] ?? ''))?.[1];
  if (charset !== undefined && !UTF8_NAMES.has(charset.toLowerCase())) {
    return new UnsupportedBodyEncodingError(`content-type: charset=${charset} is not supported: send the body as UTF-8 and say charset=utf-8, or leave charset out`);
  }
  return undefined;
}

/**
 * `body` unless it is gzip-compressed (its first two bytes are gzip's magic 1f 8b, which no JSON or NDJSON text
 * starts with), sent without a Content-Encoding header: `UnsupportedBodyEncodingError` then.
 */
export function uncompressed(body: Buffer): Buffer {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) {
    throw new UnsupportedBodyEncodingError('body: is gzip-compressed: send it uncompressed (nothing is decompressed, with or without a Content-Encoding header)');
  }
  return body;
}
