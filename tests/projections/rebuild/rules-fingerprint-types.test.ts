// A generation records, beside its rules' fingerprint, each rule's digest by the event type it folds (`ruleDigests`): a
// lake's first generation, a rebuild's, and a retired first generation a promotion tops up. The fingerprint itself is
// unchanged, so a generation recorded before the digests still reads as built with the same rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import type { LocalEventlake } from '../../../projections/runtime.ts';
import { generationCheckpoint } from '../../../projections/rebuild/promotable.ts';
import { compareRules, recordRules, ruleDigests, rulesByType, rulesFingerprint, type RecordedRules } from '../../../projections/rebuild/rules-fingerprint.ts';
import { SAMPLES } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const BALANCE_TYPES = Object.keys(balancesProjection.rules!).sort();

// One lake for the tests that read it (opening and rebuilding is most of their cost): its first generation folded one
// event, and a finished balances rebuild from nothing is kept, not promoted, until the last of them promotes it.
const test = suite<{ local: LocalEventlake; rebuilt: number }>('the digests by event type of a generation\'s rules', { local: undefined!, rebuilt: 0 });

test.before(async (ctx) => {
  ctx.local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake') });
  await ctx.local.lake.emit(SAMPLES['cash_deposit']! as DomainEvent);
  await ctx.local.catchUp();
  const coordinator = new RebuildCoordinator(ctx.local, ctx.local.projections);
  ctx.rebuilt = (await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }))).generation;
});

test.after(async ({ local }) => {
  await local.close();
});

const recorded = async (local: LocalEventlake, generation: number) => (await local.store.getCheckpoint('balances', generation)) as RecordedRules | undefined;
const digests = (local: LocalEventlake) => ruleDigests(balancesProjection, local.registry.upcasterSteps());

test('a lake\'s first generation records the digest of each rule that folded it, by event type', async ({ local }) => {
  assert.equal((await recorded(local, 1))?.ruleDigests, digests(local));
  assert.equal(Object.keys(digests(local)!), BALANCE_TYPES);
});

test('a rebuild records the digest of each rule it folds with, by event type', async ({ local, rebuilt }) => {
  assert.equal((await recorded(local, rebuilt))?.ruleDigests, digests(local));
});

test('a retired first generation keeps its recorded digests in the checkpoint a promotion tops it up from', async ({ local, rebuilt }) => {
  await local.store.promote('balances', rebuilt);
  assert.equal((await generationCheckpoint(local, 'balances', 1, rebuilt))?.ruleDigests, digests(local));
});

test('a generation recorded before the digests reads as built with the same rules as one recording them', () => {
  const running = rulesFingerprint(balancesProjection);
  const { ruleDigests: recordedDigests, ...older } = recordRules(running, rulesByType(balancesProjection));
  assert.equal(Object.keys(recordedDigests!), BALANCE_TYPES);
  assert.equal(older, recordRules(running));
  assert.is(compareRules(older, running), 'same');
});

test('a projection that does not list its rules records no digests nor types', () => {
  const unlisted = { ...balancesProjection, rules: undefined };
  assert.is(ruleDigests(unlisted), undefined);
  assert.equal(recordRules(rulesFingerprint(unlisted), rulesByType(unlisted)), recordRules(rulesFingerprint(unlisted)));
});

test.run();
