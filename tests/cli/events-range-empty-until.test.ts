// An empty until (a client's or a script's unset variable: GET /events?until=, --until "$UNTIL") is refused naming
// it, as an empty since is: read as "no until", it silently answered up to now + 1 day, a range nobody asked for.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventsRange } from '../../cli/time.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('events range: an empty until');

test('GET /events?until= is a 400 INVALID_ARGUMENT naming until', () => withServer(async (app) => {
  const res = await app.inject({ method: 'GET', url: '/events?since=2024-04-24&until=' });
  assert.is(res.statusCode, 400, res.body);
  const body = res.json() as { error: string; message: string };
  assert.is(body.error, 'INVALID_ARGUMENT');
  assert.match(body.message, /^until: "" is neither epoch seconds nor an ISO-8601 time/);
}));

test('--until "" is refused naming --until, as --since "" is', () => {
  assert.throws(() => eventsRange('2024-04-24', '', '--'), (e: Error & { code?: string }) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith('--until: ""'));
  assert.throws(() => eventsRange('', undefined, '--'), (e: Error & { code?: string }) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith('--since: ""'));
});

test('no until at all still means now + 1 day', () => {
  const { to } = eventsRange('2024-04-24', undefined, '--');
  assert.ok(Math.abs(to - (Math.floor(Date.now() / 1000) + 86_400)) <= 2);
});

test.run();
