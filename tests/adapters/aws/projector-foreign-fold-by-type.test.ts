// An AWS projector given its synth's rule digests by event type counts, as a local process does (foreign-fold.ts),
// only the events it folds otherwise than the live generation's builder: a deploy that adds a type and its rule, the
// framework's extension workflow, counts nothing; one that changes a type's rule counts that type. A stack synthesized
// before digests keeps counting every event not applied yet. Each case also runs the local recorder on the same
// recorded rules, and both count alike. DynamoDB Local for the projector's store.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { givenRulesEnvironment, givenRulesFrom, withGivenFingerprints } from '../../../adapters/aws/lambda/given-rules.ts';
import { liveApply, synthFoldRecorder } from '../../../adapters/aws/lambda/projector-setup.ts';
import { CONTROL_TABLE, PROJECTION_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection, createBalancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import type { ForeignFold, ProjectionStore } from '../../../domain/ports/projection-store.ts';
import type { Projection } from '../../../domain/projection.ts';
import { outgoingPaymentRule } from '../../../examples/outgoing-payment/balance-rule.ts';
import { foreignFoldRecorder } from '../../../projections/foreign-fold.ts';
import { ruleDigests, rulesByType, rulesFingerprint, type RulesByType } from '../../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { depositWithFee } from '../../support/foreign-fold-builder.ts';
import { SAMPLES } from '../../support/samples.ts';

const registry = SchemaRegistry.load();
const upcasters = registry.upcasterSteps();
const sample = (type: string) => SAMPLES[type]! as DomainEvent;
const [deposit, withdrawal, payment] = [sample('cash_deposit'), sample('cash_withdrawal'), sample('incoming_payment')];
const rent: DomainEvent = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: 'DE44-5001-0517', Amount: '1200.00', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' };
const withPayments = createBalancesProjection({ outgoing_payment: outgoingPaymentRule });
const withFee = createBalancesProjection({ cash_deposit: depositWithFee });
// The synth of the deploy that built generation 1 read its rules as BUILT; the running deploy's synth as RUNNING.
const [BUILT, RUNNING] = ['balances v1 aaaaaaaaaaaa', 'balances v1 bbbbbbbbbbbb'];

/** What generation 1 recorded of its builder's rules by type: the synth's digests, or (an older stack) its types. */
const recorded = (builder: Projection, typesOnly = false): RulesByType => {
  const byType = rulesByType(builder, upcasters);
  return typesOnly ? { rulesTypes: Object.keys(byType.ruleDigests!).sort() } : byType;
};

const test = suite<{ control: string; tables: string[] }>('projector: folds with other rules counted by event type', { control: '', tables: [] });
test.before(async (ctx) => {
  const db = await dynamoDb();
  [ctx.control, ...ctx.tables] = await Promise.all([db.createTable(CONTROL_TABLE, 'control'), ...[1, 2, 3, 4, 5].map((i) => db.createTable(PROJECTION_TABLE, `balances-g1-${i}`))]);
});

interface Case { readonly builtWith: RulesByType; readonly running: Projection; readonly events: readonly DomainEvent[]; readonly digests?: boolean }

/**
 * The events an AWS projector running `running` (its synth's fingerprint, and its digests unless `digests` is false)
 * records as folded with other rules into a generation 1 built with `builtWith`, and those a local process running
 * `running` counts on the same record; 0 for no record.
 */
async function counted(ctx: { control: string; tables: string[] }, { builtWith, running, events, digests = true }: Case): Promise<{ aws: number; local: number }> {
  const checkpoint = { rulesFingerprint: BUILT, rulesForm: 'synth-form', ...builtWith };
  const table = ctx.tables.pop()!;
  const store = new DynamoDbProjectionStore({ client: (await dynamoDb()).client, controlTableName: ctx.control, tableFor: () => table, createTables: false });
  await store.setCheckpoint('balances', 1, checkpoint);
  const env = givenRulesEnvironment({ form: 'synth-form', fingerprints: { balances: RUNNING }, ...(digests ? { digests: { balances: ruleDigests(running, upcasters)! } } : {}) });
  // As deploymentFrom gives the projector its projection: reading as the synth's rules.
  const [balances] = withGivenFingerprints([running], givenRulesFrom(env));
  await liveApply(store, balances!, registry.upcast, undefined, synthFoldRecorder(store, balances!, registry, env))(events);
  // The local recorder reads the same record in its own (tsx) form, the one the synth reads the sources in.
  const folds: ForeignFold[] = [];
  const local = {
    getCheckpoint: async () => ({ ...checkpoint, rulesForm: rulesFingerprint(running, upcasters).form }),
    appliedRecord: async () => undefined,
    noteForeignFold: async (_name: string, _generation: number, fold: ForeignFold) => void folds.push(fold),
  } as unknown as ProjectionStore;
  await foreignFoldRecorder(local, running, upcasters)(1, events);
  return { aws: (await store.foreignFold('balances', 1))?.events ?? 0, local: folds[0]?.events ?? 0 };
}

test('a deploy that only adds a type and its rule counts nothing: not the types the builder folded, nor the new one', async (ctx) => {
  const count = await counted(ctx, { builtWith: recorded(balancesProjection), running: withPayments, events: [deposit, withdrawal, payment, rent] });
  assert.equal(count, { aws: 0, local: 0 });
});

test('a deploy that changes the cash_deposit rule counts the deposits only', async (ctx) => {
  const count = await counted(ctx, { builtWith: recorded(balancesProjection), running: withFee, events: [deposit, withdrawal, payment] });
  assert.equal(count, { aws: 1, local: 1 });
});

test('a deploy that drops a type\'s rule counts the events of that type only', async (ctx) => {
  const count = await counted(ctx, { builtWith: recorded(withPayments), running: balancesProjection, events: [rent, deposit, withdrawal] });
  assert.equal(count, { aws: 1, local: 1 });
});

test('a generation an older stack built (its rules\' types only) counts, as locally, only the types the projector lacks', async (ctx) => {
  const count = await counted(ctx, { builtWith: recorded(withPayments, true), running: withFee, events: [rent, deposit, withdrawal] });
  assert.equal(count, { aws: 1, local: 1 });
});

test('a projector of a stack synthesized before digests counts every event not applied yet, as before', async (ctx) => {
  const count = await counted(ctx, { builtWith: recorded(balancesProjection), running: withPayments, events: [deposit, withdrawal, payment, rent], digests: false });
  assert.is(count.aws, 4);
});

test.run();
