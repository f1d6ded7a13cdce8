// GET /health while an upcaster blocks dispatch: status "blocked" with the refused event and cause, still 200 (ingest
// keeps working, so a readiness probe must not take the server out); and asking dispatches nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
import { variant } from '../support/samples.ts';
import { BLOCKED_ID, blockedLake, openBlocked } from './status-blocked-fixture.ts';

const test = suite('GET /health while dispatch is blocked');

async function serving(work: (app: ReturnType<typeof buildServer>) => Promise<void>): Promise<void> {
  const { dataDir, schemas, module } = await blockedLake();
  const local = await openBlocked(dataDir, schemas, module);
  const app = buildServer(local);
  try {
    await work(app);
  } finally {
    await app.close();
    await local.close();
  }
}

test('answers status "blocked" (200: ingest still works) with the lag fields kept and the refused event, its cause and the fix', () => serving(async (app) => {
  const r = await app.inject({ method: 'GET', url: '/health' });
  assert.is(r.statusCode, 200);
  const body = r.json<Record<string, unknown>>();
  assert.is(body['status'], 'blocked');
  assert.is(body['events'], 4);
  assert.is(body['undispatchedPositions'], 1);
  assert.type(body['dataDir'], 'string');
  const blocked = body['dispatchBlocked'] as Record<string, unknown>;
  assert.equal([blocked['code'], blocked['position'], blocked['eventId'], blocked['eventType'], blocked['schemaVersion']], ['DISPATCH_BLOCKED', 4, BLOCKED_ID, 'account_fee_charged', 1]);
  assert.match(String(blocked['message']), 'until the schemas or upcasters are fixed');
  assert.equal((blocked['cause'] as { code: string }).code, 'UPCAST_FAILED');
}));

test('stays blocked when asked again: asking dispatches nothing', () => serving(async (app) => {
  for (let i = 0; i < 2; i++) {
    const r = await app.inject({ method: 'GET', url: '/health' });
    assert.equal([r.statusCode, r.json<{ status: string; undispatchedPositions: number }>().status, r.json<{ undispatchedPositions: number }>().undispatchedPositions], [200, 'blocked', 1]);
  }
}));

test('POST /events still stores while dispatch is blocked, which is why health stays 200', () => serving(async (app) => {
  const deposit = variant('cash_deposit', { RequestId: '00000000-0000-4000-8000-0000000000d5' });
  const r = await app.inject({ method: 'POST', url: '/events', payload: deposit });
  assert.is(r.statusCode, 201, r.body);
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal([health.statusCode, health.json<{ status: string; events: number }>().status, health.json<{ events: number }>().events], [200, 'blocked', 5]);
}));

test.run();
