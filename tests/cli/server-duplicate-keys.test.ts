// POST /events refuses a JSON body whose object holds a key twice: JSON.parse kept the last, and the log stored an
// event its sender may have meant otherwise, for good.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SAMPLES } from '../support/samples.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: duplicate JSON keys');

const withDuplicate = JSON.stringify(SAMPLES['cash_deposit']).replace('{', '{"Amount":"1000.00",');
/** The column of the second "Amount", the sample's own. */
const column = withDuplicate.indexOf('"Amount"', 2) + 1;

for (const [type, message] of [
  ['application/json', `body: duplicate key "Amount" at $.Amount (line 1, column ${column}): a JSON object may hold a key once (JSON.parse would silently keep the last); remove one of the two`],
  ['application/x-ndjson', `line 2: duplicate key "Amount" at $.Amount (column ${column}): a JSON object may hold a key once (JSON.parse would silently keep the last); remove one of the two`],
] as const) {
  test(`a ${type} body holding a key twice is a 400 INVALID_ARGUMENT naming the key, its path and the fix; nothing is stored`, () =>
    withServer(async (app) => {
      const payload = type === 'application/json' ? withDuplicate : `${JSON.stringify(SAMPLES['cash_deposit'])}\n${withDuplicate}`;
      const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': type }, payload });
      assert.is(r.statusCode, 400);
      assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message });
      assert.equal((await app.inject({ method: 'GET', url: '/events' })).json(), { events: [] });
    }));
}

test.run();
