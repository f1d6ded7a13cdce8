// Contract of the ProjectionStore port: every adapter (SQLite, DynamoDB) must pass these, through the port alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { balancesProjection } from '../../domain/balances.ts';
import { eventId } from '../../domain/event.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import { foldEvents } from '../../domain/projection.ts';
import type { Projection, ProjectionState } from '../../domain/projection.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { SAMPLES } from '../support/samples.ts';

export interface ProjectionStoreContractOptions {
  /** fast-check runs of the fold-equality property (default 50; lower it for slow remote stores). */
  readonly propertyRuns?: number;
}

interface Subject { store: ProjectionStore; cleanup?: (() => Promise<void>) | undefined }

const ACCOUNT = 'DE44-5001-0517';
const deposit = SAMPLES['cash_deposit']!;
const verify = SAMPLES['verify_cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!;
const payment = SAMPLES['incoming_payment']!;
const transfer = SAMPLES['inter_account_transfer']!;
const unknownType: DomainEvent = { EventType: 'outgoing_mail', SchemaVersion: 1, RequestId: deposit.RequestId, EventTimeStamp: 1 };

/** A projection with rows: one statement line per event, partitioned by account. */
const statement: Projection = {
  name: 'contract_statement', version: 1,
  handles: (e) => typeof e['Amount'] === 'string',
  related: () => [],
  decide: (e) => {
    const account = String(e['TargetAccount'] ?? e['SourceAccount']);
    return { rows: [{ key: `${account}#${e.EventTimeStamp}#${eventId(e)}`, partition: account, value: { type: e.EventType, amount: String(e['Amount']) } }] };
  },
};

function sorted<V>(m: Map<string, V>): [string, V][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function assertSameState(actual: ProjectionState, expected: ProjectionState): void {
  assert.equal(sorted(actual.counters), sorted(expected.counters), 'counters');
  assert.equal(sorted(actual.rows), sorted(expected.rows), 'rows');
  assert.equal(sorted(actual.applied), sorted(expected.applied), 'applied records');
}

/**
 * Runs the ProjectionStore contract against a fresh store from `makeSubject` per test.
 *
 * @example
 * projectionStoreContract('SqliteProjectionStore', async () => ({ subject: new SqliteProjectionStore(join(tempDir(), 'p.db')) }));
 */
export function projectionStoreContract(
  name: string,
  makeSubject: () => Promise<{ subject: ProjectionStore; cleanup?: () => Promise<void> }>,
  options: ProjectionStoreContractOptions = {},
): void {
  const test = suite<Subject>(`ProjectionStore contract: ${name}`, { store: undefined as unknown as ProjectionStore });
  test.before.each(async (ctx) => {
    const made = await makeSubject();
    ctx.store = made.subject;
    ctx.cleanup = made.cleanup;
  });
  test.after.each(async (ctx) => ctx.cleanup?.());

  const balance = (store: ProjectionStore) => store.counter('balances', 1, ACCOUNT);

  test('a projection never rebuilt is served from generation 1', async ({ store }) => {
    assert.is(await store.liveGeneration('balances'), 1);
  });

  test('apply returns one outcome per event, in input order, with its identity', async ({ store }) => {
    const out = await store.apply(balancesProjection, 1, [payment, unknownType, payment]);
    assert.equal(out, [{ id: eventId(payment), status: 'applied' }, { id: eventId(unknownType), status: 'skipped' }, { id: eventId(payment), status: 'duplicate' }]);
    assert.equal(await store.apply(balancesProjection, 1, []), []);
  });

  test('an applied event changes the balance and records its idempotency key', async ({ store }) => {
    await store.apply(balancesProjection, 1, [payment]);
    assert.is(await balance(store), 12345n);
    assert.equal(await store.appliedRecord('balances', 1, eventId(payment)), { replay: false });
  });

  test('a duplicate delivery leaves balances unchanged', async ({ store }) => {
    await store.apply(balancesProjection, 1, [payment, withdrawal]);
    const [again] = await store.apply(balancesProjection, 1, [payment]);
    assert.is(again?.status, 'duplicate');
    assert.is(await balance(store), 12345n - 20000n);
  });

  test('an event the projection does not handle is skipped and leaves no idempotency key', async ({ store }) => {
    const [out] = await store.apply(balancesProjection, 1, [unknownType]);
    assert.is(out?.status, 'skipped');
    assert.is(await store.appliedRecord('balances', 1, eventId(unknownType)), undefined);
    assert.equal(await store.counters('balances', 1), new Map());
  });

  test('the replay flag is recorded with each idempotency key', async ({ store }) => {
    await store.apply(balancesProjection, 1, [payment], { replay: true });
    await store.apply(balancesProjection, 1, [withdrawal]);
    assert.equal(await store.appliedRecord('balances', 1, eventId(payment)), { replay: true });
    assert.equal(await store.appliedRecord('balances', 1, eventId(withdrawal)), { replay: false });
  });

  test('a verification after its deposit replaces the deposited amount with the verified one', async ({ store }) => {
    await store.apply(balancesProjection, 1, [deposit]);
    assert.is(await balance(store), 12345n);
    await store.apply(balancesProjection, 1, [verify]);
    assert.is(await balance(store), 12340n);
  });

  test('a verification before its deposit: the late deposit credits nothing', async ({ store }) => {
    await store.apply(balancesProjection, 1, [verify]);
    await store.apply(balancesProjection, 1, [deposit]);
    assert.is(await balance(store), 12340n);
  });

  test('a deposit and its verification in one batch, either order, end at the verified amount', async ({ store }) => {
    const other = await store.createGeneration('balances');
    await store.apply(balancesProjection, 1, [verify, deposit]);
    await store.apply(balancesProjection, other, [deposit, verify]);
    assert.is(await balance(store), 12340n);
    assert.is(await store.counter('balances', other, ACCOUNT), 12340n);
  });

  test('a batch re-delivering a stored deposit with its new verification applies only the verification', async ({ store }) => {
    await store.apply(balancesProjection, 1, [deposit, payment]);
    const outcomes = await store.apply(balancesProjection, 1, [deposit, verify, payment], { replay: true });
    assert.equal(outcomes.map((o) => o.status), ['duplicate', 'applied', 'duplicate']);
    assertSameState(await store.readState('balances', 1), foldEvents(balancesProjection, [deposit, payment, verify]));
    assert.equal(await store.appliedRecord('balances', 1, eventId(deposit)), { replay: false });
  });

  test('a transfer debits the source and credits the target', async ({ store }) => {
    await store.apply(balancesProjection, 1, [transfer]);
    assert.equal(await store.counters('balances', 1), new Map([[ACCOUNT, -12345n], ['NL91-ABNA-0417', 12345n]]));
  });

  test('a counter holds integers beyond 2^53 exactly', async ({ store }) => {
    const big: Projection = { name: 'big', version: 1, handles: () => true, related: () => [], decide: () => ({ counters: [{ key: 'k', delta: 2n ** 62n + 1n }] }) };
    await store.apply(big, 1, [payment]);
    assert.is(await store.counter('big', 1, 'k'), 2n ** 62n + 1n);
  });

  test('rows are upserted and read per partition in key order', async ({ store }) => {
    await store.apply(statement, 1, [withdrawal, payment, transfer, deposit]);
    const rows = await store.rows('contract_statement', 1, ACCOUNT);
    assert.equal(rows.map((r) => r.value['type']), ['cash_deposit', 'cash_withdrawal', 'incoming_payment']);
    assert.equal(rows[0], { key: `${ACCOUNT}#1234567890#${eventId(deposit)}`, partition: ACCOUNT, value: { type: 'cash_deposit', amount: '123.45' } });
    assert.equal(await store.rows('contract_statement', 1, 'nobody'), []);
  });

  test('generations are independent: applying to one leaves another untouched', async ({ store }) => {
    const next = await store.createGeneration('balances');
    await store.apply(balancesProjection, next, [payment]);
    assert.is(await balance(store), undefined);
    assert.is(await store.counter('balances', next, ACCOUNT), 12345n);
    assert.is(await store.appliedRecord('balances', 1, eventId(payment)), undefined);
  });

  test('createGeneration numbers each new generation above every existing one', async ({ store }) => {
    const a = await store.createGeneration('balances');
    const b = await store.createGeneration('balances');
    assert.ok(a > 1 && b > a, `${a}, ${b}`);
    assert.is(await store.liveGeneration('balances'), 1);
  });

  test('createGeneration never returns a generation that already holds data', async ({ store }) => {
    await store.apply(balancesProjection, 5, [payment]);
    assert.ok((await store.createGeneration('balances')) > 5);
  });

  test('promote serves reads from the promoted generation', async ({ store }) => {
    const next = await store.createGeneration('balances');
    await store.promote('balances', next);
    assert.is(await store.liveGeneration('balances'), next);
    await store.promote('balances', 1);
    assert.is(await store.liveGeneration('balances'), 1);
  });

  test('dropGeneration removes its state and idempotency keys', async ({ store }) => {
    const next = await store.createGeneration('balances');
    await store.apply(balancesProjection, next, [payment]);
    await store.setCheckpoint('balances', next, { position: 1 });
    await store.dropGeneration('balances', next);
    assert.equal((await store.readState('balances', next)).applied.size, 0);
    assert.is(await store.counter('balances', next, ACCOUNT), undefined);
    assert.is(await store.getCheckpoint('balances', next), undefined);
  });

  test('a dropped generation\'s number is never handed out again', async ({ store }) => {
    const dropped = await store.createGeneration('balances');
    await store.dropGeneration('balances', dropped);
    assert.ok((await store.createGeneration('balances')) > dropped);
  });

  test('the live generation cannot be dropped', async ({ store }) => {
    await rejects(() => store.dropGeneration('balances', 1), InvalidArgumentError);
    assert.is(await store.liveGeneration('balances'), 1);
  });

  test('a rebuild checkpoint is kept per generation, absent until set', async ({ store }) => {
    assert.is(await store.getCheckpoint('balances', 2), undefined);
    await store.setCheckpoint('balances', 2, { position: 7, key: 'x' });
    await store.setCheckpoint('balances', 2, { position: 9, key: 'y' });
    assert.equal(await store.getCheckpoint('balances', 2), { position: 9, key: 'y' });
    assert.is(await store.getCheckpoint('balances', 3), undefined);
  });

  test('folds with other rules are recorded per generation: the first rules and time stay, the events add up', async ({ store }) => {
    assert.is(await store.foreignFold!('balances', 1), undefined);
    await store.noteForeignFold!('balances', 1, { rules: 'balances v1 aaaaaaaaaaaa', firstAt: 1000, events: 5 });
    await store.noteForeignFold!('balances', 1, { rules: 'balances v1 bbbbbbbbbbbb', firstAt: 2000, events: 2 });
    assert.equal(await store.foreignFold!('balances', 1), { rules: 'balances v1 aaaaaaaaaaaa', firstAt: 1000, events: 7 });
    assert.is(await store.foreignFold!('balances', 2), undefined);
    assert.is(await store.foreignFold!('statement', 1), undefined);
  });

  test('dropGeneration removes its record of folds with other rules', async ({ store }) => {
    const next = await store.createGeneration('balances');
    await store.noteForeignFold!('balances', next, { rules: 'balances v1 aaaaaaaaaaaa', firstAt: 1000, events: 1 });
    await store.dropGeneration('balances', next);
    assert.is(await store.foreignFold!('balances', next), undefined);
  });

  test('a batch that throws part-way converges when the good events are applied again', async ({ store }) => {
    const broken = { ...withdrawal, RequestId: '00000000-0000-4000-8000-000000000001', Amount: 'not money' };
    await rejects(() => store.apply(balancesProjection, 1, [payment, broken, transfer]), Error);
    assert.is(await store.appliedRecord('balances', 1, eventId(broken)), undefined);
    await store.apply(balancesProjection, 1, [payment, transfer]);
    assertSameState(await store.readState('balances', 1), foldEvents(balancesProjection, [payment, transfer]));
  });

  test('forEachApplied, where a store offers it, visits exactly the idempotency records readState holds', async ({ store }) => {
    await store.apply(balancesProjection, 1, [deposit, payment, verify, transfer]);
    const whole = await store.readState('balances', 1);
    assert.ok(whole.applied.size >= 4);
    if (!store.forEachApplied) return;
    const visited = new Map<string, unknown>();
    await store.forEachApplied('balances', 1, (id, memo) => visited.set(id, memo));
    assert.equal(sorted(visited), sorted(whole.applied).map(([id, r]) => [id, r.memo]));
    const lean = await store.readState('balances', 1, { applied: false });
    assert.equal([sorted(lean.counters), sorted(lean.rows)], [sorted(whole.counters), sorted(whole.rows)]);
  });

  test('readStateStreamed, where a store offers it, visits exactly the rows readState holds and returns its counters', async ({ store }) => {
    await store.apply(statement, 1, [deposit, payment, transfer]);
    await store.apply(balancesProjection, 1, [deposit, payment, transfer]);
    assert.is((await store.readState('contract_statement', 1)).rows.size, 3);
    if (!store.readStateStreamed) return;
    for (const name of ['contract_statement', 'balances']) {
      const whole = await store.readState(name, 1);
      const visited = new Map<string, unknown>();
      const counters = await store.readStateStreamed(name, 1, (key, row) => {
        assert.not.ok(visited.has(key), `${key} visited twice`);
        visited.set(key, row);
      });
      assert.equal(sorted(visited), sorted(whole.rows), name);
      assert.equal(sorted(counters), sorted(whole.counters), name);
    }
    const next = await store.createGeneration('contract_statement');
    await store.apply(statement, next, [withdrawal]);
    const other: string[] = [];
    await store.readStateStreamed('contract_statement', next, (key) => other.push(key));
    assert.equal(other, [...(await store.readState('contract_statement', next)).rows.keys()], 'each generation streams its own rows');
    assert.is(other.length, 1);
  });

  test('readState equals foldEvents over the same events, shuffled and duplicated (property)', async ({ store }) => {
    // A small pool picked with repeats, so duplicates and deposit/verification pairs in one batch are frequent.
    const pool = generateEvents({ accounts: 6, days: 1, eventsPerDay: 30, start: 1_700_000_000, seed: 7 });
    const arbitrary = fc.record({
      picks: fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 80 }),
      cuts: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 6 }),
    });
    await fc.assert(fc.asyncProperty(arbitrary, async ({ picks, cuts }) => {
      const events = picks.map((i) => pool[i]!);
      const generation = await store.createGeneration('balances');
      for (let at = 0, c = 0; at < events.length; c++) {
        const size = cuts[c % cuts.length]!;
        await store.apply(balancesProjection, generation, events.slice(at, at + size));
        at += size;
      }
      assertSameState(await store.readState('balances', generation), foldEvents(balancesProjection, events));
    }), { numRuns: options.propertyRuns ?? 50 });
  });

  test.run();
}
