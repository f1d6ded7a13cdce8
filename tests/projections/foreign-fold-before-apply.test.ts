// A local projector records a fold with other rules before the store applies the delivery, so the record is never lost
// with the apply; and an event the generation already holds is not counted when a process without its rule gets it
// again. The SQLite store itself, without a lake (opening one is most of a lake test's cost).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { balancesProjection, createBalancesProjection } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { TransientError } from '../../domain/errors.ts';
import { createProjector } from '../../projections/projector.ts';
import { recordRules, rulesFingerprint } from '../../projections/rebuild/rules-fingerprint.ts';
import { outgoingPaymentRule } from '../../examples/outgoing-payment/balance-rule.ts';
import { tempDir } from '../support/tmp.ts';

// No built-in rule folds it: a process without the extension skips it.
const rent: DomainEvent = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: 'DE44-5001-0517', Amount: '1200.00', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' };
const full = createBalancesProjection({ outgoing_payment: outgoingPaymentRule });

/** A store whose balances generation 1 was built with the extension's rules (`full`), as the lake's first fold records them. */
async function builtWithTheExtension(): Promise<SqliteProjectionStore> {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  await store.setCheckpoint('balances', 1, { ...recordRules(rulesFingerprint(full)) });
  return store;
}

test('a fold with other rules stays recorded when the apply after it fails, as its retry folds the events with the same rules', async () => {
  const store = await builtWithTheExtension();
  try {
    const failing = Object.assign(Object.create(store) as SqliteProjectionStore, { apply: () => Promise.reject(new TransientError('disk busy')) });
    const project = createProjector(failing, balancesProjection, { upcasters: [], now: () => 1_714_100_000_000 });
    await project([rent]).then(() => assert.unreachable('the apply fails'), (e: unknown) => assert.instance(e, TransientError));
    assert.equal(await store.foreignFold('balances', 1), { rules: rulesFingerprint(balancesProjection).fingerprint, firstAt: 1_714_100_000_000, events: 1 });
  } finally {
    store.close();
  }
});

test('an event the generation already folded with its rule, delivered again to a process without that rule, is not counted', async () => {
  const store = await builtWithTheExtension();
  try {
    await store.apply(full, 1, [rent]);
    const outcomes = await createProjector(store, balancesProjection, { upcasters: [] })([rent]);
    assert.equal(outcomes.map((o) => o.status), ['skipped']);
    assert.is(await store.foreignFold('balances', 1), undefined);
  } finally {
    store.close();
  }
});

test.run();
