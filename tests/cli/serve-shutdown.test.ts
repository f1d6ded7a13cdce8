// `eventlake serve` stopped by SIGTERM/SIGINT (stopServing) answers the requests already in flight before the eventlake
// closes: a POST whose append is running gets its 201 and its events are stored, instead of a 422/500 from a closed
// database or a connection reset.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { stopServing } from '../../cli/commands/serve.ts';
import { buildServer } from '../../cli/server.ts';
import { tempDir } from '../support/tmp.ts';

const deposit = (n: number) => ({
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000 + n, TargetAccount: 'DE44-5001-0517', Amount: '1.00',
  LocationType: 'ATM', Verified: false, Currency: { '1-euro-coins': 1 },
});

/** A local eventlake whose log's append waits until `release()`; `started` resolves when an append began. */
async function lakeWithHeldAppend(dataDir: string) {
  let release!: () => void;
  let began!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const started = new Promise<void>((resolve) => { began = resolve; });
  const local = await openLocalEventlake({
    dataDir,
    decorate: (name, port) => (name !== 'log' ? port : new Proxy(port, {
      get: (target, key) => {
        const value = Reflect.get(target, key, target) as unknown;
        if (key !== 'append' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => { began(); await held; return (value as (...a: unknown[]) => unknown).apply(target, args); };
      },
    })),
  });
  return { local, started, release };
}

const test = suite('eventlake serve: shutting down with requests in flight');

test('a POST /events whose append runs when the server is stopped is answered 201, and its events are stored', async () => {
  const dataDir = tempDir('eventlake-serve-stop-');
  const { local, started, release } = await lakeWithHeldAppend(dataDir);
  const app = buildServer(local);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const response = fetch(`${address}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([deposit(1), deposit(2)]) });
  await started;
  const stopping = stopServing(app, local);
  release();
  const answer = await response;
  assert.is(answer.status, 201);
  assert.equal(((await answer.json()) as { results: { status: string }[] }).results.map((r) => r.status), ['stored', 'stored']);
  await stopping;
  const again = await openLocalEventlake({ dataDir });
  try {
    assert.is(await again.index.count(), 2);
  } finally {
    await again.close();
  }
});

test('stopServing resolves once the request in flight was answered, closing its keep-alive connection instead of waiting for the client to drop it', async () => {
  const { local, started, release } = await lakeWithHeldAppend(tempDir('eventlake-serve-stop-'));
  const app = buildServer(local);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const order: string[] = [];
  const response = fetch(`${address}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(deposit(1)) })
    .then(async (r) => { order.push(`answered ${r.status}, connection: ${r.headers.get('connection')}`); await r.arrayBuffer(); });
  await started;
  const stopping = stopServing(app, local).then(() => order.push('stopped'));
  setTimeout(release, 50);
  const startedAt = Date.now();
  await Promise.all([response, stopping]);
  assert.equal(order, ['answered 201, connection: close', 'stopped']);
  // Fastify keeps an idle keep-alive connection 72 s: a stop bounded well below that did not wait for it.
  assert.ok(Date.now() - startedAt < 10_000, `stopped after ${Date.now() - startedAt} ms`);
});

test.run();
