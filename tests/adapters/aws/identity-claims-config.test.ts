// How long a crashed emitter's identity claim holds (`identityClaims.staleAfterMs`) is set through openAwsEventlake's
// config or a config file, checked before anything is built (the window itself: identity-claims-stale.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { awsConfigFrom, openAwsEventlake, type AwsOpenConfig } from '../../../adapters/aws/index.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { eventKey, type DomainEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';
import { SAMPLES } from '../../support/samples.ts';
import { thrown } from '../../support/thrown.ts';

const NAMES = { bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };
const first: DomainEvent = { ...SAMPLES.cash_deposit!, EventTimeStamp: 1_714_000_050, Amount: '100.00', Currency: { '100-euro-bills': 1 } };
const otherHour: DomainEvent = { ...first, EventTimeStamp: 1_714_200_000, Amount: '900.00', Currency: { '100-euro-bills': 9 } };
const BAD = [0, -1, 1.5, '60000', null];

const test = suite('identityClaims.staleAfterMs: the config of a crashed emitter\'s claim window');
test.after(() => stopS3());

test('openAwsEventlake replaces a crashed emitter\'s claim once it is older than the configured staleAfterMs', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'index'), db.createTable(CONTROL_TABLE, 'control')]);
  const config: AwsOpenConfig = {
    bucket: s3.bucket, indexTable, controlTable, tablePrefix: db.uniqueName('proj'), pointInTimeRecovery: db.pitr,
    clients: { s3: s3.client, dynamodb: db.client }, identityClaims: { staleAfterMs: 1 },
  };
  const rt = await openAwsEventlake(config);
  try {
    await rt.lake.emit([first]);
    // The emitter "crashed" after its claim: the object is not there. With the default window (5 minutes) this
    // identity's other content would be EVENT_CONFLICT for minutes; with 1 ms it is stored now.
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: eventKey(first) }));
    const [result] = await rt.lake.emit([otherHour]);
    assert.equal([result!.status, result!.key], ['stored', eventKey(otherHour)]);
  } finally {
    await rt.close();
  }
});

test('a config file\'s identityClaims.staleAfterMs is read into the config openAwsEventlake takes', () => {
  assert.equal(awsConfigFrom({ settings: { ...NAMES, identityClaims: { staleAfterMs: 60_000 } }, env: {} }).identityClaims, { staleAfterMs: 60_000 });
});

test('a config file\'s staleAfterMs that is no whole number >= 1 is refused naming identityClaims.staleAfterMs and the file', () => {
  for (const staleAfterMs of BAD) {
    const error = thrown(() => awsConfigFrom({ settings: { ...NAMES, identityClaims: { staleAfterMs } }, where: 'prod.json', env: {} }), InvalidArgumentError);
    assert.is(error.argument, 'identityClaims.staleAfterMs', String(staleAfterMs));
    assert.match(error.message, 'must be a whole number >= 1 in prod.json');
  }
});

test('a config file\'s unknown identityClaims key is refused by name, with the one it may be', () => {
  const error = thrown(() => awsConfigFrom({ settings: { ...NAMES, identityClaims: { staleAfter: 60_000 } }, env: {} }), InvalidArgumentError);
  assert.is(error.argument, 'identityClaims.staleAfter');
  assert.match(error.message, '(did you mean identityClaims.staleAfterMs?); known keys: staleAfterMs');
});

test('openAwsEventlake refuses a staleAfterMs that is no whole number >= 1 by name, before it builds a client', async () => {
  for (const staleAfterMs of BAD) {
    // No region, no endpoint, no clients: had it got as far as building one, it would fail otherwise.
    const error = await rejects(() => openAwsEventlake({ ...NAMES, identityClaims: { staleAfterMs: staleAfterMs as number } }, {}), InvalidArgumentError);
    assert.is(error.argument, 'identityClaims.staleAfterMs', String(staleAfterMs));
    assert.match(error.message, 'the config passed to openAwsEventlake');
  }
});

test.run();
