// A fold with other rules counts only events the generation's builder had a rule for: an event of a type neither
// the builder nor the folding process has a rule for is skipped by both, so it is no fold with other rules. A
// generation that recorded no types (recorded before them) counts every skipped event, as it always did. The SQLite
// store itself, without a lake.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection, createBalancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { createProjector } from '../../projections/projector.ts';
import { recordRules, rulesByType, rulesFingerprint } from '../../projections/rebuild/rules-fingerprint.ts';
import { outgoingPaymentRule } from '../../examples/outgoing-payment/balance-rule.ts';
import { builtWith } from '../support/foreign-fold-builder.ts';

const NOW = 1_714_100_000_000;
// Only the builder's extension folds it.
const rent: DomainEvent = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: 'DE44-5001-0517', Amount: '1200.00', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' };
// No balance rule of either side folds it (a type another service emits into the lake).
const moved: DomainEvent = { EventType: 'address_changed', SchemaVersion: 1, RequestId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', EventTimeStamp: 1714007300, Account: 'DE44-5001-0517', City: 'Bremen' };
const builder = createBalancesProjection({ outgoing_payment: outgoingPaymentRule });

const withTypes = () => ({ ...recordRules(rulesFingerprint(builder), rulesByType(builder)) });
const project = (store: SqliteProjectionStore) => createProjector(store, balancesProjection, { upcasters: [], now: () => NOW });

test('an event of a type neither the builder nor the folding process has a rule for is not counted as a fold with other rules', async () => {
  await builtWith(withTypes(), async (store) => {
    assert.equal((await project(store)([moved])).map((o) => o.status), ['skipped']);
    assert.is(await store.foreignFold('balances', 1), undefined);
  });
});

test('an event of a type only the builder has a rule for is still counted', async () => {
  await builtWith(withTypes(), async (store) => {
    await project(store)([moved, rent]);
    assert.equal(await store.foreignFold('balances', 1), { rules: rulesFingerprint(balancesProjection).fingerprint, firstAt: NOW, events: 1 });
  });
});

test('a generation recorded without its rules\' types counts every event the folding process skips', async () => {
  await builtWith({ ...recordRules(rulesFingerprint(builder)) }, async (store) => {
    await project(store)([moved, rent]);
    assert.equal(await store.foreignFold('balances', 1), { rules: rulesFingerprint(balancesProjection).fingerprint, firstAt: NOW, events: 2 });
  });
});

test.run();
