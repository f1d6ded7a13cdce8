// The rules-fingerprint rules of rebuilds, as cases any projection store runs (rules-changed.test.ts on SQLite,
// rules-changed-dynamodb.test.ts on DynamoDB Local): a generation records the rules that built it, and one built with
// other rules is never resumed, taken over nor promoted; one that recorded none (an older checkpoint) still is.
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BalanceRule } from '../../../domain/balances.ts';
import { parseAmount } from '../../../domain/money.ts';
import type { Projection } from '../../../domain/projection.ts';
import { withBalanceRules } from '../../../projections/extensions.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { RebuildDeps } from '../../../projections/rebuild/deps.ts';
import { otherGenerations } from '../../../projections/rebuild/generations.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { GenerationRulesChangedError } from '../../../projections/rebuild/rules-fingerprint.ts';
import { rejects } from '../../support/async.ts';

/** A store under test: the ports a rebuild needs, the projections the running code folds with, and its cleanup. */
export interface RulesCaseLake {
  readonly deps: RebuildDeps;
  readonly projections: readonly Projection[];
  readonly close: () => Promise<void>;
}

/** The rule change of these cases: an incoming payment credits twice its amount. */
const doubledIncoming: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['TargetAccount']), delta: 2n * parseAmount(String(e['Amount'])) }] }) };

/** A coordinator over the lake, and one whose balances projection folds with the changed rule. */
function coordinators(lake: RulesCaseLake) {
  return {
    running: new RebuildCoordinator(lake.deps, lake.projections),
    changed: new RebuildCoordinator(lake.deps, withBalanceRules(lake.projections, { incoming_payment: doubledIncoming })),
  };
}

/** A finished balances rebuild from nothing, kept unpromoted, by `coordinator`. */
async function kept(coordinator: RebuildCoordinator): Promise<number> {
  return (await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }))).generation;
}

/** Resume `generation` by number to its end: whether it resumed, and the rules its finished checkpoint names. */
async function resumedRules(coordinator: RebuildCoordinator, plan: Awaited<ReturnType<RebuildCoordinator['plan']>>, generation: number) {
  const built = await coordinator.rebuild(plan, { generation });
  return [built.resumed, built.checkpoint.rulesFingerprint];
}

/** Registers the cases on `test`, each on a fresh lake from `open`. */
export function rulesChangedCases(test: Test, open: () => Promise<RulesCaseLake>): void {
  const withLake = (fn: (lake: RulesCaseLake, c: ReturnType<typeof coordinators>) => Promise<void>) => async () => {
    const lake = await open();
    try {
      await fn(lake, coordinators(lake));
    } finally {
      await lake.close();
    }
  };

  test('every rebuild records the running rules in its generation\'s checkpoint', withLake(async (lake, { running }) => {
    const generation = await kept(running);
    const cp = await readCheckpoint(lake.deps, 'balances', generation);
    assert.is(cp?.rulesFingerprint, running.rules(running.projection('balances')).fingerprint);
  }));

  test('a promoting rebuild after a rule change builds a new generation beside the kept one, which verifies and is promoted', withLake(async (lake, { running, changed }) => {
    const old = await kept(running);
    const built = await changed.rebuild(await changed.plan({ projection: 'balances', from: 0 }), { resumeFinished: true });
    assert.equal([built.generation === old, built.resumed], [false, false]);
    const check = await changed.verify('balances', built.generation, 'log');
    assert.ok(check.passed, JSON.stringify(check.differences));
    await changed.promote('balances', built.generation, [check]);
    assert.is(await lake.deps.store.liveGeneration('balances'), built.generation);
    assert.is((await otherGenerations(lake.deps, 'balances'))?.find((g) => g.generation === old)?.state, 'finished');
  }));

  test('promoting a kept generation built with other rules is refused, naming both fingerprints and the fix; the live one stays', withLake(async (lake, { running, changed }) => {
    const old = await kept(running);
    const error = await rejects(() => changed.promotable('balances', old), GenerationRulesChangedError);
    assert.is(error.code, 'GENERATION_RULES_CHANGED');
    const [builtWith, now] = [running, changed].map((c) => c.rules(c.projection('balances')).fingerprint);
    for (const part of [`generation ${old}`, builtWith!, now!, 'eventlake rebuild --projection balances', 'the rules that built it']) assert.match(error.message, part);
    const check = await running.verify('balances', old, 'log');
    await rejects(() => changed.promote('balances', old, [check]), GenerationRulesChangedError);
    assert.is(await lake.deps.store.liveGeneration('balances'), 1);
  }));

  test('a checkpoint written before rules were recorded still reads, lists its rules as unknown, and its generation is promoted', withLake(async (lake, { running }) => {
    const generation = await kept(running);
    const { rulesFingerprint: _f, rulesForm: _r, ...older } = (await lake.deps.store.getCheckpoint('balances', generation))!;
    await lake.deps.store.setCheckpoint('balances', generation, older);
    assert.is((await readCheckpoint(lake.deps, 'balances', generation))?.phase, 'finished');
    const listed = await otherGenerations(lake.deps, 'balances', running.rules(running.projection('balances')));
    assert.equal(listed?.map((g) => [g.generation, g.rules, g.rulesMatch]), [[generation, 'unknown', 'unknown']]);
    await running.promote('balances', generation, [await running.verify('balances', generation, 'log')]);
    assert.is(await lake.deps.store.liveGeneration('balances'), generation);
  }));

  test('an interrupted rebuild is not resumed by one with other rules: that one starts a new generation instead', withLake(async (_lake, { running, changed }) => {
    const plan = await running.plan({ projection: 'balances', from: 0 });
    const stop = () => { throw new Error('interrupted'); };
    await rejects(() => running.rebuild(plan, { batchSize: 5, onBatch: stop }), Error);
    const built = await changed.rebuild(await changed.plan({ projection: 'balances', from: 0 }));
    assert.is(built.resumed, false);
    assert.ok((await changed.verify('balances', built.generation, 'log')).passed);
  }));

  test('a resumed rebuild keeps the rules its checkpoint recorded, and one recorded before rules were is not stamped by the resume', withLake(async (lake, { running }) => {
    const plan = await running.plan({ projection: 'balances', from: 0 });
    const interrupt = async (): Promise<number> => {
      await rejects(() => running.rebuild(plan, { batchSize: 5, onBatch: () => { throw new Error('interrupted'); } }), Error);
      return Math.max(...((await lake.deps.store.listGenerations?.('balances')) ?? []));
    };
    const recorded = await interrupt();
    assert.equal(await resumedRules(running, plan, recorded), [true, running.rules(running.projection('balances')).fingerprint]);
    const older = await interrupt();
    const { rulesFingerprint: _f, rulesForm: _r, ...unrecorded } = (await lake.deps.store.getCheckpoint('balances', older))!;
    await lake.deps.store.setCheckpoint('balances', older, unrecorded);
    assert.equal(await resumedRules(running, plan, older), [true, undefined]);
  }));

  test('resuming by number an interrupted rebuild built with other rules is refused', withLake(async (lake, { running, changed }) => {
    const plan = await running.plan({ projection: 'balances', from: 0 });
    await rejects(() => running.rebuild(plan, { batchSize: 5, onBatch: () => { throw new Error('interrupted'); } }), Error);
    const interrupted = Math.max(...((await lake.deps.store.listGenerations?.('balances')) ?? []));
    const error = await rejects(() => changed.rebuild(plan, { generation: interrupted }), GenerationRulesChangedError);
    assert.match(error.message, `generation ${interrupted}`);
  }));
}
