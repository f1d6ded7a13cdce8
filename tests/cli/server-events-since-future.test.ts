// GET /events with a since past the default end (now + 1 day) and no until answers 200 with no events: the client
// asked about the future, it sent no bound that could be a typo (a client tailing by timestamp asks exactly this after
// an event dated at the edge of the allowed clock skew). An until not after since stays a 400.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: GET /events since the future');

test('since two days ahead without until is a 200 with no events', () =>
  withServer(async (app) => {
    const since = Math.floor(Date.now() / 1000) + 2 * 86_400;
    const r = await app.inject({ method: 'GET', url: `/events?since=${since}` });
    assert.is(r.statusCode, 200);
    assert.equal(r.json().events ?? r.json(), []);
  }));

test('since two days ahead with an until before it is still a 400 naming until', () =>
  withServer(async (app) => {
    const since = Math.floor(Date.now() / 1000) + 2 * 86_400;
    const r = await app.inject({ method: 'GET', url: `/events?since=${since}&until=${since - 1}` });
    assert.is(r.statusCode, 400);
    assert.match(r.json().message, 'until:');
  }));

test.run();
