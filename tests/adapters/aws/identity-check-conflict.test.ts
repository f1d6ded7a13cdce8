// check --target aws (the port-level check on S3 and DynamoDB): a second copy of an indexed identity with other
// content is a conflictingCopy naming both keys and the one the index holds; the same content stays an extraCopy.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DynamoDbEventIndex } from '../../../adapters/aws/dynamodb-event-index.ts';
import { indexEntryOf } from '../../../adapters/aws/lambda/create-indexer.ts';
import { S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EVENT_INDEX_TABLE } from '../../../adapters/aws/table-keys.ts';
import { renderAwsCheck } from '../../../cli/commands/check-aws-render.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { eventId, eventKey, serializeEvent } from '../../../domain/event.ts';
import { checkLogAgainstIndex } from '../../../projections/log-index-check.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';
import { SAMPLES } from '../../support/samples.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';

const first: DomainEvent = { ...SAMPLES.cash_deposit!, EventTimeStamp: 1_714_000_050, Amount: '100.00' };
const second: DomainEvent = { ...first, EventTimeStamp: 1_714_200_000, Amount: '900.00' };

/** An S3 log and a DynamoDB index holding `first` where it is stored, and `digest` or not on its entry. */
async function lake(options: { digest: boolean }) {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const tableName = await db.createTable(EVENT_INDEX_TABLE, 'identity-check');
  const deps = {
    log: new S3EventLog({ client: s3.client, bucket: s3.bucket }),
    index: new DynamoDbEventIndex({ client: db.client, tableName }),
    archive: new S3ArchiveTier({ client: s3.client, bucket: s3.bucket }),
  };
  const [stored] = await deps.log.append([first]);
  const { digest, ...entry } = indexEntryOf({ event: first, location: stored!.location });
  await deps.index.put([options.digest ? { ...entry, digest } : entry]);
  return deps;
}

const test = suite('check --target aws: one identity at two keys');
test.after(() => stopS3());

test('a copy at another key with other content is a conflictingCopy naming both keys and the indexed one, not an extraCopy', async () => {
  const deps = await lake({ digest: true });
  await deps.log.append([second]);
  const report = await checkLogAgainstIndex(deps);
  assert.is(report.whole, false);
  assert.is(report.findings.extraCopy.count, 0);
  assert.equal(report.findings.conflictingCopy.examples, [
    `${eventId(first)} at ${eventKey(second)}: other content than the copy indexed at ${eventKey(first)}, which the index holds`,
  ]);
  assert.ok(renderAwsCheck('s3://lake', report).some((l) => l.startsWith('conflictingCopy: 1 — ')));
});

test('an entry indexed before digests is compared by reading the indexed copy', async () => {
  const deps = await lake({ digest: false });
  await deps.log.append([second]);
  const report = await checkLogAgainstIndex(deps);
  assert.is(report.findings.conflictingCopy.count, 1);
});

test('a copy at another place with the same content stays an extraCopy', async () => {
  const deps = await lake({ digest: true });
  await deps.log.writeSegment('events/year=2024/month=04/day=24/hour=23/segment-x.events', [serializeEvent(first)]);
  const report = await checkLogAgainstIndex(deps);
  assert.is(report.findings.conflictingCopy.count, 0);
  assert.is(report.findings.extraCopy.count, 1);
});

test.run();
