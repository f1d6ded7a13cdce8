// Requests Node's HTTP parser or Fastify's body reader refuse before any route (headers over 16 KB, bytes that are not
// HTTP, a Content-Length the body does not match, an upload that stalls) answer in the API's shape
// `{ error: CODE, message }`, not Fastify's `{ error: "Request Header Fields Too Large", statusCode }`.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('HTTP API: refusals before any route');

type App = ReturnType<typeof buildServer>;

async function withServer(fn: (app: App, port: number) => Promise<void>, requestTimeoutMs?: number): Promise<void> {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const app = buildServer(local, requestTimeoutMs === undefined ? {} : { requestTimeoutMs });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    await fn(app, (app.server.address() as AddressInfo).port);
  } finally {
    await app.close();
    await local.close();
  }
}

/** Send `text` on a fresh connection and read what comes back until the server closes it. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString(); });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(text);
  });
}

function parse(answer: string): { status: number; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as unknown };
}

test('headers over 16 KB are a 431 HEADERS_TOO_LARGE in the API\'s shape', () =>
  withServer(async (_app, port) => {
    const r = await fetch(`http://127.0.0.1:${port}/health`, { headers: { 'x-big': 'a'.repeat(20_000) } });
    assert.is(r.status, 431);
    assert.equal(await r.json(), { error: 'HEADERS_TOO_LARGE', message: 'headers: are over 16384 bytes together: send fewer or shorter headers (the API reads none but Content-Type, Content-Length and Content-Encoding)' });
  }));

test('bytes that are not an HTTP request are a 400 BAD_REQUEST in the API\'s shape', () =>
  withServer(async (_app, port) => {
    const { status, body } = parse(await exchange(port, 'HELLO / HTTP/1.1\r\n\r\n'));
    assert.is(status, 400);
    assert.equal(body, { error: 'BAD_REQUEST', message: 'request: is not valid HTTP/1.1 (HPE_INVALID_METHOD): send a well-formed request (curl, or any HTTP client library)' });
  }));

test('a Content-Length longer than the body is a 400 BAD_REQUEST naming content-length, not Fastify\'s code', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json', 'content-length': '5' }, payload: '{"EventType":"cash_deposit"}' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'BAD_REQUEST', message: 'content-length: does not match the bytes of the body: let the HTTP client set Content-Length, or send the body chunked without one' });
  }));

test('an upload that stalls is answered 408 REQUEST_TIMEOUT and closed at the request timeout, and stores nothing', () =>
  withServer(async (app, port) => {
    const started = Date.now();
    const answer = await exchange(port, 'POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 1000\r\n\r\n{"EventType":');
    const { status, body } = parse(answer);
    assert.is(status, 408);
    assert.equal(body, { error: 'REQUEST_TIMEOUT', message: 'request: was not received whole within 0.3 s: nothing of it was stored; send it again, or fewer events per request' });
    assert.ok(Date.now() - started < 5_000, 'answered soon after the timeout');
    assert.equal((await app.inject({ method: 'GET', url: '/events' })).json(), { events: [] });
  }, 300));

test.run();
