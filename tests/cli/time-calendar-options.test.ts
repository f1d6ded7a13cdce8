// The CLI's and the HTTP API's time options refuse a date that is not on the calendar, and a leap second, naming the
// option: `--since 2024-02-30` listed events from March 1st as if asked for them.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('time options: calendar dates (CLI and HTTP)');

test('events --since 2024-02-30 exits 1 naming --since, the value and February\'s 29 days', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '2024-02-30']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: --since: "2024-02-30" is not a calendar date: February 2024 has 29 days, so give a day from 01 to 29');
});

test('archive run --now 2023-02-29 exits 1 before archiving anything', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'archive', 'run', '--now', '2023-02-29']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --now: "2023-02-29" is not a calendar date: February 2023 has 28 days');
});

test('events --until at a leap second exits 1 saying epoch seconds have none and suggesting second 59', async () => {
  const r = await runCli(['--data-dir', await emptyDataDir(), 'events', '--since', '0', '--until', '2016-12-31T23:59:60Z']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'INVALID_ARGUMENT: --until: "2016-12-31T23:59:60Z" is a leap second (second 60), and epoch seconds have no leap second: give 2016-12-31T23:59:59Z');
});

test('GET /events?since=2024-04-31 is a 400 naming since and April\'s 30 days', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/events?since=2024-04-31' });
    assert.is(r.statusCode, 400);
    assert.is(r.json().error, 'INVALID_ARGUMENT');
    assert.match(r.json().message, 'since: "2024-04-31" is not a calendar date: April 2024 has 30 days');
  }));

test.run();
