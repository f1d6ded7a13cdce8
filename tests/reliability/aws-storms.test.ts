// Reliability storms against the AWS adapters: delivery storms (with throttling) into DynamoDbProjectionStore on
// DynamoDB Local, and concurrent appenders of the same identities to S3EventLog on s3rver.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDbProjectionStore } from '../../adapters/aws/dynamodb-projection-store.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { CONTROL_TABLE } from '../../adapters/aws/table-keys.ts';
import { balancesProjection } from '../../domain/balances.ts';
import { EventConflictError, TransientError } from '../../domain/errors.ts';
import { eventId, eventKey, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { generateEvents, seededRandom } from '../../domain/generator.ts';
import type { ApplyOutcome, ProjectionStore } from '../../domain/ports/projection-store.ts';
import { foldEvents } from '../../domain/projection.ts';
import { dynamoDb } from '../support/dynamodb-local.ts';
import { newFaultStats, withFaults } from '../support/faults.ts';
import { s3Target } from '../support/s3rver.ts';
import { inCI, Tally } from '../support/summary.ts';
import { WORKLOAD_START_S } from './children/workload.ts';
import { stateProblems } from './invariants.ts';

const test = suite('AWS adapter storms');
const tally = new Tally();
// DynamoDB Local runs one transaction per event and is slow: a few seeds of a few dozen events each.
const SEEDS = inCI() ? [7] : [7, 42];
const EVENTS_PER_SEED = inCI() ? 25 : 55;
const WRITERS = 4;
const S3_ROUNDS = inCI() ? 2 : 5;

/** Every event 1-3 times, shuffled, cut into batches of 1-10. */
function storm(events: readonly DomainEvent[], seed: number): DomainEvent[][] {
  const random = seededRandom(seed);
  const copies = events.flatMap((e) => Array.from({ length: 1 + Math.floor(random() * 3) }, () => e));
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copies[i], copies[j]] = [copies[j]!, copies[i]!];
  }
  const batches: DomainEvent[][] = [];
  for (let i = 0; i < copies.length;) {
    const n = 1 + Math.floor(random() * 10);
    batches.push(copies.slice(i, i + n));
    i += n;
  }
  return batches;
}

const eventsOf = (seed: number, count = EVENTS_PER_SEED) =>
  generateEvents({ accounts: 4, days: 1, eventsPerDay: count, start: WORKLOAD_START_S, seed });

async function makeStore(): Promise<DynamoDbProjectionStore> {
  const db = await dynamoDb();
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  return new DynamoDbProjectionStore({ client: db.client, controlTableName, tablePrefix: db.uniqueName('storm'), tableSettings: { pointInTimeRecovery: db.pitr } });
}

/** Apply `batch`, retrying while the store throws TransientError; returns the outcomes and the retries it took. */
async function applyUntilDone(store: ProjectionStore, generation: number, batch: DomainEvent[]): Promise<{ outcomes: ApplyOutcome[]; retries: number }> {
  for (let retries = 0; ; retries++) {
    try {
      return { outcomes: await store.apply(balancesProjection, generation, batch), retries };
    } catch (error) {
      if (!(error instanceof TransientError) || retries >= 20) throw error;
    }
  }
}

/** Drive a storm per seed through `store` and compare with the fold; returns the mismatches counted. */
async function runStorms(area: string, store: ProjectionStore, faulty: boolean): Promise<number> {
  let mismatches = 0;
  for (const seed of SEEDS) {
    const events = eventsOf(seed);
    const generation = await store.createGeneration(balancesProjection.name);
    let [deliveries, applied, retries] = [0, 0, 0];
    for (const batch of storm(events, seed)) {
      deliveries += batch.length;
      const done = await applyUntilDone(store, generation, batch);
      retries += done.retries;
      applied += done.outcomes.filter((o) => o.status === 'applied').length;
    }
    const expected = foldEvents(balancesProjection, events);
    const problems = stateProblems(balancesProjection.name, await store.readState(balancesProjection.name, generation), expected);
    if (applied !== expected.applied.size) problems.push(`${applied} applied outcomes for ${expected.applied.size} events`);
    mismatches += problems.length;
    tally.add(area, { events: deliveries, distinct: events.length, ...(faulty ? { retries } : {}), mismatches: problems.length });
    assert.equal(problems, [], `seed ${seed}`);
  }
  return mismatches;
}

