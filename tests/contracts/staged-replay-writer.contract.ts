// Contract of ProjectionStore.stagedReplay (StagedReplayWriter), for every store that has one (SQLite today): a
// rebuild's batches decided in memory and committed with the replay's checkpoint. The properties hold it to the
// domain's reference fold (as balance-fold-differential does `apply`); the examples pin what is written when, and
// what a flush refuses.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../domain/balances.ts';
import { StagedReplayRefusedError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventId } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { ApplyOutcome, ProjectionStore, StagedReplayWriter } from '../../domain/ports/projection-store.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { emptyState, foldEvents, ruleErrorsTyped, type Projection } from '../../domain/projection.ts';
import { statementProjection } from '../../projections/statement.ts';
import { rejects } from '../support/async.ts';
import {
  assertSameState, batchSizes, differentialParams, distinctSequences, eventSequences, referenceApply, splitInto, storeApply,
} from '../projections/balance-fold-differential-cases.ts';

/** A store with a staged replay writer. */
export type StagedStore = ProjectionStore & { stagedReplay(projection: Projection, generation: number): StagedReplayWriter };

/** Run the contract against stores `makeStore` opens (each test opens its own; `close` runs after it). */
export function stagedReplayWriterContract(name: string, makeStore: () => Promise<{ store: StagedStore; close: () => void | Promise<void> }>): void {
  const test = suite(`StagedReplayWriter contract: ${name}`);
  const closing: (() => void | Promise<void>)[] = [];
  const open = async (): Promise<StagedStore> => {
    const made = await makeStore();
    closing.push(made.close);
    return made.store;
  };
  test.after.each(async () => {
    for (const close of closing.splice(0)) await close();
  });
  const events = generateEvents({ accounts: 20, days: 3, eventsPerDay: 200, start: 1_700_000_000, seed: 3 });

  /**
   * Stage `batches` in turn, flushing after every `flushEvery`-th batch and after the last, as a replay does: a refused
   * flush's batches are applied again with `apply` (replay.ts). The outcomes of all, and how many flushes were refused.
   */
  async function stageAll(store: StagedStore, projection: Projection, generation: number, batches: readonly DomainEvent[][], flushEvery: number) {
    let writer = store.stagedReplay(projection, generation);
    const out: ApplyOutcome[] = [];
    let span: { batches: DomainEvent[][]; outcomes: ApplyOutcome[] } = { batches: [], outcomes: [] };
    let refused = 0;
    for (let i = 0; i < batches.length; i++) {
      span.batches.push(batches[i]!);
      span.outcomes.push(...(await writer.stage(batches[i]!)));
      if ((i + 1) % flushEvery !== 0 && i !== batches.length - 1) continue;
      try {
        await writer.flush({ flushedAfter: i });
        out.push(...span.outcomes);
      } catch (error) {
        if (!(error instanceof StagedReplayRefusedError)) throw error;
        refused++;
        for (const batch of span.batches) out.push(...(await store.apply(projection, generation, batch, { replay: true })));
        writer = store.stagedReplay(projection, generation);
      }
      span = { batches: [], outcomes: [] };
    }
    return { out, refused };
  }

  /**
   * The property of both sequence tests: `sequences` cut into staged batches and flushes leave a new generation exactly
   * as the reference fold, outcome by outcome; `refusals` says whether a flush may be refused (and applied again).
   */
  async function foldsAsReference(sequences: fc.Arbitrary<DomainEvent[]>, refusals: 'none' | 'allowed'): Promise<void> {
    const store = await open();
    await fc.assert(fc.asyncProperty(sequences, batchSizes, fc.integer({ min: 1, max: 4 }), fc.boolean(), async (sequence, sizes, flushEvery, statement) => {
      const projection = statement ? statementProjection : balancesProjection;
      const expected = emptyState();
      const outcomes = referenceApply(expected, sequence, projection);
      const generation = await store.createGeneration(projection.name);
      const { out, refused } = await stageAll(store, projection, generation, splitInto(sequence, sizes), flushEvery);
      assert.equal(out, outcomes, 'outcomes');
      if (refusals === 'none') assert.is(refused, 0, 'refused flushes');
      assertSameState(await store.readState(projection.name, generation), expected);
    }), differentialParams(200));
  }

  // What a replay stages: the index names each event once.
  test('distinct events, staged in any batches and committed at any of them, leave the store exactly as the reference fold', () =>
    foldsAsReference(distinctSequences(), 'none'));

  // An event repeated after its first copy was flushed may pass the three probes of a fresh generation: the flush's
  // count check refuses the span, and the replay applies it again.
  test('any sequence, repeats included, ends exactly as the reference fold once refused flushes are applied again', () =>
    foldsAsReference(eventSequences(), 'allowed'));

  test('events applied before the writer began (a resumed generation\'s overlap) are staged as duplicates, wherever they sit', async () => {
    const store = await open();
    // At least one event applied first: a generation that holds nothing is not resumed, and its writer probes only three
    // keys per batch, so a repeat may be refused at the flush (the repeats test above covers that case). An empty cut
    // here made this property fail now and then (seed -106965897).
    const withEvents = eventSequences().filter((sequence) => sequence.length > 0);
    await fc.assert(fc.asyncProperty(withEvents, fc.nat(), batchSizes, batchSizes, async (sequence, cut, first, second) => {
      const prefix = sequence.slice(0, 1 + (cut % sequence.length));
      const expected = emptyState();
      referenceApply(expected, prefix);
      const outcomes = referenceApply(expected, sequence);
      const generation = await store.createGeneration('balances');
      await storeApply(store, balancesProjection, generation, splitInto(prefix, first), true);
      // The generation holds keys when the writer begins: every staged key is probed, and no flush is refused.
      assert.equal(await stageAll(store, balancesProjection, generation, splitInto(sequence, second), 2), { out: outcomes, refused: 0 }, 'outcomes');
      assertSameState(await store.readState('balances', generation), expected);
    }), differentialParams(200));
  });

  test('nothing is written until the flush, which writes the batches, their replay flags and the checkpoint together', async () => {
    const store = await open();
    const generation = await store.createGeneration('balances');
    const writer = store.stagedReplay(balancesProjection, generation);
    await writer.stage(events.slice(0, 250));
    await writer.stage(events.slice(250));
    assert.is(writer.staged, events.length);
    assert.equal([await store.counters('balances', generation), await store.getCheckpoint('balances', generation)], [new Map(), undefined]);
    await writer.flush({ through: 'all' });
    assert.is(writer.staged, 0);
    assert.equal(await store.counters('balances', generation), foldEvents(balancesProjection, events).counters);
    assert.equal(await store.getCheckpoint('balances', generation), { through: 'all' });
    assert.equal(await store.appliedRecord('balances', generation, eventId(events[300]!)), { replay: true });
  });

  test('a verification staged after its deposit reads the deposit\'s staged record, before either is written', async () => {
    const deposit = events.find((e) => e.EventType === 'cash_deposit' && events.some((v) => v.EventType === 'verify_cash_deposit' && balancesProjection.related(v).includes(eventId(e))))!;
    const verification = events.find((v) => v.EventType === 'verify_cash_deposit' && balancesProjection.related(v).includes(eventId(deposit)))!;
    const store = await open();
    const generation = await store.createGeneration('balances');
    const writer = store.stagedReplay(balancesProjection, generation);
    await writer.stage([deposit]);
    await writer.stage([verification]);
    await writer.flush({});
    assert.equal(await store.counters('balances', generation), foldEvents(balancesProjection, [deposit, verification]).counters);
  });

  test('a key stored after it was staged makes the flush refuse: nothing of the staged batches nor the checkpoint is written', async () => {
    const store = await open();
    const generation = await store.createGeneration('balances');
    await store.setCheckpoint('balances', generation, { before: true });
    const writer = store.stagedReplay(balancesProjection, generation);
    await writer.stage(events.slice(0, 100));
    await store.apply(balancesProjection, generation, [events[40]!]);
    const error = await rejects(() => writer.flush({ before: false }), StagedReplayRefusedError);
    assert.is(error.code, 'STAGED_REPLAY_REFUSED');
    assert.match(error.message, '1 of its idempotency keys were stored meanwhile');
    assert.equal(await store.counters('balances', generation), foldEvents(balancesProjection, [events[40]!]).counters);
    assert.equal([await store.getCheckpoint('balances', generation), writer.staged], [{ before: true }, 0]);
  });

  test('a rule that throws leaves nothing of its batch staged; the batches before it still commit', async () => {
    const bad = events[120]!;
    const throwing = ruleErrorsTyped({
      ...balancesProjection,
      decide: (event, related) => {
        if (eventId(event) === eventId(bad)) throw new Error('rule bug');
        return balancesProjection.decide(event, related);
      },
    });
    const store = await open();
    const generation = await store.createGeneration('balances');
    const writer = store.stagedReplay(throwing, generation);
    await writer.stage(events.slice(0, 100));
    await rejects(() => writer.stage(events.slice(100, 200)), ProjectionRuleError);
    assert.is(writer.staged, 100);
    await writer.flush({});
    assert.equal(await store.counters('balances', generation), foldEvents(balancesProjection, events.slice(0, 100)).counters);
    assert.is(await store.appliedRecord('balances', generation, eventId(events[110]!)), undefined);
  });

  test('discard forgets what was staged; the next flush writes only what came after', async () => {
    const store = await open();
    const generation = await store.createGeneration('balances');
    const writer = store.stagedReplay(balancesProjection, generation);
    await writer.stage(events.slice(0, 100));
    writer.discard();
    await writer.stage(events.slice(100, 200));
    await writer.flush({});
    assert.equal(await store.counters('balances', generation), foldEvents(balancesProjection, events.slice(100, 200)).counters);
  });

  test.run();
}
