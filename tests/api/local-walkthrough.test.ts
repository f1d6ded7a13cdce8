// A platform engineer's program on the embedded default, written against the package entries only (`eventlake`,
// `eventlake/local`), as docs/typescript-api.md shows it: each rule is something that program relies on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArchivedEventError, ArchiveRunInProgressError, BatchRejectedError, IndexLostError, parseAmount, RebuildCoordinator,
  RebuildInProgressError, runLifecycle, SchemaValidationError, schemaColumns, UnknownEventTypeError,
  type BalanceRule, type DomainEvent, type LocalEventlake,
} from 'eventlake';
import { DuckDbEventQuery, openLocalEventlake } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const SCHEMAS = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'examples/outgoing-payment/schemas');
const outgoingPayment: BalanceRule = {
  decide: (e: DomainEvent) => ({ counters: [{ key: String(e['SourceAccount']), delta: -parseAmount(String(e['Amount'])) }] }),
};
const DEPOSIT = {
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000, TargetAccount: 'DE44-5001-0517', Amount: '123.45',
  LocationType: 'ATM', Verified: false, Currency: { '100-euro-bills': 1, '20-euro-bills': 1, '1-euro-coins': 3, '20-cents': 2, '5-cents': 1 },
};
const PAYMENT = {
  EventType: 'outgoing_payment', SchemaVersion: 1, EventTimeStamp: 1714000300, SourceAccount: 'DE44-5001-0517', Amount: '20.00',
  TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent',
};

async function withUserLake(fn: (local: LocalEventlake, dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = tempDir('eventlake-api-');
  const local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS], balanceRules: { outgoing_payment: outgoingPayment } });
  try {
    await local.lake.emit([DEPOSIT, PAYMENT]);
    await fn(local, dataDir);
  } finally {
    await local.close();
  }
}

const test = suite('api: the embedded default from the package entries');

test('an invalid emit is a BatchRejectedError whose failures carry the typed error and every bad field', () => withUserLake(async (local) => {
  const rejected = await local.lake.emit([{ ...DEPOSIT, Amount: '12' }, { ...DEPOSIT, EventType: 'cash_deposits' }]).then(() => undefined, (e: unknown) => e);
  assert.instance(rejected, BatchRejectedError);
  const { failures, code } = rejected as BatchRejectedError;
  assert.is(code, 'BATCH_REJECTED');
  assert.instance(failures[0]!.error, SchemaValidationError);
  assert.equal((failures[0]!.error as SchemaValidationError).issues.map((i) => i.pointer), ['/Amount']);
  assert.instance(failures[1]!.error, UnknownEventTypeError);
  assert.is(failures[1]!.error.code, 'UNKNOWN_EVENT_TYPE');
}));

test('a user type loaded from its schema folder is folded by its balance rule', () => withUserLake(async (local) => {
  assert.is(await local.lake.balance('DE44-5001-0517'), '103.45');
}));

test('DuckDB reads a user type\'s fields as columns when given schemaColumns of the registry', () => withUserLake(async (local, dataDir) => {
  const query = new DuckDbEventQuery({ dataDir, extraColumns: schemaColumns(local.registry).columns });
  try {
    const r = await query.sql('SELECT Reference FROM events WHERE EventType = ?', ['outgoing_payment']);
    assert.equal(r.rows, [{ Reference: 'rent' }]);
  } finally {
    await query.close();
  }
}));

test('a rebuild from a snapshot verifies against the log and is promoted; a second one at once is refused by class', () => withUserLake(async (local) => {
  const snapshot = await local.snapshots.take('balances', await local.store.liveGeneration('balances'), await local.dispatchedPosition());
  const rebuilds = new RebuildCoordinator(local, local.projections);
  const plan = await rebuilds.plan({ projection: 'balances', from: snapshot.takenAt, against: ['log'] });
  assert.is(plan.snapshot?.id, snapshot.id);
  const outcomes = await Promise.allSettled([rebuilds.rebuild(plan), rebuilds.rebuild(plan)]);
  const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
  assert.ok(refused.length === 1 && refused[0] instanceof RebuildInProgressError, 'one of the two rebuilds is refused');
  const built = outcomes.find((o) => o.status === 'fulfilled')!.value;
  const check = await rebuilds.verify('balances', built.generation, 'log');
  assert.ok(check.passed);
  await rebuilds.promote('balances', built.generation, [check]);
  assert.is(await local.store.liveGeneration('balances'), built.generation);
  assert.is(await local.lake.balance('DE44-5001-0517'), '103.45');
}));

test('runLifecycle on the runtime archives old hours, under a lease a second run is refused by', () => withUserLake(async (local) => {
  const outcomes = await Promise.allSettled([runLifecycle(local, { now: Date.now() }), runLifecycle(local, { now: Date.now() })]);
  const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
  assert.ok(refused.length === 1 && refused[0] instanceof ArchiveRunInProgressError, 'one of the two runs is refused');
  assert.is(outcomes.find((o) => o.status === 'fulfilled')!.value.hoursCompacted, 1);
  const archived = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD');
  assert.is(archived.length, 1);
  for await (const entry of local.index.between({ from: 0, to: 2_000_000_000 })) {
    const read = await local.log.read(entry.location).then(() => undefined, (e: unknown) => e);
    assert.instance(read, ArchivedEventError);
  }
}));

test('a restore makes archived events readable to SQL again', () => withUserLake(async (local, dataDir) => {
  await runLifecycle(local, { now: Date.now() });
  const keys = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key);
  const query = new DuckDbEventQuery({ dataDir });
  try {
    assert.equal((await query.sql('SELECT count(*) AS n FROM events')).unreadable, keys);
    await local.archive.restore(keys, { tier: 'Bulk', days: 1 });
    // Polled as on S3: locally the poll is also what completes a restore that came due (here at once).
    assert.equal((await local.archive.storage(keys)).map((s) => s.restore), ['RESTORED']);
    const r = await query.sql('SELECT count(*) AS n FROM events');
    assert.equal([r.rows, r.unreadable], [[{ n: 2 }], []]);
  } finally {
    await query.close();
  }
}));

test('a data dir that lost index.db is refused at open with IndexLostError, naming the repair', async () => {
  const dataDir = tempDir('eventlake-api-');
  const local = await openLocalEventlake({ dataDir });
  await local.lake.emit(DEPOSIT);
  await local.close();
  rmSync(join(dataDir, 'index.db'));
  const opened = await openLocalEventlake({ dataDir }).then(async (l) => { await l.close(); return undefined; }, (e: unknown) => e);
  assert.instance(opened, IndexLostError);
  assert.match((opened as IndexLostError).message, 'repair index');
});

test.run();
