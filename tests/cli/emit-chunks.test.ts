// eventlake emit of an input longer than --chunk-size: appended a chunk at a time, its results printed as each chunk
// is stored under one header, the whole input validated before anything is stored, and a refused chunk told in the
// input's terms (its positions, and which events the chunks before it stored).

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('emit: a long input, appended a chunk at a time');

const payment = SAMPLES['incoming_payment']!;
const changed = variant('incoming_payment', { Amount: '1.00' });
/** Incoming payments of 1.00 to 5.00, each its own identity. */
const payments = [1, 2, 3, 4, 5].map((n) => variant('incoming_payment', { RequestId: `0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d4${n}`, Amount: `${n}.00` }));

/** A fresh data dir's arguments and an NDJSON file holding `events`. */
function input(events: readonly unknown[]): { lake: string[]; file: string; dataDir: string } {
  const dir = tempDir();
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  return { lake: ['--data-dir', join(dir, 'lake')], file, dataDir: join(dir, 'lake') };
}

const stored = async (lake: string[]): Promise<string[]> =>
  (await runCli([...lake, 'events', '--since', '0', '--json'])).stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line).id as string).sort();

test('an input longer than the chunk size is stored whole: one header, then every result in input order', async () => {
  const { lake, file } = input(payments);
  const r = await runCli([...lake, 'emit', '--chunk-size', '2', file]);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^status\s+id\s+key$/);
  assert.equal(lines.slice(1).map((l) => l.split(/\s+/)[1]), payments.map((e) => eventId(e as DomainEvent)));
  assert.ok(lines.slice(1).every((l) => l.startsWith('stored ')), r.stdout);
  assert.is((await runCli([...lake, 'balance', 'DE44-5001-0517'])).stdout.trim().split('\n')[1]!.split(/\s+/)[1], '15.00');
});

test('--json prints one result per event of every chunk', async () => {
  const { lake, file } = input(payments);
  const r = await runCli([...lake, 'emit', '--json', '--chunk-size', '2', file]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').map((l) => JSON.parse(l).status), ['stored', 'stored', 'stored', 'stored', 'stored']);
});

test('an invalid event in the last chunk stores nothing of the input: it is validated whole first', async () => {
  const { lake, file, dataDir } = input([...payments.slice(0, 4), variant('incoming_payment', { Amount: '-1' })]);
  const r = await runCli([...lake, 'emit', '--chunk-size', '2', file]);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'BATCH_REJECTED');
  assert.match(r.stderr, '#4');
  assert.not.ok(existsSync(dataDir), 'a rejected emit creates no data dir');
});

test('a later chunk changing a stored event is refused naming its input position and the events the chunks before it stored', async () => {
  const { lake, file } = input([payment, payments[0], payments[1], changed, payments[2]]);
  const r = await runCli([...lake, 'emit', '--chunk-size', '2', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `EVENT_CONFLICT: input #3: event ${eventId(payment as DomainEvent)} already exists at `);
  assert.match(r.stderr, 'Events #0 to #1 of this input were stored before it (a long input is appended a chunk at a time, see --chunk-size); nothing from #2 on was: fix or drop #3');
  assert.equal(await stored(lake), [payment, payments[0]].map((e) => eventId(e as DomainEvent)).sort());
});

test('one identity twice with different content within a later chunk is told with the input\'s positions', async () => {
  const { lake, file } = input([payments[0], payments[1], payment, changed]);
  const r = await runCli([...lake, 'emit', '--chunk-size', '2', file]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `event ${eventId(payment as DomainEvent)} appears twice in this input with different content (#2 and #3), ` +
    'so nothing from #2 on was stored (events #0 to #1 of this input were, before it');
  assert.equal(await stored(lake), [payments[0], payments[1]].map((e) => eventId(e as DomainEvent)).sort());
});

test('the input sent again with the changed event dropped answers duplicate for what was stored and stores the rest', async () => {
  const { lake, file } = input([payment, payments[0], payments[1], changed, payments[2]]);
  assert.is((await runCli([...lake, 'emit', '--chunk-size', '2', file])).code, 1);
  writeFileSync(file, [payment, payments[0], payments[1], payments[2]].map((e) => JSON.stringify(e)).join('\n'));
  const again = await runCli([...lake, 'emit', '--json', '--chunk-size', '2', file]);
  assert.is(again.code, 0, again.stderr);
  assert.equal(again.stdout.trim().split('\n').map((l) => JSON.parse(l).status), ['duplicate', 'duplicate', 'stored', 'stored']);
});

test('--chunk-size must be a whole number of at least 1, refused before anything is read or created', async () => {
  for (const bad of ['0', '-1', '1.5', 'ten', '']) {
    const { lake, file, dataDir } = input(payments);
    const r = await runCli([...lake, 'emit', '--chunk-size', bad, file]);
    assert.is(r.code, 1, bad);
    assert.match(r.stderr, 'INVALID_ARGUMENT: --chunk-size: ', bad);
    assert.not.ok(existsSync(dataDir), bad);
  }
});

test.run();
