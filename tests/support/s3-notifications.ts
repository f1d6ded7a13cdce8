// EventBridge notifications S3 sends for the lake bucket, as the indexer Lambda receives them.

import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';

/** An "Object Created" notification of `key` in the bucket `lake`; `id` tells notifications apart. */
export function objectCreated(key: string, id = 'n-1'): S3ObjectCreatedNotificationEvent {
  return {
    version: '0', id, 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333', time: '2024-03-07T09:00:00Z',
    region: 'eu-west-1', resources: ['arn:aws:s3:::lake'],
    detail: {
      version: '0', bucket: { name: 'lake' }, object: { key, size: 300, etag: 'e', 'version-id': 'v1', sequencer: '01' }, 'request-id': 'r',
      requester: '111122223333', 'source-ip-address': '10.0.0.1', reason: 'PutObject',
    },
  };
}
