// An emit (CLI or POST /events) whose input holds one identity twice with different content: refused with
// EVENT_CONFLICT saying the conflict is within the input, at which positions, and that nothing was stored; it said
// the event "already exists at events/…", a key where nothing is.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('emit: one identity twice in one input (CLI and HTTP)');

const payment = SAMPLES['incoming_payment']!;
const changed = variant('incoming_payment', { Amount: '1.00' });
const id = eventId(payment as DomainEvent);

test('eventlake emit exits 1 naming the identity, both positions and that nothing was stored; a later emit stores the event', async () => {
  const dir = tempDir();
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, [payment, SAMPLES['cash_deposit'], changed].map((e) => JSON.stringify(e)).join('\n'));
  const lake = ['--data-dir', join(dir, 'lake')];
  const r = await runCli([...lake, 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `eventlake: EVENT_CONFLICT: event ${id} appears twice in this input with different content (#0 and #2), so nothing was stored`);
  assert.not.match(r.stderr, 'already exists');
  writeFileSync(file, JSON.stringify(payment));
  const again = await runCli([...lake, 'emit', '--json', file]);
  assert.is(again.code, 0, again.stderr);
  assert.is(JSON.parse(again.stdout).status, 'stored');
});

test('POST /events with both versions is a 409 EVENT_CONFLICT saying so, and stores nothing', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', payload: [payment, changed] });
    assert.is(r.statusCode, 409);
    assert.is(r.json().error, 'EVENT_CONFLICT');
    assert.match(r.json().message, `event ${id} appears twice in this input with different content (#0 and #1), so nothing was stored`);
    const stored = await app.inject({ method: 'POST', url: '/events', payload: payment });
    assert.is(stored.json().results[0].status, 'stored');
  }));

test('the positions count the input\'s events already stored, which the log is not asked to append again', () =>
  withServer(async (app) => {
    const deposit = SAMPLES['cash_deposit']!;
    assert.is((await app.inject({ method: 'POST', url: '/events', payload: deposit })).statusCode, 201);
    const r = await app.inject({ method: 'POST', url: '/events', payload: [deposit, payment, changed] });
    assert.is(r.statusCode, 409);
    assert.match(r.json().message, `event ${id} appears twice in this input with different content (#1 and #2)`);
  }));

test.run();
