// `events`, `query` and GET /events round a fraction of a second in --since/--until up, as the log's whole-second
// EventTimeStamps need: cut down, `--since …00:59:59.5Z` listed the event at 00:59:59 (before it) and
// `--until …01:00:00.5Z` missed the one at 01:00:00 (before it).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { withLake } from '../support/with-lake.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('time flags: fractions of a second (CLI and HTTP)');

const AT_59 = { ...SAMPLES['cash_deposit']!, RequestId: '11111111-1111-4111-8111-111111111111', EventTimeStamp: 978_310_799 } as DomainEvent;
const AT_00 = { ...SAMPLES['cash_deposit']!, RequestId: '22222222-2222-4222-8222-222222222222', EventTimeStamp: 978_310_800 } as DomainEvent;
const dataDir = await emittedDataDir([AT_59, AT_00]);
const events = (...flags: string[]) => runCli(['--data-dir', dataDir, 'events', ...flags]);

test('events --since 00:59:59.5Z does not list the event at 00:59:59, which is before it', async () => {
  const r = await events('--since', '2001-01-01T00:59:59.5Z', '--until', '2001-01-01T01:00:01Z');
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout, AT_59.RequestId);
  assert.match(r.stdout, AT_00.RequestId);
});

test('query --until 01:00:00.5Z lists the event at 01:00:00, which is before it', async () => {
  const r = await runCli(['--data-dir', dataDir, 'query', '--since', '2001-01-01T00:59:59.5Z', '--until', '2001-01-01T01:00:00.5Z', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, AT_00.RequestId);
  assert.not.match(r.stdout, AT_59.RequestId);
});

test('events with bounds less than a second apart answers (none), not "--until is not after --since"', async () => {
  const r = await events('--since', '2001-01-01T00:59:59.2Z', '--until', '2001-01-01T00:59:59.7Z');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test('GET /events?since=…59.5Z leaves out the event at 00:59:59', () => withLake(async (local) => {
  await local.lake.emit([AT_59, AT_00]);
  const app = buildServer(local);
  try {
    const res = await app.inject({ method: 'GET', url: '/events?since=2001-01-01T00:59:59.5Z&until=2001-01-01T01:00:00.5Z' });
    assert.is(res.statusCode, 200, res.body);
    assert.not.match(res.body, AT_59.RequestId);
    assert.match(res.body, AT_00.RequestId);
  } finally {
    await app.close();
  }
}));

test.run();
