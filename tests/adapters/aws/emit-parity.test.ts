// Emitting on AWS answers re-sent events as the local runtime does: each rule below runs on both targets.
//
// On AWS the indexer and projector Lambdas index and project what an emit stored; `settle` does their work here
// (index the stored objects, apply their events to the balances projection by exact id, as the Lambdas do).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import { partitionPrefix, type DomainEvent } from '../../../domain/event.ts';
import type { LocatedEvent } from '../../../domain/ports/event-log.ts';
import { compactHour } from '../../../projections/compactor.ts';
import type { EmitResult } from '../../../projections/eventlake.ts';
import type { EventlakeRuntime } from '../../../projections/runtime.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target } from '../../support/s3rver.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

interface Target {
  readonly rt: EventlakeRuntime;
  /** Index and project what `results` stored (locally the emit did it already). */
  settle(results: readonly EmitResult[]): Promise<void>;
}

const deposit = SAMPLES['cash_deposit']! as DomainEvent;
const upper = { ...deposit, RequestId: deposit.RequestId.toUpperCase() };
const account = String(deposit['TargetAccount']);

/** The runtime's clock (epoch ms), for the tests that move it. */
interface Options { readonly now?: () => number }

async function local(options: Options = {}): Promise<Target> {
  return { rt: await openLocalEventlake({ dataDir: tempDir(), ...options }), settle: async () => {} };
}

async function aws(options: Options = {}): Promise<Target> {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'index'), db.createTable(CONTROL_TABLE, 'control')]);
  const rt = await openAwsEventlake({
    bucket: s3.bucket, indexTable, controlTable, tablePrefix: db.uniqueName('proj'), pointInTimeRecovery: db.pitr,
    clients: { s3: s3.client, dynamodb: db.client }, ...options,
  });
  return {
    rt,
    async settle(results) {
      for (const { key } of results.filter((r) => r.status === 'stored')) {
        const located: LocatedEvent[] = [];
        for await (const l of rt.log.readObject(key)) located.push(l);
        await rt.index.put(located.map((l) => indexEntryOf(l)));
        await rt.store.apply(balancesProjection, await rt.store.liveGeneration('balances'), located.map((l) => l.event));
      }
    },
  };
}

/** `emit`, then what the target does with the stored events. */
async function emit(t: Target, input: unknown): Promise<EmitResult[]> {
  const results = await t.rt.lake.emit(input);
  await t.settle(results);
  return results;
}

/** An event stored before RequestIds were lower-cased: append() stores the id it is given, as emit did then. */
async function storeLegacy(t: Target, event: DomainEvent): Promise<EmitResult> {
  const results = await t.rt.lake.append([event]);
  await t.settle(results);
  return results[0]!;
}

for (const [name, open] of [['local', local], ['aws', aws]] as const) {
  const test = suite(`re-sent events on ${name}`);
  const on = (fn: (t: Target) => Promise<void>, options: Options = {}) => async () => {
    const t = await open(options);
    try {
      await fn(t);
    } finally {
      await t.rt.close();
    }
  };

  test('a legacy upper-case RequestId re-sent in upper case is found as already stored', on(async (t) => {
    const stored = await storeLegacy(t, upper);
    const [again] = await emit(t, upper);
    assert.equal([again!.status, again!.id, again!.key], ['duplicate', stored.id, stored.key]);
  }));

  test('a legacy upper-case RequestId re-sent in lower case is found as already stored', on(async (t) => {
    const stored = await storeLegacy(t, upper);
    const [again] = await emit(t, deposit);
    assert.equal([again!.status, again!.id, again!.key], ['duplicate', stored.id, stored.key]);
  }));

  test('a legacy event re-sent in either case is counted once by the balances projection', on(async (t) => {
    await storeLegacy(t, upper);
    await emit(t, [upper]);
    await emit(t, [deposit]);
    assert.is(await t.rt.lake.balance(account), String(deposit['Amount']));
    assert.is(await t.rt.index.count(), 1);
  }));

  test('a new event given in upper case is stored under its lower-case RequestId', on(async (t) => {
    const [first] = await emit(t, upper);
    assert.equal([first!.status, first!.id], ['stored', `cash_deposit_${deposit.RequestId.toLowerCase()}`]);
  }));

  test('an event re-sent after compaction moved it into a segment is a duplicate, not a second copy', on(async (t) => {
    await emit(t, deposit);
    const { written } = await compactHour({ log: t.rt.log, index: t.rt.index }, partitionPrefix(deposit.EventTimeStamp));
    const [again] = await emit(t, deposit);
    assert.equal([again!.status, again!.key], ['duplicate', written]);
  }));

  test('a RequestId re-used with another EventTimeStamp (another hour) is refused as a conflict', on(async (t) => {
    await emit(t, deposit);
    const error = await rejects(() => emit(t, { ...deposit, EventTimeStamp: deposit.EventTimeStamp + 7200 }), EventConflictError);
    assert.is(error.code, 'EVENT_CONFLICT');
    assert.is(await t.rt.index.count(), 1);
  }));

  const tenDaysAhead = Date.now() + 10 * 86_400_000;
  test('an EventTimeStamp is checked against the runtime\'s clock (now), not the wall clock', on(async (t) => {
    const [result] = await emit(t, { ...deposit, EventTimeStamp: Math.floor(tenDaysAhead / 1000) });
    assert.is(result!.status, 'stored');
  }, { now: () => tenDaysAhead }));

  test.run();
}
