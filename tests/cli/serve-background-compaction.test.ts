// `serve` and `run` compact hours --compact-after-hours old (a day by default) by themselves (--compact-every minutes,
// 0 = never): the wiring both share, with a tiny interval and the data dir's clock set, writes one stderr line per run
// that compacted something.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { openReadOnlyLocalEventlake } from '../../adapters/local/open-read-only.ts';
import { compactWhileRunning, parseCompactEvery } from '../../cli/background-compaction.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { DAY_AGO, filesOf, NOW, RECENT, twoHours } from '../projections/support/two-hours.ts';

/** Runs the compaction wiring on a copy for `ms` with `everyMs` and `afterHours`; what stderr got, and the two hours' files after. */
async function serveFor(everyMs: number, ms: number, open = openLocalEventlake, afterHours = 24): Promise<{ stderr: string; dayAgo: string[]; recent: string[]; recentBefore: string[] }> {
  const dataDir = await twoHours();
  const recentBefore = filesOf(dataDir, RECENT);
  const local = await open({ dataDir, now: () => NOW });
  const err: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const compaction = await compactWhileRunning(local, { everyMs, afterHours, doing: 'serving', firstAfterMs: everyMs });
    await new Promise((r) => setTimeout(r, ms));
    await compaction.stop();
  } finally {
    process.stderr.write = write;
    await local.close();
  }
  return { stderr: err.join(''), dayAgo: filesOf(dataDir, DAY_AGO), recent: filesOf(dataDir, RECENT), recentBefore };
}

const test = suite('serve/run: background compaction');

test('with a short interval the hour that ended a day ago is compacted, the young one left, and one line says so', async () => {
  const r = await serveFor(5, 300);
  assert.equal(r.dayAgo, ['segment.ndjson']);
  assert.equal(r.recent, r.recentBefore);
  assert.is(r.stderr, 'eventlake: compacted 3 event(s) in 1 hour(s) that ended 24 h ago or more\n');
});

test('with --compact-after-hours 1 the hour that ended 1.5 h ago is compacted too, and the line says 1 h', async () => {
  const r = await serveFor(5, 300, openLocalEventlake, 1);
  assert.equal([r.dayAgo, r.recent], [['segment.ndjson'], ['segment.ndjson']]);
  assert.is(r.stderr, 'eventlake: compacted 5 event(s) in 2 hour(s) that ended 1 h ago or more\n');
});

test('--compact-every 0 compacts nothing', async () => {
  const every = parseCompactEvery('0');
  assert.is(every, 0);
  const r = await serveFor(every, 50);
  assert.is(r.dayAgo.length, 3);
  assert.is(r.stderr, '');
});

test('a data dir opened read-only is never compacted, and nothing is said', async () => {
  const r = await serveFor(5, 100, (options) => openReadOnlyLocalEventlake(options));
  assert.is(r.dayAgo.length, 3);
  assert.is(r.stderr, '');
});

test('--compact-every takes whole minutes and refuses anything else naming the flag', () => {
  assert.is(parseCompactEvery('60'), 3_600_000);
  for (const bad of ['-1', '1.5', 'hourly', '']) {
    try {
      parseCompactEvery(bad);
      assert.unreachable(`${bad} was taken`);
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.match((error as Error).message, '--compact-every');
    }
  }
});

test.run();
