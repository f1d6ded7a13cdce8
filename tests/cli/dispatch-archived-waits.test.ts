// While dispatch waits on an archived object, a read over HTTP answers 503 with a long Retry-After (it answered 422,
// as if the request were at fault), and `eventlake run` keeps polling, saying once why it waits, instead of exiting on
// the first catch-up (it left the events after the object undispatched once the restore completed).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { CatchUpReport } from '../../adapters/local/local-eventlake.ts';
import { ArchivedEventError, InvalidArgumentError } from '../../domain/errors.ts';
import { ARCHIVED_RETRY_AFTER_S } from '../../cli/http-errors.ts';
import { dispatchLoop } from '../../cli/commands/run.ts';
import { buildServer } from '../../cli/server.ts';
import { settlesWithin } from '../support/async.ts';
import { waitingLake } from './status-archived-fixture.ts';

const NOTHING: CatchUpReport = { indexed: 0, dispatched: 0, deadLettered: 0 };

/** A lake whose first catch-ups fail with `errors` in turn, then find nothing to do. */
function lakeFailingWith(...errors: Error[]) {
  return {
    catchUps: 0,
    async catchUp(): Promise<CatchUpReport> {
      const error = errors[this.catchUps++];
      if (error) throw error;
      return NOTHING;
    },
    async close() {},
  };
}

const test = suite('dispatch waiting on an archived object: HTTP reads and eventlake run');

test('GET /balances answers 503 EVENT_ARCHIVED with Retry-After, not a 4xx', async () => {
  const { dataDir, firstKey } = await waitingLake();
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  const app = buildServer(local);
  try {
    const r = await app.inject({ method: 'GET', url: '/balances' });
    assert.is(r.statusCode, 503, r.body);
    assert.is(r.headers['retry-after'], String(ARCHIVED_RETRY_AFTER_S));
    assert.is(r.json<{ error: string }>().error, 'EVENT_ARCHIVED');
    assert.match(r.json<{ message: string }>().message, firstKey);
  } finally {
    await app.close();
    await local.close();
  }
});

test('run keeps catching up after an archived object, saying why once for the same wait', async () => {
  const archived = new ArchivedEventError('year=2024/month=01/day=01/hour=00/a.ndjson', 'GLACIER');
  const lake = lakeFailingWith(archived, archived, archived);
  const said: string[] = [];
  const loop = dispatchLoop(lake, 1, () => undefined, (e) => said.push(e.message));
  for (let i = 0; i < 200 && lake.catchUps < 4; i++) await sleep(10);
  loop.stop();
  assert.ok(await settlesWithin(loop.done, 2_000), 'the loop did not end at stop()');
  assert.ok(lake.catchUps >= 4, `catch-ups after the wait: ${lake.catchUps}`);
  assert.equal(said, [archived.message]);
});

test('run still ends on an error no wait clears', async () => {
  const lake = lakeFailingWith(new InvalidArgumentError('--schemas', 'no such folder'));
  const loop = dispatchLoop(lake, 1, () => undefined, () => undefined);
  try {
    await loop.done;
    assert.unreachable('the loop kept going');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
  }
  assert.is(lake.catchUps, 1);
});

test.run();
