// `eventlake repair index --target aws`: the hour directory of a deployed stack's index, backfilled from the config.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { baseClientConfig } from './aws-clients.ts';
import type { AwsEventlakeConfig } from './aws-config.ts';
import { storageCall } from './dynamodb-codec.ts';
import { backfillDirectory, type DirectoryBackfill } from './dynamodb-index-directory-writes.ts';

/** What the backfill of one index table did. */
export interface IndexDirectoryRepair extends DirectoryBackfill {
  readonly table: string;
}

/**
 * Complete the hour directory of the stack's index table (`config.indexTable`), so that range reads of an index
 * older than the directory query only the hours holding events. A client in `config.clients` stays the caller's.
 *
 * @example
 * const report = await repairIndexDirectory(awsConfigFrom({ settings, env: process.env }));
 */
export async function repairIndexDirectory(config: Pick<AwsEventlakeConfig, 'indexTable' | 'region' | 'endpoint' | 'clients'>): Promise<IndexDirectoryRepair> {
  const client = config.clients?.dynamodb ?? new DynamoDBClient(baseClientConfig(config));
  try {
    const done = await storageCall(`backfilling the hour directory of ${config.indexTable}`, () => backfillDirectory({ client, table: config.indexTable }));
    return { table: config.indexTable, ...done };
  } finally {
    if (client !== config.clients?.dynamodb) client.destroy();
  }
}
