// A deployed stack for CLI tests, on the test services: s3rver as its bucket, DynamoDB Local for its tables, and the
// config file and environment `eventlake --config FILE …` reads it through.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../adapters/aws/dynamodb-tables.ts';
import { CONTROL_TABLE, EVENT_INDEX_TABLE } from '../../adapters/aws/table-keys.ts';
import { DynamoDbEventIndex } from '../../adapters/aws/dynamodb-event-index.ts';
import { S3EventLog } from '../../adapters/aws/s3-event-log.ts';
import { accountsOf, type DomainEvent } from '../../domain/event.ts';
import { dynamoDb } from './dynamodb-local.ts';
import { s3Target } from './s3rver.ts';
import { variant } from './samples.ts';
import { tempDir } from './tmp.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

/** A stack on the test services holding `stored` events, the first `indexed` of them indexed; its config file. */
export async function stack(stored: number, indexed = stored): Promise<{ config: string; bucket: string }> {
  const [s3, db] = await Promise.all([s3Target(), dynamoDb()]);
  await s3.empty();
  const [s3Url, dbUrl] = await Promise.all([s3.client.config.endpoint!(), db.client.config.endpoint!()]);
  // The CLI takes one set of credentials from the environment, and s3rver accepts only its own; DynamoDB Local keeps
  // one database per access key, so the tables are made under s3rver's key for the CLI to find.
  const dynamodb = new DynamoDBClient({ endpoint: `${dbUrl.protocol}//${dbUrl.hostname}:${dbUrl.port}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const [indexTable, controlTable] = [db.uniqueName('index'), db.uniqueName('control')];
  await Promise.all([ensureTable(dynamodb, indexTable, EVENT_INDEX_TABLE), ensureTable(dynamodb, controlTable, CONTROL_TABLE)]);
  const events = Array.from({ length: stored }, (_, i) => depositNo(i + 1));
  const results = await new S3EventLog({ client: s3.client, bucket: s3.bucket }).append(events);
  await new DynamoDbEventIndex({ client: dynamodb, tableName: indexTable }).put(results.slice(0, indexed).map((r, i) => ({
    id: r.id, type: events[i]!.EventType, timestamp: events[i]!.EventTimeStamp, accounts: accountsOf(events[i]!),
    location: r.location, size: r.size, storageClass: 'STANDARD' as const, restore: 'NONE' as const,
  })));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: `${s3Url.protocol}//${s3Url.hostname}:${s3Url.port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `${dbUrl.protocol}//${dbUrl.hostname}:${dbUrl.port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const config = join(tempDir(), 'eventlake.json');
  writeFileSync(config, JSON.stringify({
    target: 'aws', region: 'us-east-1', bucket: s3.bucket, indexTable, controlTable,
    tablePrefix: db.uniqueName('proj'), pointInTimeRecovery: false, forcePathStyle: true,
  }));
  return { config, bucket: s3.bucket };
}

/** The variables `stack` sets; a suite deletes them after each test. */
export const STACK_ENV = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
