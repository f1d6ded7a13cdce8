// The HTTP ingest API of the embedded default (Fastify on 127.0.0.1), so services in any language can emit.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { asStorageFull, isDiskFailure } from '../adapters/local/storage-full.ts';
import { EventConflictError, InvalidArgumentError } from '../domain/errors.ts';
import { MAX_ACCOUNT_BYTES } from '../domain/event.ts';
import { refuseDuplicateJsonKey } from '../domain/json-duplicate-keys.ts';
import { GroupEmitter } from '../projections/group-emitter.ts';
import { registerBalanceRoutes } from './http-balances.ts';
import { bodyEncodingProblem, uncompressed } from './http-body-encoding.ts';
import { conflictInBody } from './emit-conflict.ts';
import { clientErrorHandler, frameworkRefusal, REQUEST_TIMEOUT_MS, timeoutOptions } from './http-client-errors.ts';
import { INTERNAL_ERROR, logFailure, sendError } from './http-errors.ts';
import { registerEventsRoute } from './http-events.ts';
import { registerHealthRoute } from './http-health.ts';
import { registerStatementRoute } from './http-statement.ts';
import { refuseReadOnlyPost } from './http-read-only.ts';
import { refuseBadPercentEncoding, refuseUnknownParams } from './http-query-params.ts';
import { parseEventsText, utf8Text } from './input.ts';
import type { FollowUp } from './follow-up.ts';
import { followConnections } from './server-connections.ts';
import { watchLoopStalls, type LoopStalls } from './server-loop-stalls.ts';

export interface ServerOptions {
  /** Largest request body accepted (413 beyond). Default 5 MiB. */
  readonly bodyLimit?: number;
  /** The commands answers suggest (`eventlake dlq list`), with the global options `serve` ran with. Default: bare. */
  readonly command?: FollowUp;
  /** Time a client has to send one whole request (408 beyond; see REQUEST_TIMEOUT_MS). Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** How long the event loop was blocked lately, for a 408's words (default: watched by a timer; tests pass their own). */
  readonly loopStalls?: LoopStalls;
}

/** A parsed body for Fastify, or the parser's typed error as a 400 (the error handler sends its code and message). */
function parsed(done: (error: Error | null, body?: unknown) => void, parse: () => unknown): void {
  try {
    done(null, parse());
  } catch (error) {
    done(Object.assign(error as Error, { statusCode: (error as { statusCode?: number }).statusCode ?? 400 }), undefined);
  }
}

const NOT_JSON = Symbol('not JSON');

/**
 * An application/json body: one event object or an array of them; `InvalidArgumentError` on `body` otherwise, or
 * when an object holds a key twice.
 */
function jsonBody(text: string): unknown {
  const empty = text.trim() === '';
  let value: unknown = NOT_JSON;
  if (!empty) {
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      // refused below, as Fastify's parser did: its position would only say where the body stops being JSON
    }
  }
  if (value !== NOT_JSON) {
    refuseDuplicateJsonKey(text, 'body');
    return value;
  }
  throw new InvalidArgumentError('body', `${empty ? 'empty' : 'not valid JSON'}: send one event object or an array of them as application/json, or one event per line as application/x-ndjson`);
}

/** What POST /events parses; anything else is a 415 that says so. */
const ACCEPTED_TYPES = 'send application/json (one event or an array), or application/x-ndjson or text/plain (one event per line)';
const ROUTES = 'POST /events, GET /events?since=&until=&type=&account=&limit=&after=, GET /balances, GET /balances/ACCOUNT, GET /statement/ACCOUNT?since=&until=, GET /health';

