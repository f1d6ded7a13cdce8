// Rolling back to the first generation: dispatch filled it, a promoted rebuild retired it, and it missed the events
// dispatched while the rebuild was live. Promoting it back verifies it where dispatch is and tops it up with those,
// so it serves what a fold of the log gives. What is not a rollback target is refused, saying why and what to do.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import { foldEvents, type ProjectionState } from '../../../domain/projection.ts';
import { liveRules } from '../../../projections/rebuild/generations.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { GenerationRulesChangedError } from '../../../projections/rebuild/rules-fingerprint.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { withFreshLake } from './fresh-lake.ts';

type Coordinator = Parameters<Parameters<typeof withFreshLake>[0]>[1];

const test = suite('rollback to the first generation');

const visible = (s: ProjectionState) => ({ counters: [...s.counters].sort(), rows: [...s.rows].sort(([a], [b]) => (a < b ? -1 : 1)) });

/** A deposit emitted after the scenario's events, the `n`th. */
const deposit = (n: number) => ({ ...SAMPLES['cash_deposit']!, RequestId: `01a21670-3523-7140-b3ff-abf5b4a130${String(n).padStart(2, '0')}` });

/** A rebuild promoted over generation 1, then `missed` deposits dispatched to it that generation 1 never saw. */
async function retireFirst(local: LocalEventlake, coordinator: Coordinator, missed = 2): Promise<number> {
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  await coordinator.promote('balances', built.generation, [await coordinator.verify('balances', built.generation, 'log')]);
  for (let i = 0; i < missed; i++) await local.lake.emit(deposit(i));
  await local.catchUp();
  return built.generation;
}

async function rollBack(coordinator: Coordinator, generation = 1) {
  return coordinator.promote('balances', generation, [await coordinator.verify('balances', generation, 'log')]);
}

test('the first generation, retired by a promoted rebuild, verifies against the log where dispatch is and is promoted back', async () => {
  await withFreshLake(async (local, coordinator) => {
    const rebuilt = await retireFirst(local, coordinator);
    const check = await coordinator.verify('balances', 1, 'log');
    assert.equal([check.passed, check.mark], [true, await local.dispatchedPosition()]);
    const promoted = await coordinator.promote('balances', 1, [check]);
    assert.equal([promoted.generation, promoted.previous, await local.store.liveGeneration('balances')], [1, rebuilt, 1]);
  });
});

test('a rolled-back first generation is topped up with the events it missed and holds what a fold of the log gives', async () => {
  await withFreshLake(async (local, coordinator, scenario) => {
    await retireFirst(local, coordinator, 2);
    const promoted = await rollBack(coordinator);
    assert.is(promoted.toppedUp, 2);
    const all = [...scenario.events, deposit(0), deposit(1)];
    assert.equal(visible(await local.store.readState('balances', 1)), visible(foldEvents(coordinator.projection('balances'), all)));
  });
});

test('after a rollback, dispatch folds new events into the first generation again', async () => {
  await withFreshLake(async (local, coordinator) => {
    await retireFirst(local, coordinator);
    await rollBack(coordinator);
    await local.lake.emit(deposit(99));
    await local.catchUp();
    assert.ok(await local.store.appliedRecord('balances', 1, eventId(deposit(99))));
    assert.ok((await coordinator.verify('balances', 1, 'log')).passed);
  });
});

test('a rolled-back first generation records where its top-up reached, so rolling back to it again starts there', async () => {
  await withFreshLake(async (local, coordinator) => {
    const rebuilt = await retireFirst(local, coordinator);
    await rollBack(coordinator);
    assert.equal((await readCheckpoint(local, 'balances', 1))?.replayedThrough, await local.index.lastPosition());
    await rollBack(coordinator, rebuilt);
    await local.lake.emit(deposit(98));
    await local.catchUp();
    const again = await rollBack(coordinator);
    assert.is(again.toppedUp, 1);
    assert.ok((await coordinator.verify('balances', 1, 'log')).passed);
  });
});

test('a rolled-back first generation keeps the rules it recorded before its first fold', async () => {
  await withFreshLake(async (local, coordinator) => {
    await retireFirst(local, coordinator);
    await rollBack(coordinator);
    const rules = await liveRules(local, 'balances', coordinator.rules(coordinator.projection('balances')));
    assert.equal([rules.generation, rules.match], [1, 'same']);
  });
});

test('a retired first generation built with other rules than the running code\'s is refused before verifying', async () => {
  await withFreshLake(async (local, coordinator) => {
    await retireFirst(local, coordinator);
    const running = coordinator.rules(coordinator.projection('balances'));
    await local.store.setCheckpoint('balances', 1, { rulesFingerprint: 'balances v1 000000000000', rulesForm: running.form });
    const error = await rejects(() => coordinator.promotable('balances', 1), GenerationRulesChangedError);
    assert.match(error.message, 'balances v1 000000000000');
  });
});

test('promoting a generation that does not exist says so and names those that do', async () => {
  await withFreshLake(async (local, coordinator) => {
    const rebuilt = await retireFirst(local, coordinator);
    const error = await rejects(() => coordinator.promotable('balances', 99), InvalidArgumentError);
    assert.match(error.message, `balances has no generation 99; it has 1 (retired), ${rebuilt} (live)`);
    assert.match(error.message, 'eventlake generations list --projection balances');
  });
});

test('promoting the live generation is refused: there is nothing to promote', async () => {
  await withFreshLake(async (_local, coordinator) => {
    const error = await rejects(() => coordinator.promotable('balances', 1), InvalidArgumentError);
    assert.match(error.message, 'balances generation 1 is the live one already');
  });
});

test('promoting the live generation again (a retried promotion) answers as done and changes nothing', async () => {
  await withFreshLake(async (local, coordinator) => {
    const rebuilt = await retireFirst(local, coordinator);
    const before = visible(await local.store.readState('balances', rebuilt));
    const again = await coordinator.promote('balances', rebuilt, [await coordinator.verify('balances', rebuilt, 'log')]);
    assert.equal(again, { projection: 'balances', generation: rebuilt, previous: rebuilt, toppedUp: 0 });
    assert.is(await local.store.liveGeneration('balances'), rebuilt);
    assert.equal(visible(await local.store.readState('balances', rebuilt)), before);
  });
});

test('an interrupted rebuild is refused, saying it is unfinished and how to finish or drop it', async () => {
  await withFreshLake(async (_local, coordinator) => {
    const stop = () => { throw new Error('interrupted'); };
    const plan = await coordinator.plan({ projection: 'balances', from: 0 });
    await rejects(() => coordinator.rebuild(plan, { batchSize: 5, onBatch: stop }), Error);
    const error = await rejects(() => coordinator.promotable('balances', 2), InvalidArgumentError);
    for (const part of ['balances generation 2 is an unfinished rebuild', 'it lacks events', 'Run the rebuild that started it again (projection balances, from an empty projection)', 'eventlake generations drop 2 --projection balances']) {
      assert.match(error.message, part);
    }
  });
});

test('a generation no rebuild wrote (a scratch copy left behind) is refused: nothing says what it holds; drop it', async () => {
  await withFreshLake(async (local, coordinator) => {
    const scratch = await local.store.createGeneration('balances');
    const error = await rejects(() => coordinator.promotable('balances', scratch), InvalidArgumentError);
    assert.match(error.message, `balances generation ${scratch} was written by no rebuild`);
    assert.match(error.message, `eventlake generations drop ${scratch} --projection balances`);
  });
});

test.run();
