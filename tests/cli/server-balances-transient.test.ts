// The HTTP API's balance reads when the projection store fails in a way a retry may fix: 503 with Retry-After, like
// POST /events, instead of an opaque 500 'internal error'.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { variant } from '../support/samples.ts';
import { withBusyPort } from '../support/busy-server.ts';

const test = suite('HTTP API: balance reads under transient failures');

for (const url of ['/balances', '/balances/DE44-5001-0517']) {
  test(`GET ${url} is a 503 with Retry-After while the store is busy, and answers once it is not`, async () => {
    await withBusyPort('store', ['counter', 'counters'], false, async (app, busy) => {
      const deposit = variant('cash_deposit', { TargetAccount: 'DE44-5001-0517' });
      assert.is((await app.inject({ method: 'POST', url: '/events', payload: deposit })).statusCode, 201);
      busy.now = true;
      const r = await app.inject({ method: 'GET', url });
      assert.is(r.statusCode, 503);
      assert.ok(Number(r.headers['retry-after']) >= 1);
      assert.is((r.json() as { error: string }).error, 'TRANSIENT');
      busy.now = false;
      assert.is((await app.inject({ method: 'GET', url })).statusCode, 200);
    });
  });
}

test.run();
