// A live generation folded by a process with other rules (an old client without the extensions module, emitting into a
// shared data dir) is flagged on the generation, for every viewer: status names it, balance warns, a rebuild clears it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/index.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { warnForeignFold } from '../../cli/balance-hint.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { outgoingPaymentRule } from '../../examples/outgoing-payment/balance-rule.ts';
import { tempDir } from '../support/tmp.ts';

// One lake for the tests of an old client's fold (opening one is most of their cost); the rebuild that clears it runs last.
const test = suite<{ full: LocalEventlake }>('folds with other rules', { full: undefined as unknown as LocalEventlake });

const SCHEMAS = resolve(fileURLToPath(new URL('../../examples/outgoing-payment/schemas', import.meta.url)));
const ACCOUNT = 'DE44-5001-0517';
const salary: DomainEvent = { EventType: 'incoming_payment', SchemaVersion: 1, RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', EventTimeStamp: 1714000000, TargetAccount: ACCOUNT, Amount: '2500.00', SourceInstitution: 'Employer Bank', SourceAccount: 'EMP-0001', Reference: 'salary' };
const rent: DomainEvent = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: ACCOUNT, Amount: '1200.00', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' };

/** With the outgoing_payment rule (the full environment), or without it (an old client). */
const open = (dataDir: string, withRule: boolean): Promise<LocalEventlake> =>
  openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS], now: () => 1_714_100_000_000, ...(withRule ? { balanceRules: { outgoing_payment: outgoingPaymentRule } } : {}) });

/**
 * A lake the full environment folded a salary into, then a second runtime (`secondHasRule`) emitted the rent into;
 * answers the full environment's runtime, still open (close it).
 */
async function sharedLake(secondHasRule: boolean, second: DomainEvent = rent): Promise<LocalEventlake> {
  const dataDir = join(tempDir(), 'lake');
  const full = await open(dataDir, true);
  await full.lake.emit(salary);
  const other = await open(dataDir, secondHasRule);
  try {
    await other.lake.emit(second);
  } finally {
    await other.close();
  }
  return full;
}

async function stderrOf(fn: () => Promise<void>): Promise<string> {
  const write = process.stderr.write;
  let out = '';
  process.stderr.write = ((chunk: string | Uint8Array) => { out += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return out;
}

test.before(async (ctx) => { ctx.full = await sharedLake(false); });
test.after(async (ctx) => ctx.full.close());

const balancesOf = async (full: LocalEventlake) => (await eventlakeStatus(full)).projections.find((p) => p.name === 'balances')!;

test('status flags a live generation another runtime folded with other rules, naming them, since when and how many events', async ({ full }) => {
  const balances = await balancesOf(full);
  assert.is(balances.rules.match, 'same');
  assert.match(balances.foldedWithOtherRules?.rules ?? '', /^balances v1 [0-9a-f]{12}$/);
  assert.is.not(balances.foldedWithOtherRules?.rules, balances.rules.running);
  assert.equal({ ...balances.foldedWithOtherRules, rules: undefined }, { rules: undefined, firstAt: 1_714_100_000_000, events: 1 });
});

test('balance warns on stderr that the live generation holds events folded with other rules, and how to rebuild', async ({ full }) => {
  assert.is(await full.lake.balance(ACCOUNT), '2500.00');
  const warned = await stderrOf(() => warnForeignFold(full));
  assert.match(warned, /^eventlake: warning: balances live generation 1: 1 event was folded into it since 2024-04-26T\S+ by a process with other rules \(balances v1 [0-9a-f]{12}\)/);
  assert.match(warned, 'eventlake rebuild --projection balances --from 0');
});

test('a runtime folding with the same rules flags nothing', async () => {
  const same = await sharedLake(true);
  try {
    assert.is((await balancesOf(same)).foldedWithOtherRules, undefined);
    assert.is(await stderrOf(() => warnForeignFold(same)), '');
  } finally {
    await same.close();
  }
});

test('a runtime without the extensions emitting only built-in types, which it folds alike, flags nothing', async () => {
  const bonus: DomainEvent = { ...salary, RequestId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', Reference: 'bonus' };
  const builtIns = await sharedLake(false, bonus);
  try {
    assert.is((await balancesOf(builtIns)).foldedWithOtherRules, undefined);
    assert.is(await builtIns.lake.balance(ACCOUNT), '5000.00');
  } finally {
    await builtIns.close();
  }
});

test('a promoted rebuild starts a generation without the flag', async ({ full }) => {
  const coordinator = new RebuildCoordinator(full, full.projections);
  const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
  await coordinator.promote('balances', built.generation, [await coordinator.verify('balances', built.generation, 'log')]);
  const balances = await balancesOf(full);
  assert.is(balances.liveGeneration, 2);
  assert.is(balances.foldedWithOtherRules, undefined);
  assert.is(await full.lake.balance(ACCOUNT), '1300.00');
});

test.run();
