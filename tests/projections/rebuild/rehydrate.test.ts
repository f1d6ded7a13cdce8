import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import { rehydrate } from '../../../projections/rebuild/rehydrate.ts';
import { rejects } from '../../support/async.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';

const test = suite('rehydrate');

async function tier(delayMs: number) {
  let now = 0;
  const archive = new MemoryArchiveTier(() => now, delayMs);
  const waits: number[] = [];
  const sleep = async (ms: number) => { waits.push(ms); now += ms; };
  const keys = Array.from({ length: 5 }, (_, i) => `events/year=2024/month=01/day=0${i + 1}/hour=00/segment.ndjson`);
  await archive.transition(keys[0]!, 'DEEP_ARCHIVE');
  await archive.transition(keys[1]!, 'GLACIER');
  await archive.transition(keys[2]!, 'GLACIER');
  return { archive, waits, sleep, keys };
}

test('restores are requested in batches and only for unreadable archived objects', async () => {
  const { archive, sleep, keys } = await tier(0);
  const report = await rehydrate({ archive, sleep }, [...keys, keys[1]!], { tier: 'Bulk', days: 1, batchSize: 1 });
  assert.equal(archive.requests.map((r) => r.keys), [[keys[1]], [keys[2]], [keys[0]]]);
  assert.equal(report.requested, { Bulk: 3 });
  assert.is(report.alreadyReadable, 2);
  assert.ok(keys.every((k) => archive.readable(k)));
});

test('Expedited is asked of Glacier only; Deep Archive gets Standard', async () => {
  const { archive, sleep, keys } = await tier(0);
  const report = await rehydrate({ archive, sleep }, keys, { tier: 'Expedited', days: 2 });
  assert.equal(archive.requests.map((r) => r.request), [{ tier: 'Expedited', days: 2 }, { tier: 'Standard', days: 2 }]);
  assert.equal(report.requested, { Expedited: 2, Standard: 1 });
});

test('polling backs off (doubling up to the maximum) until every object is restored', async () => {
  const { archive, sleep, waits, keys } = await tier(1000);
  await rehydrate({ archive, sleep }, keys, { tier: 'Standard', days: 1, pollMs: 100, maxPollMs: 400 });
  assert.equal(waits, [100, 200, 400, 400]);
  assert.ok(keys.every((k) => archive.readable(k)));
});

test('a restore that outlasts the timeout fails as transient, to be resumed later', async () => {
  const { archive, sleep, keys } = await tier(60_000);
  await rejects(() => rehydrate({ archive, sleep }, keys, { tier: 'Standard', days: 1, pollMs: 100, timeoutMs: 1000 }), TransientError);
});

test('a restore wait whose next poll interval exceeds the time left sleeps only until its limit, then gives up there', async () => {
  const { archive, sleep, waits, keys } = await tier(60_000);
  await rejects(() => rehydrate({ archive, sleep }, keys, { tier: 'Standard', days: 1, pollMs: 600, maxPollMs: 2000, timeoutMs: 1000 }), TransientError);
  assert.equal(waits, [600, 400], 'the second sleep is capped at the 400 ms left');
  assert.is(waits.reduce((a, b) => a + b, 0), 1000, 'the wait ends at its limit, not a poll interval after it');
});

test.run();
