// The projector folds upcast events (a change for every stack): a cash_withdrawal v1 lands as a replay folds it, and
// its identity, so its idempotency and the records other events relate to, is the one the stored event has.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deploymentFrom } from '../../../adapters/aws/lambda/deployment.ts';
import { liveApply } from '../../../adapters/aws/lambda/projector-setup.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { foldEvents } from '../../../domain/projection.ts';
import { MemoryProjectionStore } from '../../support/fakes/memory-projection-store.ts';
import { SAMPLES } from '../../support/samples.ts';

const { registry, projections } = deploymentFrom({}, {});
const withdrawalV1 = SAMPLES['cash_withdrawal']! as DomainEvent;
const deposit = SAMPLES['cash_deposit']! as DomainEvent;
const verification = SAMPLES['verify_cash_deposit']! as DomainEvent;
const account = String(withdrawalV1['SourceAccount']);

const test = suite('projector: upcast before folding');

for (const projection of projections) {
  test(`${projection.name}: live (the projector) and replay fold a stream with a cash_withdrawal v1 to the same state`, async () => {
    const events = [deposit, withdrawalV1, verification];
    const store = new MemoryProjectionStore();
    for (const e of events) await liveApply(store, projection, registry.upcast)([e]);
    const live = await store.liveGeneration(projection.name);
    const replayed = foldEvents(projection, events.map((e) => registry.upcast(registry.validate(e))));
    assert.equal(await store.counter(projection.name, live, account), replayed.counters.get(account));
    assert.equal((await store.rows(projection.name, live, account)).map((r) => [r.key, r.value]).sort(),
      [...replayed.rows.entries()].filter(([, r]) => r.partition === account).map(([key, r]) => [key, r.value]).sort());
  });
}

test('a v1 event delivered again, as stored or already at v2, is a duplicate: upcasting keeps its identity', async () => {
  const balances = projections.find((p) => p.name === 'balances')!;
  const store = new MemoryProjectionStore();
  const apply = liveApply(store, balances, registry.upcast);
  const lifted = registry.upcast(withdrawalV1);
  assert.equal((await apply([withdrawalV1, withdrawalV1, lifted])).map((o) => o.status), ['applied', 'duplicate', 'duplicate']);
  assert.is(lifted.SchemaVersion, 2);
  assert.is(await store.counter('balances', await store.liveGeneration('balances'), account), -20000n);
});

test.run();
