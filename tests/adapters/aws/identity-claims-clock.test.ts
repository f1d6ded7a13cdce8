// openAwsEventlake's identity claims run on the config's clock (`now`), as its registry does: a claim's age, which
// decides when a crashed emitter's claim may be replaced (identityClaims.staleAfterMs), is read from that clock.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { openAwsEventlake } from '../../../adapters/aws/index.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { eventKey, type DomainEvent } from '../../../domain/event.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';
import { SAMPLES } from '../../support/samples.ts';

const first: DomainEvent = { ...SAMPLES.cash_deposit!, EventTimeStamp: 1_714_000_050, Amount: '100.00', Currency: { '100-euro-bills': 1 } };
const otherHour: DomainEvent = { ...first, EventTimeStamp: 1_714_200_000, Amount: '900.00', Currency: { '100-euro-bills': 9 } };

const test = suite('openAwsEventlake: identity claims on the config\'s clock');
test.after(() => stopS3());

test('a crashed emitter\'s claim is replaced once the config\'s clock has moved past staleAfterMs, with no real time passing', async () => {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [indexTable, controlTable] = await Promise.all([db.createTable(EVENT_INDEX_TABLE, 'index'), db.createTable(CONTROL_TABLE, 'control')]);
  let clock = Date.now();
  const rt = await openAwsEventlake({
    bucket: s3.bucket, indexTable, controlTable, tablePrefix: db.uniqueName('proj'), pointInTimeRecovery: db.pitr,
    clients: { s3: s3.client, dynamodb: db.client }, identityClaims: { staleAfterMs: 60_000 }, now: () => clock,
  });
  try {
    await rt.lake.emit([first]);
    // The emitter "crashed" after its claim: the object is not there. A minute later by the lake's clock, the claim
    // is stale; on Date.now it would be milliseconds old, and other content for the identity EVENT_CONFLICT.
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: eventKey(first) }));
    clock += 60_001;
    const [result] = await rt.lake.emit([otherHour]);
    assert.equal([result!.status, result!.key], ['stored', eventKey(otherHour)]);
  } finally {
    await rt.close();
  }
});

test.run();
