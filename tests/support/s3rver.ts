// An S3 endpoint for tests: s3rver on 127.0.0.1 (a child process), or a real endpoint when EVENTLAKE_AWS_IT=1.
//
// s3rver needs the legacy OpenSSL provider on Node 20 (its continuation tokens use DES), and NODE_OPTIONS only
// takes effect at process start, hence the child process. Integration mode (EVENTLAKE_AWS_IT=1) uses the standard
// credential chain and AWS_ENDPOINT_URL(_S3); it uses EVENTLAKE_IT_BUCKET or creates (and later deletes) a bucket.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { tempDir } from './tmp.ts';

/** A bucket the tests may fill and empty. */
export interface S3TestTarget {
  readonly kind: 's3rver' | 'integration';
  readonly client: S3Client;
  readonly bucket: string;
  /** Delete every object of the bucket (each contract subject starts from an empty log). */
  empty(): Promise<void>;
}

/** True when the opt-in integration run is requested. */
export function integrationRun(): boolean {
  return process.env.EVENTLAKE_AWS_IT === '1';
}

const root = fileURLToPath(new URL('../..', import.meta.url));
let started: Promise<S3TestTarget> | undefined;
let child: ChildProcess | undefined;
let createdBucket: { client: S3Client; bucket: string } | undefined;

process.on('exit', () => child?.kill());
// Once the tests are done: empty and delete a bucket the integration run created (async work is allowed here).
process.once('beforeExit', () => { void stopS3().catch((e: unknown) => console.error('test bucket cleanup failed:', e)); });

/** The process-wide test bucket (started on first use, torn down when the process exits or `stopS3` runs). */
export function s3Target(): Promise<S3TestTarget> {
  started ??= integrationRun() ? integrationTarget() : s3rverTarget();
  return started;
}

/** Stop s3rver, or delete the bucket the integration run created. */
export async function stopS3(): Promise<void> {
  if (createdBucket) {
    const target = await s3Target();
    await target.empty();
    await createdBucket.client.send(new DeleteBucketCommand({ Bucket: createdBucket.bucket }));
    createdBucket = undefined;
  }
  child?.kill();
  child = undefined;
  started = undefined;
}

// Why putObject is wrapped: s3rver answers a PUT when its input is consumed, before its file is written, so a GET right
// after read a short object under load (S3EventLog then saw other bytes: a flaky EVENT_CONFLICT). Real S3 answers a
// PUT once the object is stored; the wrapper waits until the file has the size the PUT reported.
const CHILD = `
const S3rver = require('s3rver');
const Store = require('s3rver/lib/stores/filesystem');
const { stat } = require('node:fs/promises');
const put = Store.prototype.putObject;
Store.prototype.putObject = async function (object) {
  const stored = await put.call(this, object);
  const file = this.getResourcePath(object.bucket, object.key, 'object');
  for (let i = 0; i < 400 && (await stat(file).then((s) => s.size, () => -1)) < stored.size; i++) await new Promise((r) => setTimeout(r, 5));
  return stored;
};
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: process.argv[1] })
  .run().then((a) => process.stdout.write(JSON.stringify({ port: a.port }) + '\\n'), (e) => { console.error(e); process.exit(1); });
`;

async function s3rverTarget(): Promise<S3TestTarget> {
  const proc = spawn(process.execPath, ['-e', CHILD, tempDir('eventlake-s3rver-')], {
    cwd: root, env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  child = proc;
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { port: number }).port);
    });
    proc.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  proc.stdout!.removeAllListeners('data');
  // Let the test process exit without stopS3(): its 'exit' hook kills the child, which also exits when stdin closes.
  for (const stream of [proc.stdin, proc.stdout]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  proc.unref();
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const bucket = 'eventlake-test';
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { kind: 's3rver', client, bucket, empty: () => emptyBucket(client, bucket) };
}

async function integrationTarget(): Promise<S3TestTarget> {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const client = new S3Client({ ...(endpoint ? { forcePathStyle: true } : {}) });
  let bucket = process.env.EVENTLAKE_IT_BUCKET;
  if (!bucket) {
    bucket = `eventlake-it-${randomUUID().slice(0, 8)}`;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    createdBucket = { client, bucket };
  }
  const name = bucket;
  return { kind: 'integration', client, bucket: name, empty: () => emptyBucket(client, name) };
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
}
