// An AWS projector records a fold with other rules before the store applies the delivery: recorded after, a failed
// record was never written again, as the retry found the events applied (duplicates). DynamoDB Local for the store.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { givenRulesEnvironment, givenRulesFrom, withGivenFingerprints } from '../../../adapters/aws/lambda/given-rules.ts';
import { liveApply, synthFoldRecorder } from '../../../adapters/aws/lambda/projector-setup.ts';
import { CONTROL_TABLE, PROJECTION_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { TransientError } from '../../../domain/errors.ts';
import type { ForeignFold } from '../../../domain/ports/projection-store.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';

const registry = SchemaRegistry.load();
const deposit = SAMPLES['cash_deposit']! as DomainEvent;
// Generation 1 built with the synth's earlier rules; the projector's synth gave it others (a deploy nobody rebuilt after).
const BUILT_WITH = { rulesFingerprint: 'balances v1 aaaaaaaaaaaa', rulesForm: 'synth-form' };
const env = givenRulesEnvironment({ form: 'synth-form', fingerprints: { balances: 'balances v1 bbbbbbbbbbbb' } });

const test = suite<{ control: string; tables: string[] }>('projector: a fold with other rules is recorded before the apply', { control: '', tables: [] });
test.before(async (ctx) => {
  const db = await dynamoDb();
  [ctx.control, ...ctx.tables] = await Promise.all([db.createTable(CONTROL_TABLE, 'control'), ...[1, 2].map((i) => db.createTable(PROJECTION_TABLE, `balances-g1-${i}`))]);
});

/** Balances generation 1 in its own table, built with BUILT_WITH; `deliver` folds events as a projector whose record writes fail `failures` times. */
async function generationOne(ctx: { control: string; tables: string[] }, failures = 0) {
  const table = ctx.tables.pop()!;
  const store = new DynamoDbProjectionStore({ client: (await dynamoDb()).client, controlTableName: ctx.control, tableFor: () => table, createTables: false });
  await store.setCheckpoint('balances', 1, BUILT_WITH);
  let failing = failures;
  const projectorStore = Object.assign(Object.create(store) as DynamoDbProjectionStore, {
    noteForeignFold: (name: string, generation: number, fold: ForeignFold) =>
      failing-- > 0 ? Promise.reject(new TransientError('UpdateItem throttled')) : store.noteForeignFold(name, generation, fold),
  });
  const [balances] = withGivenFingerprints([balancesProjection], givenRulesFrom(env));
  const deliver = liveApply(projectorStore, balances!, registry.upcast, undefined, synthFoldRecorder(projectorStore, balances!, registry, env));
  return { store, deliver };
}

test('a record write that fails fails the delivery before its apply, so its retry records the fold', async (ctx) => {
  const { store, deliver } = await generationOne(ctx, 1);
  await deliver([deposit]).then(() => assert.unreachable('the record fails'), (e: unknown) => assert.instance(e, TransientError));
  assert.equal((await deliver([deposit])).map((o) => o.status), ['applied']);
  assert.is((await store.foreignFold('balances', 1))?.events, 1);
});

test('a redelivery of events the generation already applied records nothing', async (ctx) => {
  const { store, deliver } = await generationOne(ctx);
  await store.apply(balancesProjection, 1, [deposit]);
  assert.equal((await deliver([deposit])).map((o) => o.status), ['duplicate']);
  assert.is(await store.foreignFold('balances', 1), undefined);
});

test.run();
