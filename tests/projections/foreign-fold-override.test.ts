// The walkthrough's repro: a lake built with an extensions module that replaces cash_deposit (built-in memo, a 0.50 fee
// to BANK-FEES); a client without it emits a plain deposit into the same data dir and folds it with the built-in rule.
// Status flags the fold, and a viewer without the module is told to rebuild with the options the lake was built with.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/index.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { liveForeignFold } from '../../projections/foreign-fold.ts';
import { eventlakeStatus } from '../../projections/status.ts';
import { depositWithFee } from '../support/foreign-fold-builder.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const deposit = (RequestId: string): DomainEvent => ({ ...(SAMPLES['cash_deposit']! as DomainEvent), RequestId, Amount: '5.00', Currency: { '5-euro-bills': 1 } });

const test = suite<{ dataDir: string; plain: LocalEventlake }>('a built-in type folded with another rule than the builder\'s', { dataDir: '', plain: undefined! });

const open = (dataDir: string, extended: boolean) =>
  openLocalEventlake({ dataDir, now: () => 1_714_100_000_000, ...(extended ? { balanceRules: { cash_deposit: depositWithFee } } : {}) });

test.before(async (ctx) => {
  ctx.dataDir = join(tempDir(), 'lake');
  const extended = await open(ctx.dataDir, true);
  try {
    await extended.lake.emit(deposit('1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9'));
  } finally {
    await extended.close();
  }
  ctx.plain = await open(ctx.dataDir, false);
  await ctx.plain.lake.emit(deposit('2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d'));
});
test.after(async ({ plain }) => plain?.close());

test('status flags the deposit a client without the override folded with the built-in rule', async ({ plain }) => {
  const balances = (await eventlakeStatus(plain)).projections.find((p) => p.name === 'balances')!;
  assert.is(balances.foldedWithOtherRules?.events, 1);
});

test('the viewer without the override is told to rebuild with the options the generation was built with', async ({ plain }) => {
  const { warning } = await liveForeignFold(plain, 'balances');
  assert.match(warning ?? '', 'rebuild it with the same --schemas/--extensions the generation was built with');
});

test.run();
