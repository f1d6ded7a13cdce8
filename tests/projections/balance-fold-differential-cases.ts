// Random bank-event sequences for the differential tests of the balance fold (the domain's applyToState against the
// SQLite and DynamoDB projection stores), and the one comparison they all make.
//
// Why hand-made events instead of domain/generator.ts: the generator only makes tidy histories. The fold must agree on
// the untidy ones too: a verification before, after or without its deposit, the same identity with other content,
// transfers to the same account, amounts at the schema's edges (and "0.00", which only the schema refuses).

import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { formatAmount } from '../../domain/money.ts';
import type { ApplyOutcome, ProjectionStore } from '../../domain/ports/projection-store.ts';
import { applyToState, emptyState, type Projection, type ProjectionState } from '../../domain/projection.ts';
import { eventId } from '../../domain/event.ts';

/** Cases per property: EVENTLAKE_FUZZ_RUNS when set (e.g. 20000 for a hard local run), else `fallback`. */
export function differentialRuns(fallback: number): number {
  const explicit = Number(process.env['EVENTLAKE_FUZZ_RUNS']);
  return Number.isSafeInteger(explicit) && explicit > 0 ? explicit : fallback;
}

/** fast-check parameters: EVENTLAKE_FUZZ_SEED and EVENTLAKE_FUZZ_PATH replay a reported failure. */
export function differentialParams(fallbackRuns: number): fc.Parameters<unknown> {
  const seed = process.env['EVENTLAKE_FUZZ_SEED'];
  const path = process.env['EVENTLAKE_FUZZ_PATH'];
  return {
    numRuns: differentialRuns(fallbackRuns),
    includeErrorInReport: true,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(path === undefined ? {} : { path }),
  };
}

// The shortest and longest account numbers the schema allows, among ordinary ones: few accounts, so events collide.
const ACCOUNTS = ['DE44-5001-0517', 'NL91-ABNA-0417', 'A-00', 'Z'.repeat(34)];
// Few request ids: a deposit and a verification pair up often, and the same type with the same id is one identity.
const REQUEST_IDS = [
  '3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f',
  '018f2b6c-0000-7000-8000-000000000001',
  '018f2b6c-0000-7000-8000-000000000002',
  '9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d',
];

/** Amounts the schema allows at its edges, 2^53 cents and its neighbours, and "0.00" (refused by the schema only). */
const EDGE_AMOUNTS = [
  '0.00', '0.01', '0.99', '1.00', '9999999999999.99', '10000000000000.00',
  formatAmount(2n ** 53n - 1n), formatAmount(2n ** 53n), formatAmount(2n ** 53n + 1n), '999999999999999.99',
];

const amounts: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGE_AMOUNTS), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 100_000 }).map((c) => formatAmount(BigInt(c))), weight: 3 },
  { arbitrary: fc.bigInt({ min: 1n, max: 99_999_999_999_999_999n }).map(formatAmount), weight: 1 },
);

const TYPES = ['cash_deposit', 'verify_cash_deposit', 'cash_withdrawal', 'incoming_payment', 'inter_account_transfer'] as const;

/** One event of a built-in type (or, rarely, a type the projection does not handle), with the fields the fold reads. */
const events: fc.Arbitrary<DomainEvent> = fc.record({
  // Deposits and verifications weigh most: their pairing is where a store's related-record reads can go wrong.
  type: fc.oneof(
    { arbitrary: fc.constantFrom('cash_deposit', 'verify_cash_deposit'), weight: 6 },
    { arbitrary: fc.constantFrom(...TYPES), weight: 5 },
    { arbitrary: fc.constant('outgoing_mail'), weight: 1 },
  ),
  rid: fc.constantFrom(...REQUEST_IDS),
  source: fc.constantFrom(...ACCOUNTS),
  target: fc.constantFrom(...ACCOUNTS),
  amount: amounts,
  ts: fc.integer({ min: 0, max: 4_102_444_800 }),
  // Memos and rows carry the Reference through each store's JSON: quotes, escapes and astral characters included.
  reference: fc.oneof(fc.constantFrom('first', 'second', 'quote " and \\ backslash', 'emoji 💶 and \u2028 line separator'), fc.string({ unit: 'binary', maxLength: 140 })),
}).map(({ type, rid, source, target, amount, ts, reference }): DomainEvent => {
  const base = { EventType: type, SchemaVersion: 1, RequestId: rid, EventTimeStamp: ts, Amount: amount, Reference: reference };
  switch (type) {
    case 'cash_deposit': return { ...base, TargetAccount: target, LocationType: 'ATM', Verified: false };
    case 'verify_cash_deposit': return { ...base, TargetAccount: target, LocationType: 'Teller', Verified: true, VerifiedByEmployeeId: 'E-1' };
    case 'cash_withdrawal': return { ...base, SourceAccount: source, LocationType: 'ATM' };
    case 'incoming_payment': return { ...base, TargetAccount: target, SourceInstitution: 'Other Bank', SourceAccount: 'remote 0001' };
    case 'inter_account_transfer': return { ...base, SourceAccount: source, TargetAccount: target };
    default: return base;
  }
});

