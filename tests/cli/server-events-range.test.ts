// GET /events with an `until` not after `since` is a 400 INVALID_ARGUMENT naming both, as `eventlake events` refuses
// it: it answered 200 with no events, which a client reads as "nothing happened then".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: the range of GET /events');

for (const [since, until] of [['1714000000', '1713000000'], ['2024-03-07', '2024-03-07T00:00:00Z']]) {
  test(`since=${since}&until=${until} is a 400 naming until, since and the half-open range`, () =>
    withServer(async (app) => {
      const r = await app.inject({ method: 'GET', url: `/events?since=${since}&until=${until}` });
      assert.is(r.statusCode, 400);
      assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: `until: ${until} is not after since ${since}: the range is [since, until), so give an until later than since` });
    }));
}

test('without since, the range starts at the log\'s start, so any until after it is a range', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/events?until=1' });
    assert.is(r.statusCode, 200);
  }));

test.run();
