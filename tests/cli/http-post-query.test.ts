// POST /events refuses query parameters, as every other route but GET /health does: it takes none, and ignoring one
// (`?dryRun=1`, `?async=1`) stored events its sender believed it had asked something else of.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SAMPLES } from '../support/samples.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: POST /events query parameters');

test('POST /events with a query parameter is a 400 naming it, and stores nothing', () =>
  withServer(async (app) => {
    const payload = JSON.stringify(SAMPLES.cash_deposit);
    const r = await app.inject({ method: 'POST', url: '/events?dryRun=1', payload, headers: { 'content-type': 'application/json' } });
    assert.is(r.statusCode, 400, r.body);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'dryRun: is not a parameter of POST /events: it takes none (the events go in the body)' });
    const listed = await app.inject({ method: 'GET', url: '/events' });
    assert.equal(listed.json(), { events: [] });
  }));

test.run();
