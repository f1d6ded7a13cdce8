// The deployed functions know the stack's own event types: the rebuild replays them (schemaFolders), and the rebuild
// and projectors fold and upcast them with the extensions module (EventLakeProps.extensions), as the CLI does locally.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { coordinatorRebuild, createRebuildHandler } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { bundledExtensions, bundledSchemaFolders, deploymentFrom, type Deployment } from '../../../adapters/aws/lambda/deployment.ts';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { PROJECTIONS } from '../../../adapters/aws/lambda/projections.ts';
import { liveApply } from '../../../adapters/aws/lambda/projector-setup.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError, StoredEventTypeUnknownError } from '../../../domain/errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { MemoryLake } from '../../support/fakes/memory-lake.ts';
import { MemoryProjectionStore } from '../../support/fakes/memory-projection-store.ts';
import { SAMPLES } from '../../support/samples.ts';
import * as userModule from '../../infra/fixtures/user-types/extensions.ts';

/** The fixture's folder as the stack bundles it: EVENTLAKE_SCHEMA_FOLDERS names it relative to the bundle. */
const BUNDLE = join(import.meta.dirname, '../../infra/fixtures/user-types');
const WITH_SCHEMAS = { [LAMBDA_ENV.schemaFolders]: 'schemas' };
const quiet: LambdaLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const deposit: DomainEvent = { ...SAMPLES.cash_deposit!, TargetAccount: 'DE44-0001' } as DomainEvent;
/** A v1 event of the user's type: no Waived field, which the module's upcaster adds and its rule reads. */
const fee: DomainEvent = {
  EventType: 'parcel_fee', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: deposit.EventTimeStamp + 60,
  Account: 'DE44-0001', Fee: '4.50',
};

/** A remote rebuild of balances over a log holding `events`, with the functions' deployment: its report and the lake. */
async function rebuildRemotely(deployment: Deployment, events: readonly DomainEvent[]) {
  const lake = new MemoryLake();
  await lake.ingest(events);
  const deps = Object.create(lake, { registry: { value: deployment.registry }, upcast: { value: deployment.registry.upcast } }) as MemoryLake;
  const handler = createRebuildHandler({ rebuild: coordinatorRebuild(new RebuildCoordinator(deps, deployment.projections)), logger: quiet });
  const report = await handler({ projection: 'balances', from: 0 }) as { status: string };
  return { report, lake };
}

const test = suite('the functions\' deployment (schemaFolders, extensions)');

test('a remote rebuild replays events of user types deployed with schemaFolders', async () => {
  const { report } = await rebuildRemotely(deploymentFrom({}, WITH_SCHEMAS, BUNDLE), [deposit, fee]);
  assert.is(report.status, 'promoted');
});

test('without the deployed schema folders, one user-type event stops a remote rebuild (what the folders are for)', async () => {
  const error = await rejects(() => rebuildRemotely(deploymentFrom({}, {}, BUNDLE), [deposit, fee]), StoredEventTypeUnknownError);
  assert.match(error.message, /parcel_fee/);
});

test('a remote rebuild folds user types with the deployed module\'s balance rules, on events its upcasters lifted', async () => {
  const { lake } = await rebuildRemotely(deploymentFrom(bundledExtensions(userModule), WITH_SCHEMAS, BUNDLE), [deposit, fee]);
  const amount = BigInt(Math.round(Number(String(deposit['Amount'])) * 100));
  assert.is(await lake.store.counter('balances', await lake.store.liveGeneration('balances'), 'DE44-0001'), amount - 450n);
});

test('the projector applies the balance rules of the deployed extensions module, to the event at its latest version', async () => {
  const { registry, projections } = deploymentFrom(bundledExtensions(userModule), WITH_SCHEMAS, BUNDLE);
  const store = new MemoryProjectionStore();
  const balances = projections.find((p) => p.name === 'balances')!;
  const [outcome] = await liveApply(store, balances, registry.upcast)([fee]);
  assert.is(outcome?.status, 'applied');
  assert.is(await store.counter('balances', await store.liveGeneration('balances'), 'DE44-0001'), -450n);
});

test('the statement projector folds the module\'s rules too, so the statement adds up to the balances as locally', async () => {
  const { registry, projections } = deploymentFrom(bundledExtensions(userModule), WITH_SCHEMAS, BUNDLE);
  const store = new MemoryProjectionStore();
  const [outcome] = await liveApply(store, projections.find((p) => p.name === 'statement')!, registry.upcast)([fee]);
  assert.is(outcome?.status, 'applied', 'not skipped as a type the statement does not know');
});

test('the projector upcasts before it folds: the rule reads a field only the upcaster gives v1 events', async () => {
  const { projections } = deploymentFrom(bundledExtensions(userModule), WITH_SCHEMAS, BUNDLE);
  const store = new MemoryProjectionStore();
  await liveApply(store, projections.find((p) => p.name === 'balances')!, (e) => e)([fee]);
  assert.is(await store.counter('balances', await store.liveGeneration('balances'), 'DE44-0001'), undefined);
});

test('without schema folders and extensions, the functions fold with the built-in projections, exactly', () => {
  const deployment = deploymentFrom({}, {});
  assert.is(deployment.projections, PROJECTIONS);
  assert.ok(deployment.projections.includes(balancesProjection));
  assert.equal(bundledSchemaFolders({}), []);
});

test('the listed folders are resolved against the bundle\'s directory, in order', () => {
  assert.equal(bundledSchemaFolders({ [LAMBDA_ENV.schemaFolders]: 'user-schemas/0-a,user-schemas/1-b' }, '/var/task'), ['/var/task/user-schemas/0-a', '/var/task/user-schemas/1-b']);
});

test('a bundled module without balanceRules or upcasters is refused, naming extensions and the fix', () => {
  assert.throws(() => bundledExtensions({ rules: {} }), (e: unknown) => e instanceof InvalidArgumentError && e.argument === 'extensions' && /defineExtensions/.test(e.message));
});

test.run();
