// runLifecycle with a tier that archives by its own rules (S3 lifecycle rules behind the write-once bucket policy):
// its refusal of a transition stops the requests, never the compaction every old hour still needs.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CopyObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ArchiveTier } from '../../adapters/aws/s3-archive-tier.ts';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import { partitionPrefix } from '../../domain/event.ts';
import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { hourAgo, hourOfEvents, NOW, store, withLifecycleCtx, type LifecycleCtx } from '../support/lifecycle-fixture.ts';

/** Reports what the local tier reports, refuses every transition as the AWS tier does, and counts the requests. */
function refusingTier(ctx: LifecycleCtx): ArchiveTier & { requests: number } {
  const tier = {
    requests: 0,
    storage: (keys: readonly string[]) => ctx.archive.storage(keys),
    transition: async (key: string) => {
      tier.requests++;
      throw new UnsupportedOnTargetError(`moving ${key}`, 'aws', 'the bucket\'s lifecycle rules archive');
    },
    restore: () => Promise.reject(new Error('not used')),
  };
  return tier;
}

async function segmentsOf(ctx: LifecycleCtx, days: number): Promise<string[]> {
  const prefix = partitionPrefix(hourAgo(days));
  return (await ctx.index.objects()).filter((o) => o.key.startsWith(prefix)).map((o) => o.key.slice(prefix.length));
}

const test = suite<LifecycleCtx>('runLifecycle with a tier that archives by itself');
withLifecycleCtx(test);

test('every old hour is compacted although the tier refuses the first transition', async (ctx) => {
  await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2), ...hourOfEvents(hourAgo(20), 3)]);
  const report = await runLifecycle({ ...ctx, archive: refusingTier(ctx) }, { now: NOW });
  assert.is(report.hoursCompacted, 3);
  for (const days of [200, 30, 20]) assert.equal(await segmentsOf(ctx, days), ['segment.ndjson'], `${days} days ago`);
});

test('the refused segments are reported as left to the tier, and none as transitioned', async (ctx) => {
  await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2)]);
  const report = await runLifecycle({ ...ctx, archive: refusingTier(ctx) }, { now: NOW });
  assert.is(report.transitionsLeftToTier, 2);
  assert.equal([report.transitioned.GLACIER.objects, report.transitioned.DEEP_ARCHIVE.objects], [0, 0]);
  assert.is(report.classes.STANDARD.objects, 2);
});

test('after the first refusal the run asks the tier for no more transitions', async (ctx) => {
  await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2), ...hourOfEvents(hourAgo(20), 3)]);
  const tier = refusingTier(ctx);
  await runLifecycle({ ...ctx, archive: tier }, { now: NOW });
  assert.is(tier.requests, 1);
});

test('a tier that moves objects leaves nothing to itself', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(30), 2));
  const report = await runLifecycle(ctx, { now: NOW });
  assert.is(report.transitionsLeftToTier, 0);
  assert.is(report.transitioned.GLACIER.objects, 1);
});

test('a failure other than the refusal still stops the run', async (ctx) => {
  await store(ctx, hourOfEvents(hourAgo(30), 2));
  const archive: ArchiveTier = { ...refusingTier(ctx), transition: () => Promise.reject(new Error('network down')) };
  try {
    await runLifecycle({ ...ctx, archive }, { now: NOW });
    assert.unreachable('the run should have failed');
  } catch (error) {
    assert.is((error as Error).message, 'network down');
  }
});

test('S3ArchiveTier denied by the write-once policy: every old hour is compacted and left to the lifecycle rules', async (ctx) => {
  const client = new S3Client({ region: 'eu-west-1' });
  const s3 = mockClient(client);
  try {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(CopyObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }));
    await store(ctx, [...hourOfEvents(hourAgo(200), 1), ...hourOfEvents(hourAgo(30), 2)]);
    const archive = new S3ArchiveTier({ client, bucket: 'lake', retry: { sleep: async () => {} } });
    const report = await runLifecycle({ log: ctx.log, index: ctx.index, archive }, { now: NOW });
    assert.equal([report.hoursCompacted, report.transitionsLeftToTier], [2, 2]);
    assert.is(s3.commandCalls(CopyObjectCommand).length, 1);
  } finally {
    s3.restore();
  }
});

test.run();
