// The HTTP ingest API over an eventlake being closed (a SIGTERM stopping `eventlake serve` while a request's catch-up
// or append waits behind another): the answer is a 503 with Retry-After, as for any shutdown, since the request was
// fine and another instance (or this one restarted) takes it. It was a 422 CLOSED, which a client reads as "do not
// retry", and GET /health's was a 500.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

/** The HTTP API of a lake whose close() was called. */
async function serverOfClosedLake(): Promise<ReturnType<typeof buildServer>> {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const app = buildServer(local);
  await local.close();
  return app;
}

const test = suite('HTTP ingest API: requests reaching a closed eventlake');

for (const [method, url] of [['GET', '/balances'], ['GET', '/balances/DE44-5001-0517'], ['GET', '/events'], ['GET', '/health'], ['POST', '/events']] as const) {
  test(`${method} ${url} reaching a closed eventlake is a 503 with Retry-After and the error code CLOSED`, async () => {
    const app = await serverOfClosedLake();
    try {
      const r = await app.inject({ method, url, ...(method === 'POST' ? { payload: variant('incoming_payment', {}) } : {}) });
      assert.is(r.statusCode, 503);
      assert.ok(Number(r.headers['retry-after']) >= 1, `Retry-After: ${String(r.headers['retry-after'])}`);
      assert.is((r.json() as { error: string }).error, 'CLOSED');
    } finally {
      await app.close();
    }
  });
}

test.run();
