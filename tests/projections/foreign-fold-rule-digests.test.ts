// A fold with other rules counts an event of a type both the builder and the folding process have a rule for when
// their rules for it differ (the generation's recorded digest by type): an old client without the extensions module
// that replaces cash_deposit folds deposits with the built-in rule. Rules alike count nothing; generations recorded
// with types only (before digests) or with nothing keep counting what they did. The SQLite store itself, without a lake.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection, createBalancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { foreignFoldWarning, viewerLacksRules } from '../../projections/foreign-fold.ts';
import { createProjector } from '../../projections/projector.ts';
import { recordRules, rulesByType, rulesFingerprint } from '../../projections/rebuild/rules-fingerprint.ts';
import { outgoingPaymentRule } from '../../examples/outgoing-payment/balance-rule.ts';
import { builtWith, depositWithFee } from '../support/foreign-fold-builder.ts';
import { SAMPLES } from '../support/samples.ts';

const NOW = 1_714_100_000_000;
const deposit = SAMPLES['cash_deposit']! as DomainEvent;
const rent: DomainEvent = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: 'DE44-5001-0517', Amount: '1200.00', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' };
// No balance rule of either side folds it (a type another service emits into the lake).
const moved: DomainEvent = { EventType: 'address_changed', SchemaVersion: 1, RequestId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', EventTimeStamp: 1714007300, Account: 'DE44-5001-0517', City: 'Bremen' };
const withFee = createBalancesProjection({ cash_deposit: depositWithFee });
const withPayments = createBalancesProjection({ outgoing_payment: outgoingPaymentRule });
const recorded = (builder = withFee) => ({ ...recordRules(rulesFingerprint(builder), rulesByType(builder)) });
const folded = (events: number) => ({ rules: rulesFingerprint(balancesProjection).fingerprint, firstAt: NOW, events });

const project = (store: SqliteProjectionStore) => createProjector(store, balancesProjection, { upcasters: [], now: () => NOW });

test('a deposit folded with the built-in rule into a generation built with another cash_deposit rule is counted', async () => {
  await builtWith(recorded(), async (store) => {
    assert.equal((await project(store)([deposit])).map((o) => o.status), ['applied']);
    assert.equal(await store.foreignFold('balances', 1), folded(1));
  });
});

test('an event folded with the same rule the builder had is not counted, though the builder had other rules too', async () => {
  await builtWith(recorded(withPayments), async (store) => {
    await project(store)([deposit]);
    assert.is(await store.foreignFold('balances', 1), undefined);
  });
});

test('a generation recorded with types only (before digests) counts only the types the folding process lacks', async () => {
  const { ruleDigests, ...older } = recorded(withPayments);
  await builtWith({ ...older, rulesTypes: Object.keys(ruleDigests!) }, async (store) => {
    await project(store)([deposit, rent, moved]);
    assert.equal(await store.foreignFold('balances', 1), folded(1));
  });
});

test('a viewer lacking the builder\'s cash_deposit rule is told to rebuild with the options the generation was built with', async () => {
  await builtWith(recorded(), async (store) => {
    const viewer = (projection = balancesProjection) => ({ store, projections: [projection], registry: {} });
    assert.ok(await viewerLacksRules(viewer(), 'balances', 1));
    assert.not.ok(await viewerLacksRules(viewer(withFee), 'balances', 1));
    const warning = foreignFoldWarning('balances', 1, folded(1), undefined, true)!;
    assert.match(warning, 'rebuild it with the same --schemas/--extensions the generation was built with');
    assert.not.match(foreignFoldWarning('balances', 1, folded(1))!, 'the generation was built with');
  });
});

test('a viewer with more rules than the builder, its shared rules alike, lacks none of them', async () => {
  await builtWith(recorded(balancesProjection), async (store) => {
    assert.not.ok(await viewerLacksRules({ store, projections: [withPayments], registry: {} }, 'balances', 1));
  });
});

test.run();
