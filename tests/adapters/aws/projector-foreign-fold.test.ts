// An AWS projector records folds into a live generation built with other rules, as a local lake's dispatch does, but
// only with the rules fingerprint its stack's synth gave it: its bundle's own reading (esbuild's, not the CLI's tsx)
// would flag every AWS generation. Without a synth fingerprint it records nothing. DynamoDB Local for the store.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { givenRulesEnvironment, givenRulesFrom, withGivenFingerprints } from '../../../adapters/aws/lambda/given-rules.ts';
import { liveApply, synthFoldRecorder } from '../../../adapters/aws/lambda/projector-setup.ts';
import { CONTROL_TABLE, PROJECTION_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { rulesFingerprint } from '../../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';

// The built-ins' registry, loaded once (deploymentFrom loads it per call: most of a test's time).
const registry = SchemaRegistry.load();
const deposit = SAMPLES['cash_deposit']! as DomainEvent;
const BUILT_WITH = { rulesFingerprint: 'balances v1 aaaaaaaaaaaa', rulesForm: 'synth-form' };
/** The environment of a projector whose stack's synth gave balances `fingerprint`. */
const synthGave = (fingerprint: string) => givenRulesEnvironment({ form: 'synth-form', fingerprints: { balances: fingerprint } });

// One control table and a balances generation 1 table per test, all made up front (creating tables is most of the cost).
const test = suite<{ control: string; tables: string[] }>('projector: folds with other rules on AWS', { control: '', tables: [] });
test.before(async (ctx) => {
  const db = await dynamoDb();
  [ctx.control, ...ctx.tables] = await Promise.all([db.createTable(CONTROL_TABLE, 'control'), ...[1, 2, 3, 4].map((i) => db.createTable(PROJECTION_TABLE, `balances-g1-${i}`))]);
});

/** Balances generation 1 in its own table, built with `builtWith`; `deliver` folds one event as a projector in `env`. */
async function generationOne(ctx: { control: string; tables: string[] }, builtWith: Record<string, string>) {
  const table = ctx.tables.pop()!;
  const store = new DynamoDbProjectionStore({ client: (await dynamoDb()).client, controlTableName: ctx.control, tableFor: () => table, createTables: false });
  await store.setCheckpoint('balances', 1, builtWith);
  const deliver = async (env: Record<string, string>) => {
    // As deploymentFrom gives the projector its projection: reading as the synth's fingerprint when it gave one.
    const [balances] = withGivenFingerprints([balancesProjection], givenRulesFrom(env));
    await liveApply(store, balances!, registry.upcast, undefined, synthFoldRecorder(store, balances!, registry, env))([deposit]);
  };
  return { store, deliver };
}

test('a projector the synth gave the rules that built the live generation records nothing', async (ctx) => {
  const { store, deliver } = await generationOne(ctx, BUILT_WITH);
  await deliver(synthGave('balances v1 aaaaaaaaaaaa'));
  assert.is(await store.foreignFold('balances', 1), undefined);
});

test('a projector the synth gave other rules records the fold once, with the synth\'s fingerprint', async (ctx) => {
  const { store, deliver } = await generationOne(ctx, BUILT_WITH);
  const before = Date.now();
  await deliver(synthGave('balances v1 bbbbbbbbbbbb'));
  const fold = await store.foreignFold('balances', 1);
  assert.equal({ ...fold, firstAt: undefined }, { rules: 'balances v1 bbbbbbbbbbbb', firstAt: undefined, events: 1 });
  assert.ok(fold!.firstAt >= before, 'recorded at the fold');
});

test('a projector without a synth fingerprint records nothing, even where its own reading of the rules differs', async (ctx) => {
  // Recorded in this process's own code form: a recorder reading the rules from the code would compare them as 'other'.
  const { store, deliver } = await generationOne(ctx, { rulesFingerprint: 'balances v1 000000000000', rulesForm: rulesFingerprint(balancesProjection).form });
  await deliver({});
  assert.is(await store.foreignFold('balances', 1), undefined);
});

test('a synth fingerprint for another version of the projection is not its own: nothing is recorded', async (ctx) => {
  const { store, deliver } = await generationOne(ctx, BUILT_WITH);
  await deliver(synthGave('balances v9 bbbbbbbbbbbb'));
  assert.is(await store.foreignFold('balances', 1), undefined);
});

test.run();
