// SDK clients whose every request gets one canned HTTP answer: the SDK parses it, so its errors have the SDK's own
// shapes (NoSuchBucket, ResourceNotFoundException), as DynamoDB Local and s3rver would answer, with no server running.

import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/** An HTTP answer: its status and body. */
export type Answer = { status: number; body: string };

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

/** A request handler answering every request with `answer()`, as the service would over HTTP. */
export function answering(answer: () => Answer, contentType: string) {
  return {
    handle: async () => ({ response: { statusCode: answer().status, headers: { 'content-type': contentType }, body: Readable.from([Buffer.from(answer().body)]) } }),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
}

/** DynamoDB's answer for error `type` (e.g. ResourceNotFoundException). */
export const dynamoDbError = (type: string, message: string): Answer => ({ status: 400, body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }) });

/** S3's answer for error `code` (e.g. NoSuchBucket). */
export const s3Error = (status: number, code: string, message: string): Answer => ({
  status, body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
});

/** DynamoDB's answer for a table that does not exist. */
export const NO_TABLE = dynamoDbError('ResourceNotFoundException', 'Cannot do operations on a non-existent table');

/** S3's answer for a bucket that does not exist. */
export const NO_BUCKET = s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');

/**
 * An S3 and a DynamoDB client in `region` at `endpoint` (never contacted), answering with `s3()` and `dynamodb()`.
 *
 * @example
 * const { s3, dynamodb } = answeringClients({ s3: () => NO_BUCKET, dynamodb: () => NO_TABLE });
 */
export function answeringClients(answers: { s3: () => Answer; dynamodb: () => Answer }, region = 'eu-west-3', endpoint = 'http://127.0.0.1:1'): { s3: S3Client; dynamodb: DynamoDBClient } {
  return {
    dynamodb: new DynamoDBClient({ region, endpoint, credentials, maxAttempts: 1, requestHandler: answering(answers.dynamodb, 'application/x-amz-json-1.0') }),
    s3: new S3Client({ region, endpoint, credentials, maxAttempts: 1, forcePathStyle: true, requestHandler: answering(answers.s3, 'application/xml') }),
  };
}
