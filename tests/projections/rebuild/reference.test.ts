// Verifying a fresh rebuild against the log from its replay's own fold (reference.ts): when that fold may stand for
// a second read of the log, and that verification still fails on a wrong store, a missed event or a wrong order.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId } from '../../../domain/event.ts';
import type { AppliedRecord, Projection } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { forReading, replayEntriesIn } from '../../../projections/rebuild/deps.ts';
import type { ReplayEntry } from '../../../projections/rebuild/deps.ts';
import { EventReader } from '../../../projections/rebuild/read-events.ts';
import { CompactAppliedRecords } from '../../../domain/compact-applied-records.ts';
import { ReplayReference } from '../../../projections/rebuild/reference.ts';
import { verifyGeneration } from '../../../projections/rebuild/verify.ts';
import { buildScenario } from '../../support/fakes/scenario.ts';
import type { MemoryLake } from '../../support/fakes/memory-lake.ts';

const test = suite('rebuild verification from the replay\'s fold');

const FROM_REPLAY = "as the rebuild's replay read it";
const READ_AGAIN = 'read again';

const balances = (lake: MemoryLake): Projection => lake.projections.find((p) => p.name === 'balances')!;
const totalReads = (lake: MemoryLake): number => [...lake.log.reads.values()].reduce((a, b) => a + b, 0);

/** Every entry up to the last position, in replay order, with its event read from the log. */
async function replaySet(lake: MemoryLake): Promise<{ entries: ReplayEntry[]; events: DomainEvent[]; mark: number }> {
  const mark = await lake.index.lastPosition();
  const entries = (await replayEntriesIn(lake.index, { after: 0, upTo: mark })).sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await lake.archive.restore([...new Set(entries.filter((e) => e.storageClass !== 'STANDARD').map((e) => e.location.key))], { tier: 'Standard', days: 1 });
  const events = await new EventReader(lake).read(forReading(entries));
  return { entries, events, mark };
}

test('a fresh rebuild from nothing is verified against the log from its replay\'s fold, without reading the log again', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  const reads = totalReads(lake);
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.ok(check.passed);
  assert.match(check.reference, FROM_REPLAY);
  assert.is(totalReads(lake), reads, 'no object of the log was read by the verification');
});

test('the replay\'s fold serves one verification; the next one reads the log again and agrees', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'statement', from: 0 }));
  const first = await coordinator.verify('statement', built.generation, 'log');
  const second = await coordinator.verify('statement', built.generation, 'log');
  assert.match(first.reference, FROM_REPLAY);
  assert.not.match(second.reference, FROM_REPLAY);
  assert.equal([first.passed, second.passed, first.accounts, first.rows], [true, true, second.accounts, second.rows]);
});

test('a store tampered with after a fresh rebuild fails against the replay\'s fold, with a per-account diff', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  const state = await lake.store.readState('balances', built.generation);
  const [account, cents] = [...state.counters].sort()[0]!;
  state.counters.set(account, cents - 100n);
  lake.store.setState('balances', built.generation, state);
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.match(check.reference, FROM_REPLAY);
  assert.not.ok(check.passed);
  assert.equal(check.differences, [{ kind: 'counter', account, key: account, expected: String(cents), actual: String(cents - 100n) }]);
});

test('a store that lost an idempotency record fails, though its counters are right', async () => {
  const { lake } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  const state = await lake.store.readState('balances', built.generation);
  state.applied.delete([...state.applied.keys()][0]!);
  lake.store.setState('balances', built.generation, state);
  const check = await coordinator.verify('balances', built.generation, 'log');
  assert.not.ok(check.passed);
  assert.equal(check.differences.map((d) => [d.kind, d.account]), [['applied', '(idempotency records)']]);
  assert.match(check.differences[0]!.expected!, `${state.applied.size + 1} records`);
  assert.match(check.differences[0]!.actual!, `${state.applied.size} records`);
});

test('a replay that skipped an event is caught: its fold agrees with the store, the index does not, so the log is read again', async () => {
  const { lake } = await buildScenario({ deepDays: 0, glacierDays: 0 });
  const projection = balances(lake);
  const { entries, events, mark } = await replaySet(lake);
  const skipped = events.findIndex((e) => e.EventType === 'incoming_payment');
  const [entriesRead, eventsRead] = [entries.filter((_, i) => i !== skipped), events.filter((_, i) => i !== skipped)];
  const generation = await lake.store.createGeneration('balances');
  await lake.store.apply(projection, generation, eventsRead, { replay: true });
  const replayed = new ReplayReference(projection, generation, { after: 0, upTo: mark });
  replayed.startPass();
  replayed.observe(entriesRead, eventsRead);
  replayed.finish(mark);
  const check = await verifyGeneration(lake, { projection, generation, against: 'log', mark, reader: new EventReader(lake), replayed });
  assert.match(check.reference, READ_AGAIN);
  assert.not.ok(check.passed);
  const account = String(events[skipped]!['TargetAccount']);
  assert.equal(check.differences.map((d) => d.account), [account]);
});

