// An event nested 10,000 levels deep is refused as a bad request naming the limit (64 levels): POST /events answered
// 500 INTERNAL and emit exited 3 with a stack (Maximum call stack size exceeded while copying the event).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaValidationError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { MAX_EVENT_DEPTH } from '../../schemas/well-formed.ts';
import { runCli } from '../security/cli-run.ts';
import { withServer } from '../support/with-server.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('deep nesting is refused with the limit named');
const LIMIT = `nests deeper than ${MAX_EVENT_DEPTH} levels`;

/** `{"a":{"a":…1…}}`, `levels` objects deep, as JSON text (JSON.stringify itself overflows at 10,000). */
const deepObject = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const deepEvent = (levels: number): string =>
  `{"EventType":"incoming_payment","SchemaVersion":1,"EventTimeStamp":1234568990,"Nested":${deepObject(levels)}}`;

test('POST /events of an event nesting 10,000 objects answers 400 naming the limit, not 500', () => withServer(async (app) => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: deepEvent(10_000), headers: { 'content-type': 'application/json' } });
  assert.is(r.statusCode, 400, r.body.slice(0, 300));
  assert.match(r.json<{ message: string }>().message, LIMIT);
}));

test('POST /events of 10,000 nested arrays answers 400, not 500', () => withServer(async (app) => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: '['.repeat(10_000) + ']'.repeat(10_000), headers: { 'content-type': 'application/json' } });
  assert.is(r.statusCode, 400, r.body.slice(0, 300));
}));

test('emit of a file holding an event nesting 10,000 objects exits 1 naming the limit, with no stack', async () => {
  const dir = tempDir();
  const file = join(dir, 'deep.json');
  writeFileSync(file, deepEvent(10_000));
  const r = await runCli(['--data-dir', join(dir, 'lake'), 'emit', file]);
  assert.is(r.code, 1, r.stderr.slice(0, 300));
  assert.match(r.stderr, LIMIT);
  assert.not.match(r.stderr, 'unexpected error');
});

test('a user type whose schema accepts any object refuses one level past the limit and accepts the limit', () => {
  const folder = tempDir();
  writeFileSync(join(folder, 'free_note.v1.json'), JSON.stringify({
    type: 'object',
    properties: {
      EventType: { const: 'free_note' }, SchemaVersion: { const: 1 }, RequestId: { type: 'string', format: 'uuid' },
      EventTimeStamp: { type: 'integer', minimum: 0, maximum: 4102444800 }, Note: { type: 'object' },
    },
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Note'], additionalProperties: false,
  }));
  const registry = SchemaRegistry.load({ folders: [folder] });
  const note = (levels: number) => JSON.parse(`{"EventType":"free_note","SchemaVersion":1,"RequestId":"3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f","EventTimeStamp":1234567890,"Note":${deepObject(levels)}}`) as unknown;
  // The event is level 1, Note level 2: MAX_EVENT_DEPTH - 1 levels inside it reach the limit.
  assert.not.throws(() => registry.validate(note(MAX_EVENT_DEPTH - 1)));
  assert.throws(() => registry.validate(note(MAX_EVENT_DEPTH)), (e: unknown) => e instanceof SchemaValidationError && e.message.includes(LIMIT));
  assert.throws(() => registry.validate(note(10_000)), (e: unknown) => e instanceof SchemaValidationError && e.message.includes(LIMIT));
});

test.run();
