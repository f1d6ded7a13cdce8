// The S3 and DynamoDB clients of a stack function: traced, and with the config errors worded for its environment.

import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { FUNCTION_WORDING, withConfigErrors } from '../config-errors.ts';
import { LAMBDA_ENV } from './config.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** What wraps a client for tracing (Powertools' tracer; the identity in tests). */
export interface ClientTracer { captureAWSv3Client<T>(client: T): T }

/**
 * The function's clients. A wrong bucket, table, region or role fails with the bucket or table named, the
 * environment variable that holds its name (EVENTLAKE_BUCKET, EVENTLAKE_INDEX_TABLE, …) and the fix, as the CLI's
 * do for its config: without this a function's log said only the SDK's "NoSuchBucket" or "Requested resource not found".
 * `config` is for tests (an endpoint, a request handler); the functions pass none.
 *
 * @example
 * const { s3, dynamodb } = functionClients(tools.tracer);
 */
export function functionClients(tracer: ClientTracer, env: Env = process.env, config: { s3?: S3ClientConfig; dynamodb?: DynamoDBClientConfig } = {}): { s3: S3Client; dynamodb: DynamoDBClient } {
  const s3 = tracer.captureAWSv3Client(new S3Client(config.s3 ?? {}));
  const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient(config.dynamodb ?? {}));
  return withConfigErrors({ s3, dynamodb }, {
    bucket: env[LAMBDA_ENV.bucket] ?? '', indexTable: env[LAMBDA_ENV.indexTable] ?? '', controlTable: env[LAMBDA_ENV.controlTable] ?? '',
    tablePrefix: env[LAMBDA_ENV.tablePrefix] ?? 'eventlake',
  }, env, FUNCTION_WORDING);
}
