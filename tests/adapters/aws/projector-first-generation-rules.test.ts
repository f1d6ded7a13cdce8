// A projector on AWS records generation 1's rules before it folds the projection's first events, as a local lake's
// first catch-up does: the rules the synth gave it (not its bundle's reading), only while generation 1's table holds
// nothing (no checkpoint, nothing applied), never overwriting a record, with one Scan of Limit 1 per container until it
// knows. DynamoDB Local for the store; a counting check for how often a container reads.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { firstGenerationCheck, firstGenerationRules, recordOnce, type FirstGenerationCheck } from '../../../adapters/aws/lambda/first-generation.ts';
import { liveApply } from '../../../adapters/aws/lambda/projector-setup.ts';
import { CONTROL_TABLE, PROJECTION_TABLE } from '../../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../../domain/balances.ts';
import { firstGenerationCheckpoint } from '../../../projections/rebuild/first-generation-rules.ts';
import { withGivenRules } from '../../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';

const registry = SchemaRegistry.load();
const deposit = SAMPLES['cash_deposit']!;
const withdrawal = SAMPLES['cash_withdrawal']!;
/** The balances projection as a projector given the synth's fingerprint reads it. */
const given = (digest: string) => withGivenRules(balancesProjection, { fingerprint: `balances v1 ${digest}`, form: 'synth-form' });
/** What a container given the synth's `aaaaaaaaaaaa` records: its fingerprint, and the event types its rules fold. */
const RECORDED = { rulesFingerprint: 'balances v1 aaaaaaaaaaaa', rulesForm: 'synth-form', rulesTypes: Object.keys(balancesProjection.rules!).sort() };

/** A store on DynamoDB Local whose balances generation 1 is a fresh table, as the stack creates it. */
async function freshGenerationOne() {
  const db = await dynamoDb();
  const [controlTableName, table] = await Promise.all([db.createTable(CONTROL_TABLE, 'control'), db.createTable(PROJECTION_TABLE, 'balances-g1')]);
  const store = new DynamoDbProjectionStore({ client: db.client, controlTableName, tableFor: () => table, createTables: false });
  /** A projector container's apply for `projection`, recording generation 1's rules as setUpProjector wires it. */
  const container = (projection = given('aaaaaaaaaaaa')) => liveApply(store, projection, registry.upcast,
    firstGenerationRules(firstGenerationCheck({ client: db.client, table, checkpoint: firstGenerationCheckpoint(projection, registry) })));
  return { store, table, client: db.client, container };
}

const onDynamoDb = suite('projector: generation 1\'s rules on DynamoDB');

onDynamoDb('the first fold of an empty generation 1 records the rules the synth gave, and the event is applied', async () => {
  const { store, container } = await freshGenerationOne();
  const [outcome] = await container()([deposit]);
  assert.is(outcome!.status, 'applied');
  assert.equal(await store.getCheckpoint('balances', 1), RECORDED);
});

onDynamoDb('a generation 1 that already applied an event is not recorded by a container that comes later', async () => {
  const { store, container } = await freshGenerationOne();
  await store.apply(balancesProjection, 1, [deposit]);
  await container()([withdrawal]);
  assert.is(await store.getCheckpoint('balances', 1), undefined);
});

onDynamoDb('a recorded checkpoint is never overwritten by a container with other rules', async () => {
  const { store, container } = await freshGenerationOne();
  await container(given('aaaaaaaaaaaa'))([deposit]);
  await container(given('bbbbbbbbbbbb'))([withdrawal]);
  assert.equal(await store.getCheckpoint('balances', 1), RECORDED);
});

onDynamoDb('of two writes racing after both saw an empty table, the first stands (the put is conditional)', async () => {
  const { store, table, client } = await freshGenerationOne();
  await recordOnce({ client, table, checkpoint: { rulesFingerprint: 'balances v1 aaaaaaaaaaaa', rulesForm: 'synth-form' } });
  await recordOnce({ client, table, checkpoint: { rulesFingerprint: 'balances v1 bbbbbbbbbbbb', rulesForm: 'synth-form' } });
  assert.equal(await store.getCheckpoint('balances', 1), { rulesFingerprint: 'balances v1 aaaaaaaaaaaa', rulesForm: 'synth-form' });
});

onDynamoDb('two first invocations of one deployment racing record the synth\'s value', async () => {
  const { store, container } = await freshGenerationOne();
  await Promise.all([container()([deposit]), container()([withdrawal])]);
  assert.equal(await store.getCheckpoint('balances', 1), RECORDED);
});

onDynamoDb.run();

/** A check that counts its reads and writes, answering `empty` (or failing while `failing`). */
function countingCheck(empty: boolean) {
  const counts = { reads: 0, records: 0, failing: false };
  const check: FirstGenerationCheck = {
    holdsNothing: async () => {
      counts.reads += 1;
      if (counts.failing) throw new Error('throttled');
      return empty;
    },
    record: async () => { counts.records += 1; },
  };
  return { counts, check };
}

const once = suite('projector: how often a container checks generation 1');

once('a container that found generation 1 holding events reads no more on later deliveries', async () => {
  const { counts, check } = countingCheck(false);
  const beforeFold = firstGenerationRules(check);
  for (let i = 0; i < 5; i++) await beforeFold(1);
  assert.equal(counts, { reads: 1, records: 0, failing: false });
});

once('a container that recorded reads and writes no more on later deliveries', async () => {
  const { counts, check } = countingCheck(true);
  const beforeFold = firstGenerationRules(check);
  for (let i = 0; i < 5; i++) await beforeFold(1);
  assert.equal(counts, { reads: 1, records: 1, failing: false });
});

once('deliveries of one batch arriving together share one check', async () => {
  const { counts, check } = countingCheck(true);
  const beforeFold = firstGenerationRules(check);
  await Promise.all([beforeFold(1), beforeFold(1), beforeFold(1)]);
  assert.equal(counts, { reads: 1, records: 1, failing: false });
});

once('while another generation is live nothing is read: generation 1 is not the one folding', async () => {
  const { counts, check } = countingCheck(true);
  const beforeFold = firstGenerationRules(check);
  await beforeFold(2);
  await beforeFold(1);
  assert.equal(counts, { reads: 0, records: 0, failing: false });
});

once('a failed check fails the delivery, and the next delivery checks again', async () => {
  const { counts, check } = countingCheck(true);
  const beforeFold = firstGenerationRules(check);
  counts.failing = true;
  await rejects(() => beforeFold(1), Error);
  counts.failing = false;
  await beforeFold(1);
  assert.equal([counts.reads, counts.records], [2, 1]);
});

once('the check on DynamoDB is one consistent Scan of Limit 1', async () => {
  const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ddb = mockClient(client);
  ddb.on(ScanCommand).resolves({ Count: 1 });
  await firstGenerationRules(firstGenerationCheck({ client, table: 'bank-balances-g1', checkpoint: {} }))(1);
  const scans = ddb.commandCalls(ScanCommand).map((c) => c.args[0].input);
  assert.equal(scans, [{ TableName: 'bank-balances-g1', Limit: 1, Select: 'COUNT', ConsistentRead: true }]);
  assert.is(ddb.calls().length, 1);
});

once.run();
