// GET /health while an upcaster blocks dispatch: 503 "blocked" with the refused event and cause, so a load balancer
// stops sending reads that would all fail; and asking dispatches nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
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

test('answers 503 status "blocked" with the lag fields kept and the refused event, its cause and the fix', () => serving(async (app) => {
  const r = await app.inject({ method: 'GET', url: '/health' });
  assert.is(r.statusCode, 503);
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
    assert.equal([r.statusCode, r.json<{ undispatchedPositions: number }>().undispatchedPositions], [503, 1]);
  }
}));

test.run();
