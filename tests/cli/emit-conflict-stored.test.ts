// eventlake emit (and POST /events) whose input holds an event stored already with other content (beside a resent copy of it and a new
// event): refused with EVENT_CONFLICT naming the input position of the changed event (as BATCH_REJECTED does, #N),
// saying that nothing of the input was stored and what to do; it named neither.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('emit: an event stored already with other content (CLI and HTTP)');

const payment = SAMPLES['incoming_payment']!;
const changed = variant('incoming_payment', { Amount: '1.00' });
const fresh = variant('incoming_payment', { RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3f' });
const id = eventId(payment as DomainEvent);

/** A data dir holding `payment`, and an NDJSON file of `events` beside it; the emit's arguments. */
async function storedThenInput(events: readonly unknown[]): Promise<{ lake: string[]; file: string }> {
  const dir = tempDir();
  const lake = ['--data-dir', join(dir, 'lake')];
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, JSON.stringify(payment));
  assert.is((await runCli([...lake, 'emit', file])).code, 0);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  return { lake, file };
}

test('the refusal names the changed event\'s input position, not the unchanged copy resent beside it', async () => {
  const { lake, file } = await storedThenInput([payment, fresh, changed]);
  const r = await runCli([...lake, 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `eventlake: EVENT_CONFLICT: input #2: event ${id} already exists at `);
  assert.not.match(r.stderr, '#0');
});

test('the refusal says nothing of the input was stored and to fix or drop that event and emit again', async () => {
  const { lake, file } = await storedThenInput([payment, fresh, changed]);
  const r = await runCli([...lake, 'emit', file]);
  assert.match(r.stderr, 'Nothing of this input was stored: fix or drop #2 and send the input again (its other events are safe to send again: those already stored are answered duplicate)');
});

test('a changed event alone of its identity in the input is named by its position too', async () => {
  const { lake, file } = await storedThenInput([fresh, changed]);
  const r = await runCli([...lake, 'emit', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `EVENT_CONFLICT: input #1: event ${id} already exists at `);
});

test('the input without the changed event is then answered duplicate for the stored one and stored for the new one', async () => {
  const { lake, file } = await storedThenInput([payment, fresh, changed]);
  assert.is((await runCli([...lake, 'emit', file])).code, 1);
  writeFileSync(file, [payment, fresh].map((e) => JSON.stringify(e)).join('\n'));
  const again = await runCli([...lake, 'emit', '--json', file]);
  assert.is(again.code, 0, again.stderr);
  assert.equal(again.stdout.trim().split('\n').map((line) => JSON.parse(line).status), ['duplicate', 'stored']);
});

test('POST /events answers 409 naming the changed event\'s position in the body and that nothing of the body was stored', () =>
  withServer(async (app) => {
    assert.is((await app.inject({ method: 'POST', url: '/events', payload: payment })).statusCode, 201);
    const r = await app.inject({ method: 'POST', url: '/events', payload: [payment, fresh, changed] });
    assert.is(r.statusCode, 409);
    assert.is(r.json().error, 'EVENT_CONFLICT');
    assert.match(r.json().message, `input #2: event ${id} already exists at `);
    assert.match(r.json().message, 'Nothing of this input was stored: fix or drop #2');
    assert.is((await app.inject({ method: 'POST', url: '/events', payload: fresh })).json().results[0].status, 'stored');
  }));

test.run();
