// GET /health while dispatch waits on an archived object: 200 `blocked` (ingest still works) with a reason naming the
// object and the restore, and `dispatchWaiting`; it used to answer the catch-up probe's TRANSIENT error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { waitingLake } from './status-archived-fixture.ts';

const test = suite('GET /health while dispatch waits on an archived object');

test('answers 200 status "blocked" with the lag, a reason naming the object and its restore, and dispatchWaiting', async () => {
  const { dataDir, firstKey, events } = await waitingLake();
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  const app = buildServer(local);
  try {
    for (let i = 0; i < 2; i++) {
      const r = await app.inject({ method: 'GET', url: '/health' });
      assert.is(r.statusCode, 200, r.body);
      const body = r.json<Record<string, unknown>>();
      assert.equal([body['status'], body['events'], body['undispatchedEvents']], ['blocked', events, events]);
      assert.match(String(body['reason']), `dispatch waiting: EVENT_ARCHIVED: dispatch waits at position 1 `);
      assert.match(String(body['reason']), `restore it (eventlake restore --keys ${firstKey})`);
      const waiting = body['dispatchWaiting'] as Record<string, unknown>;
      assert.equal([waiting['code'], waiting['key'], waiting['storageClass'], waiting['restore']], ['EVENT_ARCHIVED', firstKey, 'GLACIER', 'NONE']);
    }
    assert.is(await local.dispatchedPosition(), 0);
  } finally {
    await app.close();
    await local.close();
  }
});

test.run();
