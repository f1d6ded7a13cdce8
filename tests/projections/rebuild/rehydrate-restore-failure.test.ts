// A restore call that fails part-way through a rehydration (throttling, an access error on one object's batch) must
// not lose the restores the calls before it requested: the caller that records them (a rebuild keeping its restores in
// its checkpoint) is told them before the failure reaches it. Why: the next attempt finds those objects RESTORING and
// does not request them again, so a count not recorded now is a paid restore no report ever shows.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RestoreRequest } from '../../../domain/ports/archive-tier.ts';
import type { RehydrateReport } from '../../../projections/rebuild/rehydrate.ts';
import { rehydrate } from '../../../projections/rebuild/rehydrate.ts';
import { rejects } from '../../support/async.ts';
import { MemoryArchiveTier } from '../../support/fakes/memory-archive-tier.ts';

const test = suite('rehydrate: a restore call that fails part-way');

const keyOf = (hour: number) => `events/year=2024/month=01/day=01/hour=${String(hour).padStart(2, '0')}/segment.ndjson`;

/** An archive whose restore calls answer until `failAt` of them were made; that one throws, nothing requested by it. */
class FailingArchive extends MemoryArchiveTier {
  private calls = 0;
  constructor(private readonly failAt: number) {
    super(() => 0, 60_000);
  }
  override async restore(keys: readonly string[], request: RestoreRequest): Promise<void> {
    if (++this.calls === this.failAt) throw new Error('SlowDown: please reduce your request rate');
    return super.restore(keys, request);
  }
}

async function rehydrateUntilFailure(archive: FailingArchive, keys: readonly string[]): Promise<RehydrateReport[]> {
  const told: RehydrateReport[] = [];
  const record = async (soFar: RehydrateReport) => { told.push(soFar); };
  await rejects(() => rehydrate({ archive, sleep: async () => {} }, keys, { tier: 'Standard', days: 1, batchSize: 1, record }), Error);
  return told;
}

test('the batches requested before a failed restore call are recorded before the failure is thrown', async () => {
  const archive = new FailingArchive(3);
  const keys = [0, 1, 2, 3].map(keyOf);
  for (const k of keys) await archive.transition(k, 'GLACIER');
  const told = await rehydrateUntilFailure(archive, keys);
  assert.is(archive.requests.length, 2, 'two batches were requested before the third failed');
  assert.equal(told.at(-1)?.requested, { Standard: 2 });
});

test('restores of one storage class requested before another class\'s call failed are recorded', async () => {
  const archive = new FailingArchive(2);
  const keys = [0, 1].map(keyOf);
  await archive.transition(keys[0]!, 'GLACIER');
  await archive.transition(keys[1]!, 'DEEP_ARCHIVE');
  const told = await rehydrateUntilFailure(archive, keys);
  assert.equal(told.at(-1)?.requested, { Standard: 1 });
});

test('a record that fails as well does not hide the restore call\'s failure', async () => {
  const archive = new FailingArchive(2);
  const keys = [0, 1].map(keyOf);
  for (const k of keys) await archive.transition(k, 'GLACIER');
  const record = async () => { throw new Error('checkpoint write failed'); };
  const error = await rejects(() => rehydrate({ archive, sleep: async () => {} }, keys, { tier: 'Standard', days: 1, batchSize: 1, record }), Error);
  assert.match(error.message, /SlowDown/);
});

test('a failure before any restore was requested records nothing', async () => {
  const archive = new FailingArchive(1);
  await archive.transition(keyOf(0), 'GLACIER');
  assert.equal(await rehydrateUntilFailure(archive, [keyOf(0)]), []);
});

test.run();
