// The HTTP API's balance reads when the projection store fails in a way a retry may fix: 503 with Retry-After, like
// POST /events, instead of an opaque 500 'internal error'.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { TransientError } from '../../domain/errors.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('HTTP API: balance reads under transient failures');

/** A server whose store's counter reads throw a TransientError while `busy.now` is true. */
async function withBusyStore(fn: (app: ReturnType<typeof buildServer>, busy: { now: boolean }) => Promise<void>): Promise<void> {
  const busy = { now: false };
  const local = await openLocalEventlake({
    dataDir: tempDir(),
    decorate: (name, port) => (name !== 'store' ? port : new Proxy(port, {
      get: (target, key, receiver) => ((key === 'counter' || key === 'counters') && busy.now
        ? () => Promise.reject(new TransientError('the projection store is busy; try again'))
        : Reflect.get(target, key, receiver)),
    })),
  });
  const app = buildServer(local);
  try {
    await fn(app, busy);
  } finally {
    await app.close();
    await local.close();
  }
}

for (const url of ['/balances', '/balances/DE44-5001-0517']) {
  test(`GET ${url} is a 503 with Retry-After while the store is busy, and answers once it is not`, async () => {
    await withBusyStore(async (app, busy) => {
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