/** `count` incoming payments of the largest amount the schema allows (999999999999999.99) to DE44-5001-0517. */
export function largestPayments(count: number): DomainEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    EventType: 'incoming_payment', SchemaVersion: 1, RequestId: `018f2b6c-0000-7000-8000-${String(i).padStart(12, '0')}`,
    EventTimeStamp: 1_700_000_000 + i, TargetAccount: 'DE44-5001-0517', Amount: '999999999999999.99',
    SourceInstitution: 'Other Bank', SourceAccount: 'remote 0001',
  }));
}

/** A delivery: a new event, or an earlier one of the sequence again (the same event twice). */
const steps = fc.oneof({ arbitrary: events.map((e) => ({ event: e })), weight: 4 }, { arbitrary: fc.nat().map((again) => ({ again })), weight: 1 });

/** A random sequence of deliveries (up to `maxLength`). */
export function eventSequences(maxLength = 30): fc.Arbitrary<DomainEvent[]> {
  return fc.array(steps, { maxLength }).map((list) => {
    const out: DomainEvent[] = [];
    for (const s of list) {
      if ('event' in s) out.push(s.event);
      else if (out.length > 0) out.push(out[s.again % out.length]!);
    }
    return out;
  });
}

/** Sequences with one event per identity: where the first of two contents wins, delivery order matters by design. */
export function distinctSequences(maxLength = 30): fc.Arbitrary<DomainEvent[]> {
  return eventSequences(maxLength).map((events) => [...new Map(events.map((e) => [eventId(e), e])).values()]);
}

/** How a sequence is cut into apply calls: batch sizes, used in turn (a size of 0 is read as 1). */
export const batchSizes: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 6 });

/** `events` in consecutive batches of the given sizes. */
export function splitInto(events: readonly DomainEvent[], sizes: readonly number[]): DomainEvent[][] {
  const out: DomainEvent[][] = [];
  for (let i = 0, k = 0; i < events.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    out.push(events.slice(i, i + n));
    i += n;
  }
  return out;
}

/** The reference: `events` folded one by one into `state` by the domain; the outcome of each. */
export function referenceApply(state: ProjectionState, events: readonly DomainEvent[], projection: Projection = balancesProjection): ApplyOutcome[] {
  return events.map((e) => ({ id: eventId(e), status: applyToState(state, projection, e) }));
}

/** `events` applied to a store generation in the given batches (each batch flagged as a replay or not, alternately). */
export async function storeApply(store: ProjectionStore, projection: Projection, generation: number, batches: readonly DomainEvent[][], replayFirst: boolean): Promise<ApplyOutcome[]> {
  const out: ApplyOutcome[] = [];
  for (let i = 0; i < batches.length; i++) {
    out.push(...(await store.apply(projection, generation, batches[i]!, { replay: replayFirst !== (i % 2 === 1) })));
  }
  return out;
}

function sorted<V>(m: ReadonlyMap<string, V>): [string, V][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Balances, idempotency records (with memos) and rows of a store equal the reference's, exactly. */
export function assertSameState(actual: ProjectionState, expected: ProjectionState): void {
  assert.equal(sorted(actual.counters), sorted(expected.counters), 'balances (counters)');
  assert.equal(sorted(actual.applied), sorted(expected.applied), 'idempotency records and memos');
  assert.equal(sorted(actual.rows), sorted(expected.rows), 'rows');
}

/** The first property: `events` cut into batches of `sizes` leave a new generation of `projection` exactly as the reference fold. */
export async function checkAgainstReference(store: ProjectionStore, projection: Projection, events: DomainEvent[], sizes: number[], replay: boolean): Promise<void> {
  const expected = emptyState();
  const outcomes = referenceApply(expected, events, projection);
  const generation = await store.createGeneration(projection.name);
  assert.equal(await storeApply(store, projection, generation, splitInto(events, sizes), replay), outcomes, 'outcomes');
  assertSameState(await store.readState(projection.name, generation), expected);
}

/** The second property: a prefix (cut at `cut`), then the whole sequence again, equals the whole applied once. */
export async function checkPrefixThenWhole(store: ProjectionStore, events: DomainEvent[], cut: number, first: number[], second: number[]): Promise<void> {
  const prefix = events.slice(0, cut % (events.length + 1));
  const once = emptyState();
  referenceApply(once, events);
  const twice = emptyState();
  referenceApply(twice, prefix);
  const again = referenceApply(twice, events);
  assertSameState(twice, once);
  const generation = await store.createGeneration('balances');
  await storeApply(store, balancesProjection, generation, splitInto(prefix, first), true);
  assert.equal(await storeApply(store, balancesProjection, generation, splitInto(events, second), false), again, 'outcomes of the second pass');
  assertSameState(await store.readState('balances', generation), once);
}
