// What rehydration tells a caller that resumes it later (a rebuild after an invocation answered `restoring`), and how
// the report of a rehydration run again is combined with its earlier attempts'.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TransientError } from '../../../domain/errors.ts';
import type { RehydrateReport } from '../../../projections/rebuild/rehydrate.ts';
import { rehydrate, resumeRehydration } from '../../../projections/rebuild/rehydrate.ts';
import { recordPass, recordVerification, replayRestored, verificationFinished } from '../../../projections/rebuild/restore-record.ts';
import { rejects } from '../../support/async.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';

const test = suite('rehydrate: resumed attempts');

async function tier(delayMs: number) {
  const clock = { now: 0 };
  const archive = new MemoryArchiveTier(() => clock.now, delayMs);
  const sleep = async (ms: number) => { clock.now += ms; };
  const keys = ['a', 'b', 'c', 'd'].map((k) => `events/year=2024/month=01/day=01/hour=0${k.charCodeAt(0) - 97}/segment.ndjson`);
  for (const k of keys.slice(0, 3)) await archive.transition(k, 'GLACIER');
  return { archive, clock, sleep, keys };
}

const report = (objects: number, alreadyReadable: number, requested: number, polls: number): RehydrateReport =>
  ({ objects, alreadyReadable, requested: requested > 0 ? { Standard: requested } : {}, polls });

test('the caller is told what was requested as soon as it is, and again before the wait gives up', async () => {
  const { archive, sleep, keys } = await tier(60_000);
  const told: RehydrateReport[] = [];
  const record = async (soFar: RehydrateReport) => { told.push(soFar); };
  await rejects(() => rehydrate({ archive, sleep }, keys, { tier: 'Standard', days: 1, pollMs: 100, timeoutMs: 1000, record }), TransientError);
  assert.equal(told[0], report(4, 1, 3, 0), 'told before the first poll');
  assert.equal(told.at(-1)!.requested, { Standard: 3 });
  assert.ok(told.at(-1)!.polls > 0, 'told the polls before giving up');
});

test('a copy that expired while waited for is requested again, and counted again', async () => {
  const { archive, clock, sleep, keys } = await tier(1000);
  // The first poll finds every copy restored, then gone (a one-day copy outlived by a multi-day wait).
  const sleepThenExpire = async (ms: number) => { await sleep(ms); if (clock.now >= 1000 && archive.requests.length === 1) archive.expireAll(); };
  const done = await rehydrate({ archive, sleep: sleepThenExpire }, keys, { tier: 'Standard', days: 1, pollMs: 1000 });
  assert.is(archive.requests.length, 2);
  assert.equal(done.requested, { Standard: 6 });
});

test('a rehydration run again keeps the objects as its first attempt found them and adds the requests and polls', () => {
  const first = report(10, 4, 6, 3);
  // By then the six restores are done: all ten read as readable.
  assert.equal(resumeRehydration(first, report(10, 10, 0, 0)), report(10, 4, 6, 3));
  assert.equal(resumeRehydration(first, report(10, 7, 0, 2)), report(10, 4, 6, 5), 'still waiting on three');
});

test('a resumed pass that reads only the rest of its objects keeps the count of them all', () => {
  assert.equal(resumeRehydration(report(10, 4, 6, 3), report(3, 3, 0, 0)), report(10, 4, 6, 3));
});

test('objects archived since the first attempt are added, as restored when the later attempt requested them', () => {
  assert.equal(resumeRehydration(report(10, 4, 6, 3), report(12, 10, 2, 1)), report(12, 4, 8, 4));
  assert.equal(resumeRehydration(report(10, 4, 6, 3), report(12, 12, 0, 0)), report(12, 6, 6, 3), 'readable already when seen');
});

test('the replay\'s record resumes a pass run again and adds up different passes', () => {
  const one = recordPass(undefined, 0, report(10, 4, 6, 3));
  const again = recordPass(one, 0, report(10, 10, 0, 1));
  assert.equal(replayRestored({ replayRestores: again }), report(10, 4, 6, 4));
  const next = recordPass(again, 150, report(2, 0, 2, 1));
  assert.equal(replayRestored({ replayRestores: next }), report(12, 4, 8, 5));
  assert.equal(replayRestored({}), report(0, 0, 0, 0), 'a checkpoint without a record restored nothing');
});

test('a verification\'s record resumes the same reference only, and is dropped once that verification finished', () => {
  const log = recordVerification(undefined, 'log', report(5, 0, 5, 2));
  assert.equal(recordVerification(log, 'snapshot', report(1, 0, 1, 1)).snapshot, report(1, 0, 1, 1));
  assert.equal(recordVerification(log, 'log', report(5, 5, 0, 0)).log, report(5, 0, 5, 2));
  assert.equal(verificationFinished(recordVerification(log, 'snapshot', report(1, 0, 1, 1)), 'log'), { snapshot: report(1, 0, 1, 1) });
  assert.is(verificationFinished(log, 'log'), undefined);
});

test.run();