/** Build (not start) the server; `app.listen({ host: '127.0.0.1', port })` starts it. */
export function buildServer(local: LocalEventlake, options: ServerOptions = {}): FastifyInstance {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const stalls = options.loopStalls ?? watchLoopStalls();
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 5 * 1024 * 1024, logger: false,
    requestTimeout, http: timeoutOptions(requestTimeout),
    clientErrorHandler: clientErrorHandler(requestTimeout, stalls),
    // Fastify's default (100) refused longer accounts, which a user type may have up to MAX_ACCOUNT_BYTES (each byte
    // at most 3 characters percent-encoded); its router's own refusals take the API's error shape. Under
    // routerOptions: given at the top level, Fastify 5 prints a deprecation warning (FSTDEP022) at every start.
    routerOptions: { maxParamLength: 3 * MAX_ACCOUNT_BYTES },
    frameworkErrors: (error: { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        return reply.code(414).send({ error: 'INVALID_ARGUMENT', message: `account: is longer than an account can be (${MAX_ACCOUNT_BYTES} UTF-8 bytes, percent-encoded at most ${3 * MAX_ACCOUNT_BYTES} characters)` });
      }
      const path = request.url.split('?')[0];
      return reply.code(400).send({ error: 'INVALID_ARGUMENT', message: `path: ${path} is not a valid URL path: percent-encode the account (encodeURIComponent)` });
    },
  });
  // Appends from concurrent requests run one after the other: one writer per data directory.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  // Concurrent POSTs share one append (group commit): a service sending one event per request would otherwise pay a
  // journal fsync, an index commit and a dispatch per event. Each request still gets only its own results or error.
  const emitter = new GroupEmitter(local.lake, { run: serially });

  // A request in flight when close() is called is answered, but Fastify leaves its keep-alive connection open, and
  // close() then waited for the client to drop it (Fastify's keepAliveTimeout, 72 s): the answer closes it instead.
  let closing = false;
  // And a connection whose request never reached its handler (nothing sent yet, a stalled upload) is dropped.
  const connections = followConnections(app.server);
  app.addHook('preHandler', (request, reply, done) => { connections.answering(request.raw, reply.raw); done(); });
  app.addHook('preClose', (done) => { closing = true; connections.dropUnanswered(); done(); });
  app.addHook('onClose', (_app, done) => { stalls.stop(); done(); });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  // Before the body is read: a query string that is not UTF-8, a body that is compressed or in another charset, a POST
  // to a server that cannot write.
  app.addHook('onRequest', async (request, reply) => {
    try {
      refuseBadPercentEncoding(request.url);
    } catch (error) {
      return sendError(reply, error);
    }
    const readOnly = refuseReadOnlyPost(local, request, reply, options.command);
    if (readOnly) return readOnly;
    const encoding = bodyEncodingProblem(request.headers);
    if (encoding) return reply.code(encoding.statusCode).send({ error: encoding.code, message: encoding.message });
  });

  const bodyLimit = options.bodyLimit ?? 5 * 1024 * 1024;
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'BODY_TOO_LARGE', message: `the request body is over ${bodyLimit} bytes: send fewer events per request` });
    }
    // Fastify's own text ("Unsupported Media Type") does not say which types work; curl's -d sends a form type.
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: `content-type: ${String(request.headers['content-type'] ?? '(none)')} is not accepted: ${ACCEPTED_TYPES}` });
    }
    // A disk failure no adapter named (a raw ENOSPC, SQLITE_FULL) is still a full disk, not an internal error.
    if (isDiskFailure(error)) {
      const where = (error as { path?: unknown }).path;
      const kept = request.method === 'POST' ? 'retrying the request is safe: events already stored answer duplicate' : 'a read changes no event';
      return sendError(reply, asStorageFull(error, `${request.method} ${request.url.split('?')[0]}`, typeof where === 'string' ? where : 'the data dir', kept));
    }
    const refused = frameworkRefusal(error);
    if (refused) return reply.code(refused.status).send(refused.body);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.code ?? 'REQUEST_FAILED', message: error.message });
    // Anything else is our bug or a raw errno/SQLite failure (EACCES, SQLITE_READONLY): its code is no stable API code
    // and its message may name server paths, so the client gets INTERNAL and the operator the log line.
    logFailure(request, error);
    return reply.code(500).send(INTERNAL_ERROR);
  });

  // Same body shape as every other error, and the routes there are (Fastify's default names only the one asked for).
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}: the API is ${ROUTES}` }));

  // Bytes, not Fastify's strings: its decoding replaced what is not UTF-8 with U+FFFD, and the event was stored so.
  // Its JSON parser is replaced too, whose refusal of a "__proto__" key said "not valid JSON": JSON.parse keeps such
  // a key an own field, which validation then names (as for NDJSON), and emit's plain copy keeps it one.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => parsed(done, () => jsonBody(utf8Text(uncompressed(body as Buffer)))));
  app.addContentTypeParser(['application/x-ndjson', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => parsed(done, () => parseEventsText(utf8Text(uncompressed(body as Buffer)))));

  app.post('/events', async (request, reply) => {
    try {
      refuseUnknownParams(request.query as Record<string, unknown>, 'POST /events', [], ' (the events go in the body)');
      refuseTooManyEvents(request.body);
      const results = await emitter.emit(request.body);
      return reply.code(201).send({ results });
    } catch (error) {
      // A conflict with a stored copy names the body's positions of it, as `eventlake emit` does (emit-conflict.ts).
      return sendError(reply, error instanceof EventConflictError ? await serially(() => conflictInBody(error, request.body, local)) : error);
    }
  });

  registerEventsRoute(app, local, serially);
  registerBalanceRoutes(app, local, serially, options.command);
  registerStatementRoute(app, local, serially, options.command);

  registerHealthRoute(app, local);
  return app;
}

/**
 * Most events one POST may hold. Why it refuses nothing valid: the smallest valid event is over 100 bytes, so 5 MiB
 * holds fewer than 50,000; why it exists: a body of a million tiny values (`[1,1,…]`, 2 MB) was validated value by
 * value, one error each, holding the event loop (and /health) for a minute.
 */
export const MAX_EVENTS_PER_REQUEST = 100_000;

function refuseTooManyEvents(body: unknown): void {
  if (Array.isArray(body) && body.length > MAX_EVENTS_PER_REQUEST) {
    throw new InvalidArgumentError('body', `${body.length} values, more than the ${MAX_EVENTS_PER_REQUEST} events one request may hold (no valid body under the size limit holds that many): send one event per array element, fewer per request`);
  }
}