test('a duplicate, out-of-order storm into DynamoDbProjectionStore.apply leaves balances equal to the fold', async () => {
  assert.is(await runStorms('aws storms (dynamodb apply)', await makeStore(), false), 0);
});

test('a storm with injected throttling, retried by the driver, still applies each event once', async () => {
  const stats = newFaultStats();
  const store = withFaults<ProjectionStore>(await makeStore(), { method: 'apply', transientEvery: 5 }, stats);
  assert.is(await runStorms('aws storms (dynamodb apply, throttled)', store, true), 0);
  assert.ok(stats.transient > 0, 'the fault plan injected no throttling');
  tally.add('aws storms (dynamodb apply, throttled)', { injected: stats.transient });
});

/** The raw bytes S3 holds under `key`. */
async function storedBytes(key: string): Promise<Buffer> {
  const target = await s3Target();
  const out = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** Writer `w`'s version of `e`: the same identity, and (when `differ`) a reference only that writer uses. */
const versionOf = (e: DomainEvent, w: number, differ: boolean): DomainEvent =>
  (differ ? { ...e, Reference: `writer ${w}` } : e);

// s3rver ignores If-None-Match, so two writers of different content that both pass the existence check both PUT
// and both report `stored` (the last PUT wins). Real S3 would give the loser a 412 and then EventConflictError.
// Here we assert only what s3rver can guarantee: one object per identity, its bytes exactly one writer's bytes,
// and no error other than EventConflictError. Odd rounds stagger the writers by a few ms, so later ones find the
// earlier bytes and must refuse with EventConflictError; even rounds start them together.
async function race(round: number, differ: boolean): Promise<string[]> {
  const target = await s3Target();
  const events = eventsOf(500 + round, 8);
  const logs = Array.from({ length: WRITERS }, () => new S3EventLog({ client: target.client, bucket: target.bucket }));
  const settled = await Promise.allSettled(logs.map(async (log, w) => {
    const mine = events.map((e) => versionOf(e, w, differ));
    const random = seededRandom(round * 31 + w);
    if (round % 2 === 1) await new Promise((done) => setTimeout(done, w * 25));
    return log.append([...mine].sort(() => random() - 0.5));
  }));
  const problems: string[] = [];
  for (const s of settled) {
    if (s.status === 'rejected' && !(differ && s.reason instanceof EventConflictError)) problems.push(`unexpected error: ${String(s.reason)}`);
  }
  const keys: string[] = [];
  for await (const o of logs[0]!.list('events/')) keys.push(o.key);
  if (keys.length !== events.length) problems.push(`${keys.length} objects stored for ${events.length} identities`);
  for (const e of events) {
    const bytes = await storedBytes(eventKey(e));
    const candidates = Array.from({ length: WRITERS }, (_, w) => Buffer.from(`${serializeEvent(versionOf(e, w, differ))}\n`));
    if (!candidates.some((c) => c.equals(bytes))) problems.push(`${eventId(e)}: stored bytes match no writer`);
    const read = await logs[1]!.read({ key: eventKey(e) });
    if (`${serializeEvent(read)}\n` !== bytes.toString('utf8')) problems.push(`${eventId(e)}: reads back different bytes`);
  }
  const conflicts = settled.filter((s) => s.status === 'rejected' && s.reason instanceof EventConflictError).length;
  tally.add(`aws concurrent appends (s3rver, ${differ ? 'differing' : 'identical'} content)`, { appends: WRITERS * events.length, conflicts, 'duplicates stored': Math.max(0, keys.length - events.length), mismatches: problems.length });
  return problems;
}

test('concurrent S3EventLog appenders of identical events store each identity once, byte-identical', async () => {
  for (let round = 0; round < S3_ROUNDS; round++) {
    await (await s3Target()).empty();
    assert.equal(await race(round, false), [], `round ${round}`);
  }
});

test('concurrent appenders of differing content store one writer\'s bytes, the others fail only with EventConflictError', async () => {
  for (let round = 0; round < S3_ROUNDS; round++) {
    await (await s3Target()).empty();
    assert.equal(await race(100 + round, true), [], `round ${round}`);
  }
});

test.run();
