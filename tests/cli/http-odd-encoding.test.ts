// POST /events bodies the API cannot read as sent (compressed, or in a charset other than UTF-8) are a 415 in the API's
// shape that says to send uncompressed UTF-8, and store nothing; they were a 400 "is not UTF-8 text", or read as UTF-8.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gzipSync } from 'node:zlib';
import { SAMPLES } from '../support/samples.ts';
import type { buildServer } from '../../cli/server.ts';
import { withServer } from '../support/with-server.ts';

type App = ReturnType<typeof buildServer>;

const test = suite('HTTP API: compressed or non-UTF-8 request bodies');

const EVENT = JSON.stringify(SAMPLES['cash_deposit']);

async function storedEvents(app: App): Promise<unknown> {
  return (await app.inject({ method: 'GET', url: '/events' })).json();
}

test('a Content-Encoding: gzip body is a 415 saying to send it uncompressed, and stores nothing', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(EVENT) });
    assert.is(r.statusCode, 415);
    assert.equal(r.json(), { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'content-encoding: gzip is not supported: send the body uncompressed (no Content-Encoding header)' });
    assert.equal(await storedEvents(app), { events: [] });
  }));

test('any Content-Encoding but identity is a 415, even on a body that is not compressed', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, payload: EVENT });
    assert.is(r.statusCode, 415);
    assert.match(r.json<{ message: string }>().message, /^content-encoding: br is not supported/);
  }));

test('Content-Encoding: identity is read as an uncompressed body', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, payload: EVENT });
    assert.is(r.statusCode, 201);
  }));

for (const type of ['application/json', 'application/x-ndjson']) {
  test(`a gzip body sent as ${type} without Content-Encoding is a 415 saying it is compressed, not a 400 about UTF-8`, () =>
    withServer(async (app) => {
      const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': type }, payload: gzipSync(EVENT) });
      assert.is(r.statusCode, 415);
      assert.equal(r.json(), { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'body: is gzip-compressed: send it uncompressed (nothing is decompressed, with or without a Content-Encoding header)' });
      assert.equal(await storedEvents(app), { events: [] });
    }));
}

test('a charset other than UTF-8 in Content-Type is a 415 naming utf-8, and stores nothing', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json; charset=latin1' }, payload: EVENT });
    assert.is(r.statusCode, 415);
    assert.equal(r.json(), { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'content-type: charset=latin1 is not supported: send the body as UTF-8 and say charset=utf-8, or leave charset out' });
    assert.equal(await storedEvents(app), { events: [] });
  }));

test('charset=UTF-8 (any case, quoted or not) is accepted', () =>
  withServer(async (app) => {
    for (const type of ['application/json; charset=UTF-8', 'application/json;charset="utf-8"', 'application/x-ndjson; charset=utf8']) {
      const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': type }, payload: EVENT });
      assert.ok(r.statusCode === 201, `${type}: ${r.statusCode} ${r.body}`);
    }
  }));

test.run();
