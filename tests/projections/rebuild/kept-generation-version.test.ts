// A kept generation was folded with the rules of the projection version its rebuild ran under. Once the version is
// bumped, promoting it would serve state those rules decided under the new ones, with no sign of it: a reference
// that is as old (a snapshot, a live generation not rebuilt yet) verifies it all the same. It is rebuilt instead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { withFreshLake } from './fresh-lake.ts';

const test = suite('kept generations across a projection version bump');

test('a kept generation rebuilt under another projection version is never promoted, even with a passing verification; the live one stays', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const bumped = new RebuildCoordinator(local, local.projections.map((p) => (p.name === 'balances' ? { ...p, version: p.version + 1 } : p)));
    const version = bumped.projection('balances').version;
    const check = await bumped.verify('balances', kept.generation, 'live');
    assert.ok(check.passed, 'the live generation is as old as the kept one: it verifies');
    const error = await rejects(() => bumped.promote('balances', kept.generation, [check]), InvalidArgumentError);
    for (const part of [`generation ${kept.generation}`, `version ${version - 1}`, `version ${version}`, 'eventlake rebuild --projection balances']) assert.match(error.message, part);
    assert.is(await local.store.liveGeneration('balances'), 1);
  });
});

test('a kept generation of the current projection version is still promoted', async () => {
  await withFreshLake(async (local, coordinator) => {
    const kept = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    await coordinator.promote('balances', kept.generation, [await coordinator.verify('balances', kept.generation, 'live')]);
    assert.is(await local.store.liveGeneration('balances'), kept.generation);
  });
});

test.run();
