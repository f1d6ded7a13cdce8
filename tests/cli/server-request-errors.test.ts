// Requests the HTTP API cannot serve at all (a body type it does not parse, a JSON body that does not parse, a route
// it does not have) answer in its own error shape, `{ error: CODE, message }`, with a message that says what would work.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('HTTP API: unsupported or unparsable bodies and unknown routes');

async function withServer(fn: (app: ReturnType<typeof buildServer>) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const app = buildServer(local);
  try {
    await fn(app);
  } finally {
    await app.close();
    await local.close();
  }
}

test('POST /events with a form body (curl -d without a content-type) is a 415 naming the types it takes', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: JSON.stringify(SAMPLES['cash_deposit']) });
    assert.is(r.statusCode, 415);
    assert.equal(r.json(), {
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'content-type: application/x-www-form-urlencoded is not accepted: send application/json (one event or an array), or application/x-ndjson or text/plain (one event per line)',
    });
    assert.equal((await app.inject({ method: 'GET', url: '/events' })).json(), { events: [] });
  }));

for (const [what, payload] of [['not valid JSON', '{"EventType":'], ['empty', '']] as const) {
  test(`an application/json body that is ${what} is a 400 INVALID_ARGUMENT naming the body and the shapes it takes`, () =>
    withServer(async (app) => {
      const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload });
      assert.is(r.statusCode, 400);
      assert.equal(r.json(), {
        error: 'INVALID_ARGUMENT',
        message: `body: ${what}: send one event object or an array of them as application/json, or one event per line as application/x-ndjson`,
      });
    }));
}

test('an unknown route is a 404 in the API\'s error shape, listing the routes there are', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/balance/DE44-5001-0517?x=1' });
    assert.is(r.statusCode, 404);
    assert.equal(r.json(), {
      error: 'NOT_FOUND',
      message: 'no route GET /balance/DE44-5001-0517: the API is POST /events, GET /events?since=&until=&type=&account=&limit=&after=, GET /balances, GET /balances/ACCOUNT, GET /statement/ACCOUNT?since=&until=, GET /health',
    });
  }));

test.run();
