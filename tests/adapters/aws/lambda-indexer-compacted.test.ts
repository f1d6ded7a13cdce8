// The indexer meets a notification of a one-event object that compaction has removed since (a dead-letter redrive
// days later): the event, indexed before compaction moved it, is read from its segment and published.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createIndexer } from '../../../adapters/aws/lambda/create-indexer.ts';
import { S3EventLog } from '../../../adapters/aws/s3-event-log.ts';
import { EventNotFoundError } from '../../../domain/errors.ts';
import { accountsOf, eventId, eventKey, partitionPrefix, type DomainEvent } from '../../../domain/event.ts';
import type { PublishOutcome } from '../../../domain/ports/dispatcher.ts';
import { compactHour } from '../../../projections/compactor.ts';
import { rejects } from '../../support/async.ts';
import { MemoryEventIndex } from '../../support/fakes/memory-event-index.ts';
import { SAMPLES } from '../../support/samples.ts';
import { objectCreated } from '../../support/s3-notifications.ts';
import { s3Target, stopS3 } from '../../support/s3rver.ts';

const deposit = SAMPLES.cash_deposit!;
const quiet = () => undefined;

async function setup() {
  const target = await s3Target();
  await target.empty();
  const log = new S3EventLog({ client: target.client, bucket: target.bucket });
  const index = new MemoryEventIndex();
  const published: DomainEvent[] = [];
  const metrics: [string, number][] = [];
  const handler = createIndexer({
    log, index, archive: { storage: async () => [] },
    dispatcher: { publish: async (events) => { published.push(...events); return events.map((e): PublishOutcome => ({ id: eventId(e), status: 'published' })); } },
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet }, metrics: { addMetric: (name, _unit, value) => { metrics.push([name, value]); } },
  });
  return { log, index, published, metrics, handler };
}

const test = suite('indexer and compaction');
test.after(() => stopS3());

test('an object compacted since its notification: the event is published from its segment, not indexed again', async () => {
  const t = await setup();
  const [stored] = await t.log.append([deposit]);
  await t.index.put([{ id: eventId(deposit), type: deposit.EventType, timestamp: deposit.EventTimeStamp, accounts: accountsOf(deposit), location: stored!.location, size: stored!.size, storageClass: 'STANDARD', restore: 'NONE' }]);
  await compactHour(t, partitionPrefix(deposit.EventTimeStamp));
  const summary = await t.handler(objectCreated(eventKey(deposit)));
  assert.equal(t.published, [deposit]);
  assert.equal(summary, { key: eventKey(deposit), indexed: 0, published: 1 });
  assert.equal(t.metrics, [['EventsIndexed', 0]]);
  assert.match((await t.index.get(eventId(deposit)))!.location.key, /segment\.ndjson$/);
});

test('an object that is gone and was never indexed still fails the notification (compaction moves indexed events only)', async () => {
  const t = await setup();
  await rejects(() => t.handler(objectCreated(eventKey(deposit))), EventNotFoundError);
  assert.equal(t.published, []);
});

test.run();