test('a fold of events out of replay order, read twice, or not the ones their entries name cannot stand for the log', async () => {
  const { lake } = await buildScenario({ deepDays: 0, glacierDays: 0 });
  const projection = balances(lake);
  const { entries, events, mark } = await replaySet(lake);
  const fold = (es: ReplayEntry[], evs: DomainEvent[]) => {
    const r = new ReplayReference(projection, 2, { after: 0, upTo: mark });
    r.startPass();
    r.observe(es, evs);
    r.finish(mark);
    return r.unusableFor(mark);
  };
  assert.is(fold(entries, events), undefined);
  const swapped = [entries[1]!, entries[0]!, ...entries.slice(2)];
  assert.match(fold(swapped, [events[1]!, events[0]!, ...events.slice(2)]) ?? '', 'not in replay order');
  assert.match(fold([entries[0]!, ...entries], [events[0]!, ...events]) ?? '', 'not in replay order, or twice');
  assert.match(fold(entries, [events[1]!, ...events.slice(1)]) ?? '', `read ${eventId(events[1]!)} for index entry ${entries[0]!.id}`);
});

test('a fold that did not reach the generation\'s mark, or ran in two passes, cannot stand for the log', async () => {
  const { lake } = await buildScenario({ deepDays: 0, glacierDays: 0 });
  const projection = balances(lake);
  const { mark } = await replaySet(lake);
  const unfinished = new ReplayReference(projection, 2, { after: 0, upTo: mark });
  assert.match(unfinished.unusableFor(mark) ?? '', 'did not finish');
  const twice = new ReplayReference(projection, 2, { after: 0, upTo: mark });
  twice.startPass();
  twice.startPass();
  twice.finish(mark);
  assert.match(twice.unusableFor(mark) ?? '', 'more than one pass');
  const fromSnapshot = new ReplayReference(projection, 2, { after: 10, upTo: mark });
  fromSnapshot.finish(mark);
  assert.match(fromSnapshot.unusableFor(mark) ?? '', 'snapshot');
});

test('a rebuild from a snapshot, or a resumed one, is verified against the log by reading it again', async () => {
  const { lake, endOfDay } = await buildScenario();
  const coordinator = new RebuildCoordinator(lake, lake.projections);
  const fromSnapshot = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: endOfDay(1) }));
  const check = await coordinator.verify('balances', fromSnapshot.generation, 'log');
  assert.ok(check.passed);
  assert.not.match(check.reference, FROM_REPLAY);
  const plan = await coordinator.plan({ projection: 'statement', from: 0 });
  const crash = new Error('killed');
  assert.is(await coordinator.rebuild(plan, { batchSize: 10, onBatch: (n) => { if (n === 2) throw crash; } }).catch((e: unknown) => e), crash);
  const resumed = await coordinator.rebuild(plan, { batchSize: 10 });
  assert.ok(resumed.resumed);
  const again = await coordinator.verify('statement', resumed.generation, 'log');
  assert.ok(again.passed);
  assert.not.match(again.reference, FROM_REPLAY);
});

test('the fold\'s compact idempotency records behave as a Map of the same records', () => {
  const records = new CompactAppliedRecords();
  const plain: AppliedRecord = { id: 'incoming_payment_1', memo: null };
  const withMemo: AppliedRecord = { id: 'cash_deposit_2', memo: { account: 'ACC-1', amount: '1.00', ts: 1 } };
  records.set(plain.id, plain).set(withMemo.id, withMemo);
  assert.equal([records.size, records.has(plain.id), records.has('other'), records.get('other')], [2, true, false, undefined]);
  assert.equal(records.get(plain.id), plain);
  assert.equal(records.get(withMemo.id), withMemo);
  const asMap = new Map([[plain.id, plain], [withMemo.id, withMemo]]);
  const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  assert.equal(sorted(records), sorted(asMap));
  assert.equal([...records.keys()].sort(), [...asMap.keys()].sort());
  records.set(plain.id, { id: plain.id, memo: { now: 'kept' } });
  assert.equal(records.get(plain.id), { id: plain.id, memo: { now: 'kept' } });
  assert.is(records.size, 2);
  assert.ok(records.delete(withMemo.id));
  records.clear();
  assert.is(records.size, 0);
});

test.run();
