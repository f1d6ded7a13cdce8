// S3EventLog, one append holding the same identity twice with different content: refused before any S3 call, and the
// error says the conflict is inside the input (both positions, nothing stored), not that the event "already exists"
// at a key where nothing is.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES, variant } from '../../support/samples.ts';

const client = new S3Client({ region: 'eu-west-1' });
const s3 = mockClient(client);
const log = new S3EventLog({ client, bucket: 'lake' });
const deposit = SAMPLES['cash_deposit']!;
const changed = variant('cash_deposit', { Amount: '1.00' }) as DomainEvent;

const test = suite('S3EventLog: a conflict within one append');
test.before.each(() => { s3.reset(); });

test('the error names the identity and both positions, says nothing was stored, and no S3 call was made', async () => {
  const error = await rejects(() => log.append([deposit, SAMPLES['cash_withdrawal']!, changed]), EventConflictError);
  assert.is(error.code, 'EVENT_CONFLICT');
  assert.equal(error.positions, [0, 2]);
  assert.is(error.message, `event ${eventId(deposit)} appears twice in this input with different content (#0 and #2), so nothing was stored: ` +
    'an identity (EventType + RequestId) names one immutable event, so send one version of it, or give the other event a new RequestId');
  assert.is(s3.calls().length, 0);
});

test.run();
