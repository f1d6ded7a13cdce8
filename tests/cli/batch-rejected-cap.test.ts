// A rejected batch lists its first 100 failures and counts the rest ("… and K more", failuresOmitted): a 2 MB body of
// a million bad events was answered with 500 MB (each failure listed twice) after 100 s, the server at 3.7 GB.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BatchRejectedError, SchemaValidationError } from '../../domain/errors.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('a rejected batch lists 100 failures and counts the rest');

const failures = (n: number) => Array.from({ length: n }, (_, index) => ({ index, error: new SchemaValidationError(`e${index}`, [{ pointer: '/Amount', reason: 'is required', expected: 'a decimal' }]) }));

test('the message lists the first 100 failures, then "… and K more", and keeps the total', () => {
  const error = new BatchRejectedError(failures(250), 300);
  const lines = error.message.split('\n').filter((l) => l.startsWith('#'));
  assert.is(lines.length, 100);
  assert.ok(lines[99]!.startsWith('#99: '), lines[99]);
  assert.ok(error.message.startsWith('250 of 300 event(s) rejected'), error.message.slice(0, 80));
  assert.ok(error.message.endsWith('\n… and 150 more'), error.message.slice(-80));
  assert.is(error.failures.length, 250);
});

test('a batch of exactly 100 failures lists them all, with no "more" line', () => {
  assert.not.match(new BatchRejectedError(failures(100), 100).message, 'more');
});

test('POST /events of 5,000 bad events answers 400 with 100 failures, failuresOmitted 4,900 and a small body', () => withServer(async (app) => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: `[${Array(5_000).fill('1').join(',')}]`, headers: { 'content-type': 'application/json' } });
  assert.is(r.statusCode, 400);
  const body = r.json<{ message: string; failures: { index: number }[]; failuresOmitted: number }>();
  assert.is(body.failures.length, 100);
  assert.equal(body.failures.map((f) => f.index), [...Array(100).keys()]);
  assert.is(body.failuresOmitted, 4_900);
  assert.match(body.message, /^5000 of 5000 event\(s\) rejected/);
  assert.ok(body.message.endsWith('… and 4900 more'), body.message.slice(-60));
  assert.ok(r.body.length < 100_000, `${r.body.length} bytes`);
}));

test('POST /events of a few bad events answers every failure and failuresOmitted 0', () => withServer(async (app) => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: '[1,2]', headers: { 'content-type': 'application/json' } });
  const body = r.json<{ failures: unknown[]; failuresOmitted: number }>();
  assert.is(body.failures.length, 2);
  assert.is(body.failuresOmitted, 0);
}));

test.run();
