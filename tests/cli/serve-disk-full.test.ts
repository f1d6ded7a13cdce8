// `eventlake serve` while a full disk stalls dispatch (projections.db held at its size, as tests/support explains):
// POST /events and GET /balances are answered at once (stored; what is applied), GET /health says 'degraded' and why,
// a stop (SIGTERM) returns within the README's 5 s, and once space is freed dispatch resumes without a request.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resumeWhileStalled, stopServingWithin } from '../../cli/commands/serve.ts';
import { buildServer } from '../../cli/server.ts';
import { settlesWithin } from '../support/async.ts';
import { deposits, FULL_DISK_ACCOUNT, lakeWithFullProjectionsDb } from '../support/full-projections-db.ts';

type StalledServer = Awaited<ReturnType<typeof lakeWithFullProjectionsDb>> & { app: ReturnType<typeof buildServer>; posted: Awaited<ReturnType<ReturnType<typeof buildServer>['inject']>> };

/** `fn` with a server over a lake whose projections.db is full, 300 events posted (left undispatched); closed after. */
const onStalledServer = (fn: (server: StalledServer) => Promise<void>) => async () => {
  const lake = await lakeWithFullProjectionsDb();
  const app = buildServer(lake.local);
  try {
    const posted = await app.inject({ method: 'POST', url: '/events', payload: deposits(100, 300) });
    await fn({ ...lake, app, posted });
  } finally {
    await app.close();
    await lake.local.close();
  }
};

const test = suite('eventlake serve while a full disk stalls dispatch');

test('POST /events stores and acknowledges the events', onStalledServer(async ({ posted }) => {
  const statuses = new Set((posted.json() as { results: { status: string }[] }).results.map((r) => r.status));
  assert.equal({ code: posted.statusCode, statuses: [...statuses] }, { code: 201, statuses: ['stored'] });
}));

test('GET /balances answers from what is applied', onStalledServer(async ({ app }) => {
  const answer = app.inject({ method: 'GET', url: `/balances/${FULL_DISK_ACCOUNT}` });
  assert.ok(await settlesWithin(answer, 5_000), 'GET /balances had no answer within 5 s');
  assert.equal((await answer).json(), { account: FULL_DISK_ACCOUNT, balance: '10.00' });
}));

test('GET /health says degraded, with the StorageFullError and the events waiting', onStalledServer(async ({ app }) => {
  const health = (await app.inject({ method: 'GET', url: '/health' })).json() as Record<string, unknown>;
  assert.is(health.status, 'degraded');
  assert.match(String(health.reason), /^dispatch stalled: STORAGE_FULL: .*projections\.db.*Free space on that disk/);
  assert.is((health.dispatchStalled as { code: string }).code, 'STORAGE_FULL');
  assert.is(health.undispatchedEvents, 300);
}));

test('a stop while a POST /events dispatches returns within 5 s', async () => {
  const { local } = await lakeWithFullProjectionsDb();
  const app = buildServer(local);
  const posting = app.inject({ method: 'POST', url: '/events', payload: deposits(100, 300) });
  // Let the request reach its handler: a stop before that would only refuse it.
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(await settlesWithin(stopServingWithin(app, local, 5_000), 5_000), 'serve did not stop within 5 s');
  await posting.catch(() => undefined);
});

test('once space is freed a server nobody calls resumes dispatch, and /health says ok', onStalledServer(async ({ local, app, freeSpace }) => {
  const stop = resumeWhileStalled(local, 100);
  try {
    freeSpace();
    // The tail's first back-off is 1 s; the server then catches up on its own.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const health = (await app.inject({ method: 'GET', url: '/health' })).json() as Record<string, unknown>;
    assert.equal({ status: health.status, undispatchedEvents: health.undispatchedEvents }, { status: 'ok', undispatchedEvents: 0 });
  } finally {
    stop();
  }
}));

test.run();
