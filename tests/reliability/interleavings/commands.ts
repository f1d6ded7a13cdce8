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
  | { readonly op: 'checkpoint' | 'catchUp' | 'reopen' }
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
const simple = (op: 'checkpoint' | 'catchUp' | 'reopen') => fc.constant({ op });
/** Weighted toward what builds up state another step can race with: appends, catch-ups, checkpoints. */
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('append' as const), events, failAfterJournal: fc.boolean() }), weight: 4 },
  { arbitrary: simple('catchUp'), weight: 3 }, { arbitrary: simple('checkpoint'), weight: 2 }, { arbitrary: simple('reopen'), weight: 1 },
  { arbitrary: hourly('compact'), weight: 2 }, { arbitrary: hourly('archive'), weight: 1 },
);
const ofA: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('append' as const), events, failAfterJournal: fc.boolean() }), weight: 3 },
  { arbitrary: simple('catchUp'), weight: 2 }, { arbitrary: simple('checkpoint'), weight: 3 }, { arbitrary: simple('reopen'), weight: 1 },
  { arbitrary: hourly('compact'), weight: 2 }, { arbitrary: hourly('archive'), weight: 1 },
);

/** What may run alongside another step of the same process (not a reopen, which closes what the other uses). */
const background: fc.Arbitrary<Step> = fc.oneof(simple('catchUp'), simple('checkpoint'), hourly('compact'), hourly('archive'));

/** One command of either side. */
export const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    who: fc.constant('a' as const),
    step: ofA,
    inject: fc.option(fc.record({ nth: fc.integer({ min: 1, max: 3 }), step }), { nil: undefined, freq: 10 }),
    alongside: fc.option(background, { nil: undefined, freq: 3 }),
  }, { requiredKeys: ['who', 'step'] }),
  fc.record({ who: fc.constant('b' as const), step }),
);

/** The event a spec names. */
export const eventOf = ({ n, v }: Spec): DomainEvent =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, EventTimeStamp: BASE + (n % HOURS) * 3600 + n, Reference: `v${v}` }) as DomainEvent;
/** The key prefix of hour partition `hour` (0 to 2) of the events. */
export const hourOf = (hour: number) => partitionPrefix(BASE + hour * 3600);
/** Whether a step compacts (archiving compacts first). */
export const compacts = (step: Step | undefined) => step?.op === 'compact' || step?.op === 'archive';
