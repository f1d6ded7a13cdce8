// The HTTP ingest API, through Fastify's inject (no socket needed).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../projections/runtime.ts';
import { buildServer } from '../../cli/server.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('HTTP ingest API');
let local: LocalEventlake;
let app: ReturnType<typeof buildServer>;

test.before.each(async () => {
  local = await openLocalEventlake({ dataDir: tempDir() });
  app = buildServer(local, { bodyLimit: 64 * 1024 });
});
test.after.each(async () => {
  await app.close();
  await local.close();
});

const eventFiles = () => readdirSync(local.dataDir, { recursive: true }).map(String).filter((f) => f.endsWith('.event'));

test('POST /events stores a JSON array and answers 201 with a result per event', async () => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: [SAMPLES['cash_deposit'], SAMPLES['cash_withdrawal']] });
  assert.is(r.statusCode, 201);
  assert.equal((r.json() as { results: { status: string }[] }).results.map((x) => x.status), ['stored', 'stored']);
});

test('concurrent POSTs of one event each are each answered with their own result; a conflicting one alone gets 409', async () => {
  const payments = Array.from({ length: 20 }, (_, i) => variant('incoming_payment', { RequestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
  await app.inject({ method: 'POST', url: '/events', payload: payments[0] });
  const conflicting = { ...payments[0], Amount: '1.00' };
  const replies = await Promise.all([...payments.slice(1), conflicting].map((p) => app.inject({ method: 'POST', url: '/events', payload: p })));
  assert.equal(replies.map((r) => r.statusCode), [...Array(19).fill(201), 409]);
  replies.slice(0, 19).forEach((r, i) => {
    assert.equal((r.json() as { results: { id: string; status: string }[] }).results.map((x) => [x.id, x.status]), [[`incoming_payment_${payments[i + 1]!['RequestId']}`, 'stored']]);
  });
  assert.is(await local.index.count(), 20);
});

test('POST /events accepts NDJSON', async () => {
  const body = [SAMPLES['incoming_payment'], SAMPLES['inter_account_transfer']].map((e) => JSON.stringify(e)).join('\n');
  const r = await app.inject({ method: 'POST', url: '/events', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
  assert.is(r.statusCode, 201);
  assert.is((r.json() as { results: unknown[] }).results.length, 2);
});

test('an invalid event is a 400 listing every field error, and nothing is written', async () => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: [SAMPLES['cash_deposit'], variant('cash_deposit', { RequestId: '11111111-2222-4333-8444-555555555555', Amount: 'x', LocationType: 'Bank' })] });
  assert.is(r.statusCode, 400);
  const body = r.json() as { error: string; failures: { index: number; issues: { pointer: string }[] }[] };
  assert.is(body.error, 'BATCH_REJECTED');
  assert.equal(body.failures[0]!.issues.map((i) => i.pointer).sort(), ['/Amount', '/LocationType']);
  assert.equal(eventFiles(), []);
});

test('a conflicting event is a 409', async () => {
  await app.inject({ method: 'POST', url: '/events', payload: SAMPLES['cash_deposit'] });
  const r = await app.inject({ method: 'POST', url: '/events', payload: variant('cash_deposit', { Reference: 'changed' }) });
  assert.is(r.statusCode, 409);
  assert.is((r.json() as { error: string }).error, 'EVENT_CONFLICT');
});

test('a body over the limit is a 413', async () => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }), headers: { 'content-type': 'application/json' } });
  assert.is(r.statusCode, 413);
  assert.match((r.json() as { message: string }).message, String(64 * 1024));
});

test('malformed NDJSON is a 400', async () => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: '{"a":1}\n{oops', headers: { 'content-type': 'application/x-ndjson' } });
  assert.is(r.statusCode, 400);
});

test('GET /balances and /balances/ACCOUNT read what was emitted', async () => {
  await app.inject({ method: 'POST', url: '/events', payload: [SAMPLES['cash_deposit'], SAMPLES['verify_cash_deposit']] });
  assert.equal((await app.inject({ method: 'GET', url: '/balances/DE44-5001-0517' })).json(), { account: 'DE44-5001-0517', balance: '123.40' });
  assert.equal((await app.inject({ method: 'GET', url: '/balances' })).json(), { balances: { 'DE44-5001-0517': '123.40' } });
  assert.is((await app.inject({ method: 'GET', url: '/balances/UNKNOWN-1' })).statusCode, 404);
});

test('GET /events filters by time, type and account', async () => {
  await app.inject({ method: 'POST', url: '/events', payload: Object.values(SAMPLES) });
  const r = await app.inject({ method: 'GET', url: '/events?since=0&type=inter_account_transfer&account=NL91-ABNA-0417' });
  assert.is(r.statusCode, 200);
  assert.equal((r.json() as { events: { type: string }[] }).events.map((e) => e.type), ['inter_account_transfer']);
  assert.is((await app.inject({ method: 'GET', url: '/events?since=yesterday' })).statusCode, 400);
});

test.run();
