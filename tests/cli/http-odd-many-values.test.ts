// POST /events of more values than any valid body under the size limit can hold is refused at once, naming the body:
// a 2 MB body of a million tiny values was validated value by value, holding the event loop (and /health) for a minute.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_EVENTS_PER_REQUEST } from '../../cli/server.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('POST /events: more values than one request may hold');

test('one value past the limit is a 400 naming the body and the limit, with no failure list', () => withServer(async (app) => {
  const payload = `[${Array(MAX_EVENTS_PER_REQUEST + 1).fill('1').join(',')}]`;
  const r = await app.inject({ method: 'POST', url: '/events', payload, headers: { 'content-type': 'application/json' } });
  assert.is(r.statusCode, 400);
  const body = r.json<{ error: string; message: string; failures?: unknown }>();
  assert.is(body.error, 'INVALID_ARGUMENT');
  assert.match(body.message, `body: ${MAX_EVENTS_PER_REQUEST + 1} values, more than the ${MAX_EVENTS_PER_REQUEST} events`);
  assert.is(body.failures, undefined);
}));

test('a body within the limit is validated as usual (a BATCH_REJECTED listing failures)', () => withServer(async (app) => {
  const payload = `[${Array(1_000).fill('1').join(',')}]`;
  const r = await app.inject({ method: 'POST', url: '/events', payload, headers: { 'content-type': 'application/json' } });
  assert.is(r.json<{ error: string }>().error, 'BATCH_REJECTED');
}));

test.run();
