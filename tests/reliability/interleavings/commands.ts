// The operations two processes run on one data dir, as fast-check values: `a` is this thread's side (its steps may
// have the other side act at one of their points, see Injector), `b` the worker thread's. Runner runs them.

import fc from 'fast-check';
import { partitionPrefix, type DomainEvent } from '../../../domain/event.ts';
import { variant } from '../../support/samples.ts';

/** Journal segment sizes: from one event (every append starts a segment) to a dozen; checkpoints delete often. */
export const segmentBytes = fc.integer({ min: 300, max: 4_000 });
const BASE = Date.UTC(2024, 4, 1) / 1000;
const HOURS = 3;

/** Event `n` (its hour fixed by n, so an identity has one hour); `v` 1 is other bytes under the same identity. */
export interface Spec { readonly n: number; readonly v: 0 | 1 }
export type Step =
  | { readonly op: 'append'; readonly events: readonly Spec[]; readonly failAfterJournal?: boolean }
  /** `bulk`: one append of `bulkOf`, more lines than a checkpoint reads in one page (a page ends inside objects). */
  | { readonly op: 'checkpoint' | 'catchUp' | 'reopen' | 'bulk' }
  | { readonly op: 'compact' | 'archive'; readonly hour: number };
/**
 * A command of `a` may carry a step of `b` to run at its n-th point (`inject`), and a step of its own to run at the
 * same time (`alongside`: a process's indexer, checkpoints and compactions run while it appends).
 */
export type Command =
  | { readonly who: 'a'; readonly step: Step; readonly inject?: { readonly nth: number; readonly step: Step }; readonly alongside?: Step }
  | { readonly who: 'b'; readonly step: Step };

const spec = fc.record({ n: fc.nat(17), v: fc.constantFrom<0 | 1>(0, 0, 0, 0, 1) });
const events = fc.uniqueArray(spec, { minLength: 1, maxLength: 6, selector: (s) => s.n });
const hourly = (op: 'compact' | 'archive') => fc.record({ op: fc.constant(op), hour: fc.nat(HOURS - 1) });
const simple = (op: 'checkpoint' | 'catchUp' | 'reopen' | 'bulk') => fc.constant({ op });
/**
 * The events of the `k`-th `bulk` step of a case: 5,001 new ones in three hours. Why never the same again: the
 * duplicate check scans an append's journal lines once per duplicate, so re-sending 5,001 events takes minutes.
 */
export const bulkOf = (k: number): Spec[] => Array.from({ length: 5_001 }, (_, i) => ({ n: 1_000 + k * 5_001 + i, v: 0 as const }));

/** Either side's steps, weighted toward what builds up state another step can race with; `bulk` steps if asked. */
function steps(ofA: boolean, bulk: boolean): fc.Arbitrary<Step> {
  return fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('append' as const), events, failAfterJournal: fc.boolean() }), weight: ofA ? 3 : 4 },
    { arbitrary: simple('catchUp'), weight: ofA ? 2 : 3 }, { arbitrary: simple('checkpoint'), weight: ofA ? 3 : 2 },
    { arbitrary: simple('reopen'), weight: 1 }, { arbitrary: hourly('compact'), weight: 2 }, { arbitrary: hourly('archive'), weight: 1 },
    { arbitrary: simple('bulk'), weight: bulk ? 1 : 0 },
  );
}

/** What may run alongside another step of the same process (not a reopen, which closes what the other uses). */
const background: fc.Arbitrary<Step> = fc.oneof(simple('catchUp'), simple('checkpoint'), hourly('compact'), hourly('archive'));

/** One command of either side; with `bulk`, some are appends of 5,001 events (slow: a second or so each). */
export function command(bulk = false): fc.Arbitrary<Command> {
  const ofB = steps(false, bulk);
  return fc.oneof(
    fc.record({
      who: fc.constant('a' as const),
      step: steps(true, bulk),
      // A bulk checkpoint or catch-up has many more points (an object settled, a page read, an index commit).
      inject: fc.option(fc.record({ nth: fc.integer({ min: 1, max: bulk ? 12 : 3 }), step: ofB }), { nil: undefined, freq: 10 }),
      alongside: fc.option(background, { nil: undefined, freq: 3 }),
    }, { requiredKeys: ['who', 'step'] }),
    fc.record({ who: fc.constant('b' as const), step: ofB }),
  );
}

/** The event a spec names. */
export const eventOf = ({ n, v }: Spec): DomainEvent =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: BASE + (n % HOURS) * 3600 + n, Reference: `v${v}` }) as DomainEvent;
/** The key prefix of hour partition `hour` (0 to 2) of the events. */
export const hourOf = (hour: number) => partitionPrefix(BASE + hour * 3600);
/** Whether a step compacts (archiving compacts first). */
export const compacts = (step: Step | undefined) => step?.op === 'compact' || step?.op === 'archive';
