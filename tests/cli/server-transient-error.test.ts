// The HTTP ingest API when the log fails in a way a retry may fix (a busy catalogue, a throttled dependency): the
// answer must tell the client to retry, since the error is not about its request.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { variant } from '../support/samples.ts';
import { withBusyPort } from '../support/busy-server.ts';

const test = suite('HTTP ingest API: transient failures');
const payment = () => variant('incoming_payment', { RequestId: randomUUID() });

test('a POST whose append fails with a TransientError is a 503 with Retry-After and the error code, not a 4xx', async () => {
  await withBusyPort('log', ['append'], true, async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', payload: payment() });
    assert.is(r.statusCode, 503);
    assert.ok(Number(r.headers['retry-after']) >= 1, `Retry-After: ${String(r.headers['retry-after'])}`);
    assert.is((r.json() as { error: string }).error, 'TRANSIENT');
  });
});

test('every concurrent caller hears 503 while the log is busy, and each one\'s retry afterwards is stored', async () => {
  await withBusyPort('log', ['append'], true, async (app, busy) => {
    const sent = Array.from({ length: 6 }, payment);
    const post = (p: object) => app.inject({ method: 'POST', url: '/events', payload: p });
    assert.equal((await Promise.all(sent.map(post))).map((r) => r.statusCode), Array(6).fill(503));
    busy.now = false;
    const retried = await Promise.all(sent.map(post));
    assert.equal(retried.map((r) => r.statusCode), Array(6).fill(201));
    assert.ok(retried.every((r) => (r.json() as { results: { status: string }[] }).results[0]!.status === 'stored'));
  });
});

test.run();
