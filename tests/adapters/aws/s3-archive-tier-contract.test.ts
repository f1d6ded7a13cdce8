// The ArchiveTier contract for S3ArchiveTier, against a simulated S3 (storage classes, restore timing, x-amz-restore)
// behind aws-sdk-client-mock: s3rver has no archive classes, and real Glacier restores take hours.
import { CopyObjectCommand, HeadObjectCommand, PutObjectCommand, RestoreObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { CopyObjectCommandInput, RestoreObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ArchiveTier } from '../../../adapters/aws/s3-archive-tier.ts';
import { archiveTierContract } from '../../contracts/archive-tier.contract.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Slowest completion per class and tier, from the S3 User Guide's retrieval options. */
const READY_AFTER: Record<string, Record<string, number>> = {
  GLACIER: { Expedited: 5 * 60_000, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 48 * HOUR },
};

interface FakeObject { body: string; storageClass: string; restore?: { readyAt: number; expiresAt: number } }

const fail = (name: string, status: number) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

/** S3's archive behaviour, as documented: restores finish later, expire at a midnight UTC, are extended on request. */
function simulatedS3(client: S3Client) {
  const objects = new Map<string, FakeObject>();
  let now = Date.UTC(2024, 2, 7, 9);
  const restoredUntil = (days: number, from: number) => Math.ceil((from + days * DAY) / DAY) * DAY;
  const live = (o: FakeObject) => {
    if (o.restore && now >= o.restore.expiresAt) delete o.restore;
    return o;
  };
  const get = (key: string | undefined) => {
    const o = objects.get(key ?? '');
    if (!o) throw fail('NotFound', 404);
    return live(o);
  };
  const mock = mockClient(client);
  mock.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => {
    objects.set(input.Key, { body: input.Body, storageClass: 'STANDARD' });
    return {};
  });
  mock.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const o = get(input.Key);
    const r = o.restore;
    const restore = !r ? undefined : now < r.readyAt ? 'ongoing-request="true"' : `ongoing-request="false", expiry-date="${new Date(r.expiresAt).toUTCString()}"`;
    return { ContentLength: o.body.length, ...(o.storageClass === 'STANDARD' ? {} : { StorageClass: o.storageClass }), ...(restore ? { Restore: restore } : {}) };
  });
  mock.on(CopyObjectCommand).callsFake((input: CopyObjectCommandInput) => {
    const o = get(input.Key);
    if (o.storageClass !== 'STANDARD' && !(o.restore && now >= o.restore.readyAt)) throw fail('ObjectNotInActiveTierError', 403);
    objects.set(input.Key!, { body: o.body, storageClass: input.StorageClass ?? 'STANDARD' });
    return {};
  });
  mock.on(RestoreObjectCommand).callsFake((input: RestoreObjectCommandInput) => {
    const o = get(input.Key);
    const tier = input.RestoreRequest?.GlacierJobParameters?.Tier ?? 'Standard';
    const days = input.RestoreRequest?.Days ?? 1;
    const readyAfter = READY_AFTER[o.storageClass]?.[tier];
    if (o.storageClass === 'STANDARD') throw fail('ObjectAlreadyInActiveTierError', 403);
    if (readyAfter === undefined) throw fail('InvalidArgument', 400);
    if (o.restore && now < o.restore.readyAt) throw fail('RestoreAlreadyInProgress', 409);
    if (o.restore) o.restore.expiresAt = restoredUntil(days, now);
    else o.restore = { readyAt: now + readyAfter, expiresAt: restoredUntil(days, now + readyAfter) };
    return {};
  });
  return { advance: (ms: number) => { now += ms; } };
}

archiveTierContract('S3ArchiveTier (simulated S3)', async () => {
  const client = new S3Client({ region: 'eu-west-1' });
  const s3 = simulatedS3(client);
  return {
    subject: new S3ArchiveTier({ client, bucket: 'lake', retry: { sleep: async () => {} } }),
    // S3 copies only readable objects: GLACIER -> DEEP_ARCHIVE of an unrestored object is a lifecycle rule's job.
    archivedMovesNeedLifecycle: true,
    putObject: async (key, body) => { await client.send(new PutObjectCommand({ Bucket: 'lake', Key: key, Body: body })); },
    advance: async (ms) => s3.advance(ms),
  };
});
