// Refusals of requests the HTTP API never routes (Node's parser or Fastify's body reader refuses them), in the API's
// own shape `{ error: CODE, message }`: Fastify answered these `{ error: "Request Header Fields Too Large", statusCode }`.

import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { LoopStalls } from './server-loop-stalls.ts';

/**
 * How long a client has to send one whole request, headers and body, before it is answered 408 and disconnected.
 * Why 60 s: the largest body (5 MiB) arrives within it over a link of 0.7 Mbit/s or more, while a client that stalls
 * (or trickles bytes) cannot hold a connection and up to 5 MiB of buffered body for ever. The handler's own work
 * (an emit, a catch-up) is not counted: Node stops the clock once the request is received.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Node's server options that make a request time out after `timeoutMs`: its headers' own limit no longer than that
 * (Node swaps the two when the headers' is longer), and a check often enough (its default, every 30 s, would let a
 * 60 s limit run to 90 s).
 */
export function timeoutOptions(timeoutMs: number): { headersTimeout: number; connectionsCheckingInterval: number } {
  return { headersTimeout: Math.min(timeoutMs, 60_000), connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.ceil(timeoutMs / 4))) };
}

interface ClientError extends Error {
  readonly code?: string;
}

/** The event loop blocked this long (or a quarter of a shorter timeout) may have kept a body that arrived unread. */
const BLOCKED_MS = 1_000;

/**
 * A 408's words. Why ask the event loop: a serve blocked in synchronous SQLite busy waits reads no socket meanwhile,
 * so a body that arrived whole stays unread until Node's timeout check refuses it; blaming the client's upload then
 * sent operators after a network that was fine. `blockedMs`: how long the loop was blocked within the timeout.
 */
function timeoutMessage(timeoutMs: number, blockedMs: number): string {
  if (blockedMs < Math.min(BLOCKED_MS, timeoutMs / 4)) return `request: was not received whole within ${timeoutMs / 1000} s: nothing of it was stored; send it again, or fewer events per request`;
  return `request: was not read whole within ${timeoutMs / 1000} s, but this server was too busy to read it for ${(blockedMs / 1000).toFixed(1)} s of them ` +
    '(its event loop was blocked, e.g. waiting for a database another process held), so it may have arrived whole: nothing of it was stored; ' +
    'send it again (events already stored answer duplicate by RequestId)';
}

/** The status and body Node's parser refusal `error` is answered with. */
function refusal(error: ClientError, timeoutMs: number, stalls?: Pick<LoopStalls, 'blockedWithin'>): { status: number; body: { error: string; message: string } } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, body: { error: 'REQUEST_TIMEOUT', message: timeoutMessage(timeoutMs, stalls?.blockedWithin(timeoutMs) ?? 0) } };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, body: { error: 'HEADERS_TOO_LARGE', message: `headers: are over ${maxHeaderSize} bytes together: send fewer or shorter headers (the API reads none but Content-Type, Content-Length and Content-Encoding)` } };
  }
  return { status: 400, body: { error: 'BAD_REQUEST', message: `request: is not valid HTTP/1.1 (${error.code ?? error.message}): send a well-formed request (curl, or any HTTP client library)` } };
}

/**
 * Fastify's `clientErrorHandler` for a server whose requests time out after `timeoutMs`: the refusal written on the
 * socket in the API's shape, then the connection closed (as Node and Fastify do: the parser cannot go on after it).
 * `stalls` tells a 408 whose request the blocked server did not read from one the client did not send in time.
 */
export function clientErrorHandler(timeoutMs: number, stalls?: Pick<LoopStalls, 'blockedWithin'>): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has no one to answer; one whose response is under way would get a second one mixed into it.
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable && !answering) {
      const { status, body } = refusal(error, timeoutMs, stalls);
      const text = JSON.stringify(body);
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    }
    socket.destroy(error);
  };
}

/**
 * The API's answer to a refusal of Fastify's own (a `FST_ERR_*` code with a 4xx status) the server has no better
 * words for, or undefined for any other error: `{ error: CODE, message }` with a code of the API's, not Fastify's.
 */
export function frameworkRefusal(error: { statusCode?: number; code?: string; message: string }): { status: number; body: { error: string; message: string } } | undefined {
  if (!error.code?.startsWith('FST_') || !error.statusCode || error.statusCode < 400 || error.statusCode >= 500) return undefined;
  if (error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return { status: 400, body: { error: 'BAD_REQUEST', message: 'content-length: does not match the bytes of the body: let the HTTP client set Content-Length, or send the body chunked without one' } };
  }
  return { status: error.statusCode, body: { error: 'BAD_REQUEST', message: `request: ${error.message}` } };
}
